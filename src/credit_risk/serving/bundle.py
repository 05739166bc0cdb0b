"""The scoring model: everything a batch needs to be scored, as files that load without code.

A bundle is one folder: LightGBM's text model, JSON specs (encoder, logistic model,
ensemble), a parquet reference sample of the training features for drift monitoring,
and ``manifest.json`` naming the candidate, its decision threshold, its lineage and the
SHA-256 of every other file. :func:`read` verifies each digest before parsing anything,
and, when given one, the manifest's own digest as recorded by the registry.
"""

from __future__ import annotations

import dataclasses
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from credit_risk.checksums import ChecksumMismatchError, sha256
from credit_risk.models import baselines, ensemble, gbm
from credit_risk.models.candidates import ENSEMBLE, LIGHTGBM, LOGISTIC
from credit_risk.models.encoding import encode

FORMAT = "credit-risk-scoring-model/1"
MANIFEST = "manifest.json"
_DERIVED = ("manifest_sha256", "registry")
CANDIDATES = (LIGHTGBM, ENSEMBLE, LOGISTIC)


@dataclass(frozen=True)
class ScoringModel:
    """A candidate ready to score: its members, threshold and training reference."""

    candidate: str
    threshold: float
    booster: lgb.Booster
    encoder: dict[str, Any]
    logistic: dict[str, Any]
    blend: dict[str, Any]
    reference: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.candidate not in CANDIDATES:
            raise ValueError(
                f"Cannot serve candidate '{self.candidate}': expected one of {CANDIDATES}"
            )

    @property
    def features(self) -> list[str]:
        """The feature columns a batch must have."""
        return list(self.encoder["features"])

    def score(self, frame: pd.DataFrame) -> np.ndarray:
        """The candidate's probability of default for each row.

        Args:
            frame: Rows with the feature columns.

        Returns:
            Probabilities.
        """
        if self.candidate == LOGISTIC:
            return baselines.predict_logistic(self.logistic, frame)
        lgb_p = gbm.predict(self.booster, self.encoder, frame)
        if self.candidate == LIGHTGBM:
            return lgb_p
        members = {"lightgbm": lgb_p, "logistic": baselines.predict_logistic(self.logistic, frame)}
        return ensemble.blend(self.blend["weights"], members)

    def contributions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Each feature's SHAP contribution to the candidate's log-odds, row by row.

        LightGBM's are TreeSHAP (``pred_contrib``); the logistic model's are exact linear
        SHAP values against the reference sample; the ensemble, a weighted mean of
        log-odds, takes the same weighted mean of its members' contributions.

        Args:
            frame: Rows with the feature columns.

        Returns:
            One column per feature, positive values pushing towards default.
        """
        parts: list[tuple[float, pd.DataFrame]] = []
        weights = self.blend["weights"] if self.candidate == ENSEMBLE else {}
        if self.candidate in (LIGHTGBM, ENSEMBLE):
            raw = self.booster.predict(encode(frame, self.encoder), pred_contrib=True)
            shap = pd.DataFrame(np.asarray(raw)[:, :-1], columns=self.features, index=frame.index)
            parts.append((weights.get("lightgbm", 1.0), shap))
        if self.candidate in (LOGISTIC, ENSEMBLE):
            linear = baselines.logistic_contributions(self.logistic, frame, self.reference)
            parts.append((weights.get("logistic", 1.0), linear))
        total = pd.DataFrame(0.0, index=frame.index, columns=self.features)
        for weight, part in parts:
            total += weight * part.reindex(columns=self.features, fill_value=0.0)
        return total

    def reason_codes(self, frame: pd.DataFrame, top: int = 3) -> pd.DataFrame:
        """The ``top`` features pushing each row's risk up the most, largest first.

        Args:
            frame: Rows with the feature columns.
            top: How many reasons per row.

        Returns:
            Columns ``reason_1..top`` (feature names, empty where fewer features push
            towards risk) and ``reason_1_contribution..`` (log-odds).
        """
        values = self.contributions(frame).to_numpy()
        order = np.argsort(-values, axis=1, kind="stable")[:, :top]
        names = np.asarray(self.features, dtype=object)[order]
        chosen = np.take_along_axis(values, order, axis=1)
        names[chosen <= 0] = None
        out = {}
        for k in range(min(top, values.shape[1])):
            out[f"reason_{k + 1}"] = names[:, k]
            out[f"reason_{k + 1}_contribution"] = np.where(chosen[:, k] > 0, chosen[:, k], np.nan)
        return pd.DataFrame(out, index=frame.index)


def reference_sample(
    train: pd.DataFrame, features: list[str], rows: int, seed: int
) -> pd.DataFrame:
    """A seeded sample of the training features, in their original order: the drift reference.

    Args:
        train: Training rows.
        features: The feature columns to keep.
        rows: Sample size (all of ``train`` when it is smaller).
        seed: Sampling seed.

    Returns:
        The sample, its index reset.
    """
    sample = train.sample(n=min(rows, len(train)), random_state=seed).sort_index()
    return sample[features].reset_index(drop=True)


def lineage(
    metrics: dict[str, float],
    run_context: dict[str, Any],
    feature_sha256: str | None,
    training_dates: pd.Series | None,
) -> dict[str, Any]:
    """What a bundle records of the run that made it (its ``info``).

    Args:
        metrics: The candidate's test metrics.
        run_context: The Kedro run id and git commit.
        feature_sha256: Content hash of the feature table, if known.
        training_dates: The training rows' dates (the training period); None for a table
            without a date column.

    Returns:
        ``{"metrics", "kedro_run_id", "git_commit", "feature_table_sha256",
        "training_period"}``.
    """
    return {
        "metrics": metrics,
        "kedro_run_id": run_context.get("run_id"),
        "git_commit": run_context.get("git_commit"),
        "feature_table_sha256": feature_sha256,
        "training_period": None
        if training_dates is None
        else {
            "from": str(training_dates.min().date()),
            "to": str(training_dates.max().date()),
        },
    }


def package(
    candidate: str,
    threshold: float,
    booster: lgb.Booster,
    encoder: dict[str, Any],
    logistic: dict[str, Any],
    blend: dict[str, Any],
    reference: pd.DataFrame,
    info: dict[str, Any],
) -> ScoringModel:
    """One scoring model for a candidate, its reference sample scored by itself.

    The reference carries the candidate's own scores next to the features, so a later
    batch's score drift is measured against what this model predicted in training.

    Args:
        candidate: The candidate that serves.
        threshold: Its decision threshold (chosen on validation).
        booster: LightGBM model.
        encoder: Its encoder.
        logistic: Logistic spec.
        blend: Ensemble spec.
        reference: Training features (from :func:`reference_sample`).
        info: Lineage and metrics (from :func:`lineage`).

    Returns:
        The scoring model.
    """
    model = ScoringModel(candidate, threshold, booster, encoder, logistic, blend, reference)
    scored = model.reference.assign(score=model.score(model.reference))
    return dataclasses.replace(model, reference=scored, info=info)


def _files(model: ScoringModel) -> dict[str, bytes]:
    parquet = io.BytesIO()
    model.reference.to_parquet(parquet, index=False)
    return {
        "lightgbm_model.txt": gbm.model_text(model.booster).encode(),
        "lightgbm_encoder.json": _json(model.encoder),
        "logistic_model.json": _json(model.logistic),
        "ensemble_model.json": _json(model.blend),
        "reference.parquet": parquet.getvalue(),
    }


def _json(data: Any) -> bytes:
    # key order kept: the logistic model's design columns follow it
    return (json.dumps(data, indent=2) + "\n").encode()


def write(model: ScoringModel, directory: Path) -> str:
    """Write the bundle's files and its manifest into ``directory``.

    Args:
        model: What to write.
        directory: An empty or new folder.

    Returns:
        The SHA-256 of the manifest, which lists every other file's digest.
    """
    directory.mkdir(parents=True, exist_ok=True)
    digests = {}
    for name, data in _files(model).items():
        (directory / name).write_bytes(data)
        digests[name] = sha256(data)
    manifest = {
        "format": FORMAT,
        "candidate": model.candidate,
        "threshold": model.threshold,
        "features": model.features,
        # what reading adds (its own digest, the registry's record) is not part of it
        "info": {k: v for k, v in model.info.items() if k not in _DERIVED},
        "files": digests,
    }
    data = _json(manifest)
    (directory / MANIFEST).write_bytes(data)
    return sha256(data)


def read(directory: Path, manifest_sha256: str | None = None) -> ScoringModel:
    """Read a bundle, refusing any file whose digest is not the one recorded.

    Args:
        directory: The bundle's folder.
        manifest_sha256: The manifest's digest as the registry recorded it, if known.

    Returns:
        The scoring model.

    Raises:
        ChecksumMismatchError: A file, or the manifest, changed after it was written.
        ValueError: The folder is not a bundle of this format.
    """
    raw_manifest = (directory / MANIFEST).read_bytes()
    if manifest_sha256 is not None and sha256(raw_manifest) != manifest_sha256:
        raise ChecksumMismatchError(
            f"Model manifest '{directory / MANIFEST}' has SHA-256 {sha256(raw_manifest)}, "
            f"but the registry recorded {manifest_sha256}: the bundle was altered after "
            "registration. Do not serve it; register the model again from its training run."
        )
    manifest = json.loads(raw_manifest)
    if manifest.get("format") != FORMAT:
        raise ValueError(
            f"'{directory}' is not a scoring-model bundle: expected format {FORMAT}, "
            f"got {manifest.get('format')!r}"
        )
    data = {}
    for name, expected in manifest["files"].items():
        content = (directory / name).read_bytes()
        if sha256(content) != expected:
            raise ChecksumMismatchError(
                f"Model file '{directory / name}' has SHA-256 {sha256(content)}, but the "
                f"manifest recorded {expected}: the file changed after it was written. Do not "
                "serve it; restore it from the registry or register the model again."
            )
        data[name] = content
    return ScoringModel(
        candidate=manifest["candidate"],
        threshold=float(manifest["threshold"]),
        booster=lgb.Booster(model_str=data["lightgbm_model.txt"].decode()),
        encoder=json.loads(data["lightgbm_encoder.json"]),
        logistic=json.loads(data["logistic_model.json"]),
        blend=json.loads(data["ensemble_model.json"]),
        reference=pd.read_parquet(io.BytesIO(data["reference.parquet"])),
        info={**manifest["info"], "manifest_sha256": sha256(raw_manifest)},
    )
