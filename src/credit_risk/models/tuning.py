"""Optuna tuning of LightGBM: a typed search space, a seeded sampler, a pruner, resumable.

The study lives in persistent storage (see :mod:`credit_risk.datasets.optuna_storage`)
under a name from parameters. A run asks for ``n_trials`` finished trials in all: when the
study already holds some (an interrupted run, or other processes working on it), only
the rest are run.

Each trial is scored by cross-validation over the training period's grouped folds
(``objective: cv``, the default) or on the validation period alone (``holdout``). A study
records a fingerprint of what its trials were scored on; resuming it with other data,
another objective or another search space is refused, since those trials' values would
not be comparable with new ones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
import warnings
from dataclasses import dataclass
from typing import Any, cast

import lightgbm as lgb
import numpy as np
import optuna
import pandas as pd
from optuna.storages import BaseStorage
from optuna.study import MaxTrialsCallback
from optuna.trial import TrialState
from optuna_integration import LightGBMPruningCallback

from credit_risk.models import gbm
from credit_risk.params import (
    Choice,
    Dimension,
    FloatRange,
    IntRange,
    LightGBMParams,
    PrunerParams,
    TuningParams,
)
from credit_risk.processes import on_this_host, still_running, this_process
from credit_risk.validation import DataContractError

logger = logging.getLogger(__name__)

_FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)


def make_pruner(params: PrunerParams, max_rounds: int) -> optuna.pruners.BasePruner:
    """Build the configured pruner.

    Args:
        params: Pruner settings.
        max_rounds: Most boosting rounds a trial can take (Hyperband's max resource).

    Returns:
        A pruner.
    """
    if params.type == "median":
        return optuna.pruners.MedianPruner(
            n_startup_trials=params.n_startup_trials, n_warmup_steps=params.n_warmup_steps
        )
    if params.type == "hyperband":
        return optuna.pruners.HyperbandPruner(
            min_resource=params.min_resource,
            max_resource=max_rounds,
            reduction_factor=params.reduction_factor,
        )
    return optuna.pruners.NopPruner()


LIGHTGBM_DEFAULTS: dict[str, float | int] = {
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 1.0,
    "bagging_fraction": 1.0,
    "bagging_freq": 0,
    "lambda_l1": 0.0,
    "lambda_l2": 0.0,
    "min_gain_to_split": 0.0,
    "cat_smooth": 10.0,
    "max_depth": -1,
}
"""LightGBM's own defaults for the parameters a search space may hold (LightGBM 4.x)."""

ROWS_PER_LEAF_CAP = 20
"""``min_data_in_leaf`` is capped at 1/20 of the rows a trial trains on."""
ROWS_PER_NUM_LEAVES = 40
"""``num_leaves`` is capped at 1/40 of them: a tree cannot have more leaves than data."""


def scaled_space(space: dict[str, Dimension], rows: int) -> dict[str, Dimension]:
    """The search space with ``min_data_in_leaf`` and ``num_leaves`` bounded by the rows.

    A range sized for the demo's 14,000-row folds (``min_data_in_leaf`` up to 400) asks
    for leaves larger than a 550-row fold allows, and trials stop after one round.

    Args:
        space: Name -> dimension, as configured.
        rows: Rows each trial's models train on.

    Returns:
        The space, with the two integer ranges capped (unchanged when they already fit).
    """
    caps = {
        "min_data_in_leaf": rows // ROWS_PER_LEAF_CAP,
        "num_leaves": rows // ROWS_PER_NUM_LEAVES,
    }
    out = dict(space)
    for name, cap in caps.items():
        dim = out.get(name)
        if isinstance(dim, IntRange) and dim.high > max(2, cap):
            high = max(2, cap)
            out[name] = dim.model_copy(update={"high": high, "low": min(dim.low, high)})
    return out


def defaults_point(space: dict[str, Dimension]) -> dict[str, Any]:
    """LightGBM's defaults for the space's parameters, each clamped into its range.

    Args:
        space: Name -> dimension.

    Returns:
        Name -> value for every dimension whose default is known (others are sampled).
    """
    point: dict[str, Any] = {}
    for name, dim in space.items():
        if name not in LIGHTGBM_DEFAULTS:
            continue
        default = LIGHTGBM_DEFAULTS[name]
        if isinstance(dim, Choice):
            if default in dim.choices:
                point[name] = default
        elif isinstance(dim, IntRange):
            point[name] = int(min(max(int(default), dim.low), dim.high))
        else:
            point[name] = float(min(max(float(default), dim.low), dim.high))
    return point


def suggest(trial: optuna.Trial, space: dict[str, Dimension]) -> dict[str, Any]:
    """Draw one point of the search space.

    Args:
        trial: The trial asking.
        space: Name -> dimension.

    Returns:
        Name -> value.
    """
    values: dict[str, Any] = {}
    for name, dim in space.items():
        if isinstance(dim, FloatRange):
            values[name] = trial.suggest_float(name, dim.low, dim.high, log=dim.log)
        elif isinstance(dim, IntRange):
            values[name] = trial.suggest_int(name, dim.low, dim.high, log=dim.log)
        else:
            values[name] = trial.suggest_categorical(name, dim.choices)
    return values


@dataclass(frozen=True)
class TuningData:
    """What the trials train and are scored on.

    Attributes:
        train_set: The training period.
        valid_set: The validation period (scores the trials with ``objective: holdout``).
        folds: (training rows, held-out rows) of each fold of the training period
            (score the trials with ``objective: cv``).
        fingerprint: SHA-256 of the data, folds, objective, search space and fixed
            parameters: trials with different fingerprints are not comparable.
        train_rows: Rows of the training period.
    """

    train_set: lgb.Dataset
    valid_set: lgb.Dataset
    folds: list[tuple[np.ndarray, np.ndarray]]
    fingerprint: str
    train_rows: int

    def rows_seen(self, objective: str) -> float:
        """Training rows behind a trial's best iteration.

        Args:
            objective: ``cv`` (the fold models' mean training rows) or ``holdout`` (the
                whole training period).

        Returns:
            The row count.
        """
        if objective == "cv" and self.folds:
            return float(np.mean([len(inside) for inside, _ in self.folds]))
        return float(self.train_rows)


def scaled_rounds(best_iteration: int, rows_seen: float, rows: int) -> int:
    """Boosting rounds for a refit on ``rows`` rows with the tuned learning rate.

    The best iteration was found by models trained on ``rows_seen`` rows; with more
    rows the gradient steps stay useful for longer, and the rounds grow in proportion
    (5/4 of the rows: 5/4 of the rounds, as for a refit after 5-fold CV).

    Args:
        best_iteration: The best trial's best iteration.
        rows_seen: Rows it was found with.
        rows: Rows of the refit.

    Returns:
        The number of rounds, at least 1.
    """
    return max(1, round(best_iteration * rows / rows_seen))


def fold_indices(folds: np.ndarray, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(training rows, held-out rows) of each fold, checked to be usable for AUC.

    Args:
        folds: Fold number of each training row (the ``fold`` column of
            ``model_input_train``).
        labels: Target of each row.

    Returns:
        One pair of row positions per fold, by fold number.

    Raises:
        DataContractError: Fewer than two folds, or a held-out fold with one class only.
    """
    numbers = np.unique(folds)
    if len(numbers) < 2:
        raise DataContractError(
            "model_input_train",
            "fold",
            f"{len(numbers)} fold(s); training.tuning.objective 'cv' needs at least 2",
            "set split.n_folds >= 2 and re-run data_processing, or set "
            "training.tuning.objective: holdout",
        )
    pairs = []
    for number in numbers:
        held = folds == number
        if len(np.unique(labels[held])) < 2:
            raise DataContractError(
                "model_input_train",
                "fold",
                f"fold {int(number)} holds one target class only, so its AUC is undefined",
                "use fewer folds (split.n_folds) or more data, or set "
                "training.tuning.objective: holdout",
            )
        pairs.append((np.flatnonzero(~held), np.flatnonzero(held)))
    return pairs


def fingerprint(parts: dict[str, Any], frames: list[pd.DataFrame]) -> str:
    """SHA-256 of settings (JSON) and frames (row hashes, column names and dtypes).

    Args:
        parts: JSON-serialisable settings.
        frames: Data the trials see.

    Returns:
        A hex digest.
    """
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
    for frame in frames:
        digest.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def open_study(
    storage: BaseStorage, params: TuningParams, max_rounds: int, data_fingerprint: str
) -> optuna.Study:
    """Create the study, or load it when it exists, with a seeded sampler and the pruner.

    The worker that creates the study records the fingerprint and enqueues LightGBM's
    defaults as its first trial (``start_from_defaults``); a worker that loads it fails
    the trials that dead workers of this host left running, then checks the fingerprint.

    Args:
        storage: Where trials persist.
        params: Study name, sampler seed and pruner.
        max_rounds: Most boosting rounds a trial can take.
        data_fingerprint: From :func:`fingerprint`; recorded in a new study, checked
            against an existing one.

    Returns:
        The study, maximising the objective's AUC.

    Raises:
        ValueError: The existing study's trials were scored on something else.
    """
    if not params.study_name:
        raise ValueError("the study has no name: call TuningParams.named_for(dataset) first")
    kwargs: dict[str, Any] = {
        "storage": storage,
        "study_name": params.study_name,
        "sampler": TrialSeededTPESampler(seed=params.sampler_seed),
        "pruner": make_pruner(params.pruner, max_rounds),
    }
    try:  # exactly one worker creates the study, records its fingerprint and first trial
        study = optuna.create_study(direction="maximize", **kwargs)
    except optuna.exceptions.DuplicatedStudyError:
        study = optuna.load_study(**kwargs)
    else:
        study.set_user_attr("fingerprint", data_fingerprint)
        study.set_user_attr("objective", params.objective)
        if params.start_from_defaults:
            study.enqueue_trial(defaults_point(params.search_space), skip_if_exists=True)
        return study
    fail_orphaned_trials(study, storage)
    recorded = study.user_attrs.get("fingerprint")
    if recorded is None and not study.get_trials(deepcopy=False):
        # Created an instant ago by another worker (or left empty): same data, same value.
        study.set_user_attr("fingerprint", data_fingerprint)
        study.set_user_attr("objective", params.objective)
    elif recorded != data_fingerprint:
        raise ValueError(
            f"Optuna study '{params.study_name}' in {describe_storage(storage)} holds trials "
            f"scored on other data, folds, objective or search space (fingerprint "
            f"{str(recorded)[:12]}, now {data_fingerprint[:12]}): they cannot be compared "
            "with new trials. Give training.tuning.study_name a new name, or delete the "
            f"study (optuna delete-study --study-name {params.study_name} --storage URL), "
            "and run again"
        )
    return study


def finished_trials(study: optuna.Study) -> int:
    """Trials that completed or were pruned: the ones a resumed run does not redo.

    Args:
        study: Any study.

    Returns:
        Their count.
    """
    return len(study.get_trials(deepcopy=False, states=_FINISHED))


class TrialSeededTPESampler(optuna.samplers.TPESampler):
    """Optuna's TPE sampler (multivariate, constant liar), seeded afresh for every trial.

    Trial ``n`` draws from a generator seeded by ``(seed, n)``. One process gives the same
    trials for a seed on every run; several processes on one study, each built with the
    same seed, no longer draw the same parameters for their first trials (they did, in
    pairs).
    """

    def __init__(self, seed: int) -> None:
        """Build the sampler.

        Args:
            seed: The study's sampler seed.
        """
        super().__init__(seed=seed, multivariate=True, constant_liar=True)
        self._base_seed = seed

    def before_trial(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        """Reseed this trial's draws from ``(seed, trial number)``.

        Args:
            study: The study.
            trial: The trial about to be sampled.
        """
        seed = int(np.random.SeedSequence([self._base_seed, trial.number]).generate_state(1)[0])
        self._rng.rng.seed(seed)
        self._random_sampler._rng.rng.seed(seed)
        super().before_trial(study, trial)


OWNER_ATTR = "owner"


def fail_orphaned_trials(study: optuna.Study, storage: BaseStorage) -> list[int]:
    """Mark ``FAIL`` the running trials whose worker process on this host is gone.

    A worker killed mid-trial leaves the trial ``RUNNING``. Optuna's heartbeat fails it
    after the grace period, but only when a new trial starts, and never for a complete
    study. Trials record their owner (host, pid, process start); those of this host whose
    process is gone are failed here, at once, and any heartbeat-stale ones too.

    Args:
        study: The study.
        storage: Its storage.

    Returns:
        The numbers of the trials failed.
    """
    failed = []
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        owner = trial.system_attrs.get(OWNER_ATTR)
        if not owner or not on_this_host(owner) or still_running(owner):
            continue
        try:
            storage.set_trial_state_values(trial._trial_id, state=TrialState.FAIL)
        except optuna.exceptions.UpdateFinishedTrialError:
            continue  # another worker failed it first
        failed.append(trial.number)
        logger.warning(
            "Study '%s': trial %d was left running by process %s, now gone: marked failed",
            study.study_name,
            trial.number,
            owner["pid"],
        )
    with warnings.catch_warnings():  # experimental since Optuna 2.9, stable in use
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        optuna.storages.fail_stale_trials(study)  # storages with heartbeats only
    return failed


def running_trials(study: optuna.Study) -> int:
    """Trials other workers are running now (after orphans are failed).

    Args:
        study: Any study.

    Returns:
        Their count.
    """
    return len(study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)))


def optimise(
    study: optuna.Study,
    base: dict[str, Any],
    data: TuningData,
    tuning: TuningParams,
    lightgbm: LightGBMParams,
) -> None:
    """Run the trials the study still lacks, logging each new best.

    Args:
        study: From :func:`open_study`.
        base: LightGBM parameters under the tuned ones.
        data: Training data, and the folds or validation period that score a trial
            (early stopping and pruning follow the same score).
        tuning: Objective, budget and search space.
        lightgbm: Round limits.
    """
    remaining = tuning.n_trials - finished_trials(study) - running_trials(study)
    if remaining <= 0:
        logger.info(
            "Study '%s' already holds or runs its %d trials: nothing to run",
            study.study_name,
            tuning.n_trials,
        )
        wait_for_other_workers(study, tuning.timeout_seconds)
        return
    logger.info(
        "Study '%s': running up to %d of %d trials (other workers may share them)",
        study.study_name,
        remaining,
        tuning.n_trials,
    )

    owner = this_process()
    every = tuning.pruner.report_interval

    def objective(trial: optuna.Trial) -> float:
        trial.storage.set_trial_system_attr(trial._trial_id, OWNER_ATTR, owner)
        params = {**base, **suggest(trial, tuning.search_space)}
        started = time.perf_counter()
        stopping = lgb.early_stopping(lightgbm.early_stopping_rounds, verbose=False)
        if tuning.objective == "cv":
            history = lgb.cv(
                params,
                data.train_set,
                num_boost_round=lightgbm.max_rounds,
                folds=data.folds,
                callbacks=[stopping, LightGBMPruningCallback(trial, "auc", report_interval=every)],
            )
            # Early stopping cuts the history at the best iteration.
            means = cast("list[float]", history["valid auc-mean"])
            spreads = cast("list[float]", history["valid auc-stdv"])
            value, best_iteration = float(means[-1]), len(means)
            trial.set_user_attr("fold_auc_std", round(float(spreads[-1]), 6))
        else:
            booster = gbm.train(
                params,
                data.train_set,
                lightgbm.max_rounds,
                valid_set=data.valid_set,
                callbacks=[
                    stopping,
                    LightGBMPruningCallback(
                        trial, "auc", valid_name="validation", report_interval=every
                    ),
                ],
            )
            value = float(booster.best_score["validation"]["auc"])
            best_iteration = int(booster.best_iteration)
        trial.set_user_attr("best_iteration", best_iteration)
        trial.set_user_attr("fit_seconds", round(time.perf_counter() - started, 3))
        return value

    study.optimize(
        objective,
        n_trials=remaining,
        timeout=tuning.timeout_seconds,
        # The study's total across every worker: finished trials and those running now
        # (each will finish), so N workers together run n_trials, not N times it.
        callbacks=[
            MaxTrialsCallback(tuning.n_trials, states=(*_FINISHED, TrialState.RUNNING)),
            _log_new_best,
        ],
        show_progress_bar=tuning.show_progress_bar,
        gc_after_trial=False,
    )
    wait_for_other_workers(study, tuning.timeout_seconds)


def wait_for_other_workers(study: optuna.Study, timeout_seconds: float | None) -> None:
    """Wait for the trials other workers are running, so the best is the study's best.

    A dead worker's trial is failed by Optuna's heartbeat meanwhile (storages with
    heartbeats); the wait ends after ``timeout_seconds`` in any case.

    Args:
        study: The study.
        timeout_seconds: The longest wait; ``None``: an hour.
    """
    deadline = time.monotonic() + (timeout_seconds or 3600.0)
    while running_trials(study) and time.monotonic() < deadline:
        time.sleep(1.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            optuna.storages.fail_stale_trials(study)


def _log_new_best(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
    if trial.state == TrialState.COMPLETE and study.best_trial.number == trial.number:
        logger.info(
            "Trial %d is the new best: %s AUC %.5f at %d rounds, %s",
            trial.number,
            study.user_attrs.get("objective", "holdout"),
            trial.value,
            trial.user_attrs["best_iteration"],
            trial.params,
        )


def best_result(study: optuna.Study) -> dict[str, Any]:
    """What the refit needs, and what the tuning achieved.

    Args:
        study: A study with at least one completed trial.

    Returns:
        Best parameters, best iteration and value, and trial counts by state.

    Raises:
        RuntimeError: When no trial completed (all pruned or failed).
    """
    completed = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if not completed:
        raise RuntimeError(
            f"Study '{study.study_name}' has no completed trial: every trial was pruned or "
            "failed. Check the log of the failed trials, or loosen the pruner "
            "(training.tuning.pruner) and run again: the study resumes."
        )
    best = study.best_trial
    states: dict[str, int] = {}
    for trial in study.get_trials(deepcopy=False):
        states[trial.state.name.lower()] = states.get(trial.state.name.lower(), 0) + 1
    return {
        "study_name": study.study_name,
        "best_trial": best.number,
        "best_value": float(best.value) if best.value is not None else math.nan,
        "best_iteration": int(best.user_attrs["best_iteration"]),
        "objective": study.user_attrs.get("objective", "holdout"),
        "params": dict(best.params),
        "trials": states,
    }


def describe_storage(storage: BaseStorage) -> str:
    """Where a study lives, safe to record: a database URL without its password.

    Args:
        storage: Any Optuna storage.

    Returns:
        The URL with the password masked, ``journal`` for journal storage, else the class.
    """
    engine = getattr(storage, "engine", None)
    if engine is not None:
        return str(engine.url.render_as_string(hide_password=True))
    return type(storage).__name__


TRIAL_COLUMNS = (
    "number",
    "value",
    "datetime_start",
    "datetime_complete",
    "duration",
    "params",
    "user_attrs",
    "state",
)


def trials_table(study: optuna.Study) -> pd.DataFrame:
    """Every trial of the study, as Optuna's own ``Study.trials_dataframe()`` writes it.

    Args:
        study: Any study.

    Returns:
        One row per trial, by trial number: ``number``, ``value``, start, completion and
        ``duration``, ``params_<name>`` for the search space, ``user_attrs_<name>``
        (``best_iteration``, ``fold_auc_std``) and ``state`` (``COMPLETE``, ``PRUNED``...).
    """
    return study.trials_dataframe(attrs=TRIAL_COLUMNS).sort_values("number", ignore_index=True)
