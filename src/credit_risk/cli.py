"""Project commands that Kedro adds to ``kedro``: registry aliases, reproducing a run, orphans.

``uv run kedro model champion|promote N|rollback``, ``uv run kedro reproduce RUN_ID`` and
``uv run kedro runs fail-orphans [--older-than HOURS]``, from the project root. The
tracking and registry store are those of ``conf/<env>/mlflow.yml``, as for ``kedro run``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

TRAINING_INPUTS = ("model_input_train", "model_input_validation", "model_input_test")
MODEL_ARTIFACT = "models/lightgbm_model.txt"
PARAMETERS_ARTIFACT = "environment/parameters.json"


@contextmanager
def _project(env: str | None) -> Iterator[Any]:
    """Open the project so that MLflow points at its configured store."""
    from kedro.framework.session import KedroSession  # noqa: PLC0415
    from kedro.framework.startup import bootstrap_project  # noqa: PLC0415

    root = Path.cwd()
    bootstrap_project(root)
    session: Any = KedroSession.create(project_path=root, env=env)
    with session:
        context = session.load_context()  # kedro-mlflow's hook sets the tracking URI here
        yield context


def _name(context: Any) -> str:
    return str(context.config_loader["globals"]["registered_model_name"])


ENV = click.option("--env", "-e", default=None, help="Kedro configuration environment.")


@click.group(name="credit_risk")
def cli() -> None:
    """The credit-risk project's commands (Kedro merges them into ``kedro``)."""


@cli.group()
@ENV
@click.pass_context
def model(ctx: click.Context, env: str | None) -> None:
    """The registered model's aliases: champion, challenger, previous_champion."""
    ctx.obj = {"env": env}


@model.command()
@click.pass_context
def champion(ctx: click.Context) -> None:
    """Show the versions behind champion, challenger and previous_champion."""
    from mlflow.tracking import MlflowClient  # noqa: PLC0415

    from credit_risk.datasets import registry  # noqa: PLC0415

    with _project(ctx.obj["env"]) as context:
        client, name = MlflowClient(), _name(context)
        shown = {}
        for alias in (registry.CHAMPION, registry.CHALLENGER, registry.PREVIOUS):
            version = registry.version_by_alias(client, name, alias)
            shown[alias] = None if version is None else registry.record(version)
        click.echo(registry.dump({"registered_model": name, **shown}))


@model.command()
@click.argument("version", type=int)
@click.pass_context
def promote(ctx: click.Context, version: int) -> None:
    """Make VERSION the champion by hand (the current one becomes previous_champion)."""
    from mlflow.tracking import MlflowClient  # noqa: PLC0415

    from credit_risk.datasets import registry  # noqa: PLC0415

    with _project(ctx.obj["env"]) as context:
        client, name = MlflowClient(), _name(context)
        client.get_model_version(name, str(version))  # fails clearly if it does not exist
        click.echo(registry.dump(registry.set_champion(client, name, version)))


@model.command()
@click.pass_context
def rollback(ctx: click.Context) -> None:
    """Serve the previous champion again (the two swap, so a second rollback undoes it)."""
    from mlflow.tracking import MlflowClient  # noqa: PLC0415

    from credit_risk.datasets import registry  # noqa: PLC0415

    with _project(ctx.obj["env"]) as context:
        client, name = MlflowClient(), _name(context)
        previous = registry.version_by_alias(client, name, registry.PREVIOUS)
        if previous is None:
            raise click.ClickException(
                f"Registered model '{name}' has no '{registry.PREVIOUS}' alias: there is no "
                "earlier champion to go back to. `kedro model champion` shows the aliases; "
                "`kedro model promote N` serves any version."
            )
        click.echo(registry.dump(registry.set_champion(client, name, int(previous.version))))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cli.command()
@click.argument("run_id")
@ENV
def reproduce(run_id: str, env: str | None) -> None:
    """Re-run training from what MLflow run RUN_ID recorded; compare the model's SHA-256.

    The parameters (seed included) come from the run's ``environment/parameters.json``,
    the inputs are the model-input versions it used, and the Optuna study is a fresh one
    (named after the run) so that tuning starts from nothing, as it did. Exits 1 when
    the LightGBM file differs.
    """
    import mlflow  # noqa: PLC0415
    from kedro.framework.session import KedroSession  # noqa: PLC0415
    from mlflow.tracking import MlflowClient  # noqa: PLC0415

    with _project(env):
        client = MlflowClient()
        original = client.get_run(run_id)
        with tempfile.TemporaryDirectory() as tmp:
            params_file = mlflow.artifacts.download_artifacts(
                run_id=run_id, artifact_path=PARAMETERS_ARTIFACT, dst_path=tmp
            )
            params = json.loads(Path(params_file).read_text())
            model_file = mlflow.artifacts.download_artifacts(
                run_id=run_id, artifact_path=MODEL_ARTIFACT, dst_path=tmp
            )
            expected = _sha256(Path(model_file))
    versions = {
        name: original.data.tags[f"data.{name}.version"]
        for name in TRAINING_INPUTS
        if f"data.{name}.version" in original.data.tags
    }
    missing = sorted(set(TRAINING_INPUTS) - set(versions))
    if missing:
        raise click.ClickException(
            f"Run {run_id} did not record the versions of {missing}: it did not train, or "
            "it ran before versions were tagged. Pick a run of the training pipeline."
        )
    dataset = params.get("data_contract", {}).get("dataset", "model_table")
    study = params["training"]["tuning"].get("study_name") or f"{dataset}-lightgbm"
    params["training"]["tuning"]["study_name"] = f"{study}-reproduce-{run_id[:12]}"
    click.echo(f"Re-running training from run {run_id} with inputs {versions}")
    root = Path.cwd()
    session: Any = KedroSession.create(project_path=root, env=env, runtime_params=params)
    with session:
        session.run(pipeline_names=["training"], load_versions=versions)
    new_run = mlflow.last_active_run()
    if new_run is None:
        raise click.ClickException("The training run was not tracked in MLflow.")
    client = MlflowClient()
    client.set_tag(new_run.info.run_id, "reproduces", run_id)
    with tempfile.TemporaryDirectory() as tmp:
        rebuilt = _sha256(
            Path(
                mlflow.artifacts.download_artifacts(
                    run_id=new_run.info.run_id, artifact_path=MODEL_ARTIFACT, dst_path=tmp
                )
            )
        )
    same = rebuilt == expected
    click.echo(
        json.dumps(
            {
                "original_run": run_id,
                "new_run": new_run.info.run_id,
                "original_sha256": expected,
                "rebuilt_sha256": rebuilt,
                "identical": same,
            },
            indent=2,
        )
    )
    if not same:
        sys.exit(1)


@cli.group()
def runs() -> None:
    """The project's MLflow runs."""


@runs.command(name="fail-orphans")
@click.option(
    "--older-than",
    type=float,
    default=None,
    help="Also end RUNNING runs of any host started more than this many hours ago.",
)
@ENV
def fail_orphans(older_than: float | None, env: str | None) -> None:
    """End as FAILED the RUNNING runs whose process is gone.

    Runs of this host are checked by their process (every ``kedro run`` also does this on
    start); runs of other hosts, which cannot be checked from here, only with
    ``--older-than``.
    """
    import datetime as dt  # noqa: PLC0415

    import mlflow  # noqa: PLC0415

    from credit_risk.run_status import fail_orphaned_runs  # noqa: PLC0415

    with _project(env) as context:
        name = context.mlflow.tracking.experiment.name
        experiment = mlflow.get_experiment_by_name(name)
        if experiment is None:
            raise click.ClickException(f"No MLflow experiment '{name}' in this project's store.")
        limit = None if older_than is None else dt.timedelta(hours=older_than)
        ended = fail_orphaned_runs([experiment.experiment_id], older_than=limit)
    click.echo(f"{len(ended)} run(s) marked FAILED" + (f": {', '.join(ended)}" if ended else ""))
