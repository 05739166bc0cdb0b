"""Every parameter block of the project, typed: one home for each.

A node input ``params:<block>`` annotated with one of these classes is validated by
Kedro before any node runs, so a bad value fails with the key that holds it. Each YAML
file under ``conf/base`` names, in its header, the class that reads it. The defaults
here are the project's defaults: ``conf/base`` repeats them for people to read and edit,
and ``tests/test_params.py`` checks that the two agree.

This module imports only pydantic, so importing it (Kedro does, to validate) costs no
model library.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# ------------------------------------------- validation (params:validation, params:sources)


class SourceSpec(BaseModel):
    """How one raw source maps onto its schema."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id_columns: list[str] = Field(min_length=1)
    rename: dict[str, str] = Field(default_factory=dict, description="Source name -> schema name.")
    not_after_snapshot: list[str] = Field(default_factory=list, description="Date columns.")


class ValidationSettings(BaseModel):
    """Settings shared by every source (``params:validation``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    snapshot_date: dt.date = Field(description="Extraction day: later dates are impossible.")
    max_coercion_failure_rate: float = Field(0.5, gt=0, le=1)
    category_aliases: dict[str, str] = Field(default_factory=dict)
    max_abs_value: float = Field(
        1e15,
        gt=0,
        description="Any numeric value larger in magnitude is implausible and quarantined "
        "(beyond 1e15, float64 sums lose whole units); inf and -inf always are.",
    )


# ---------------------------------------------------------------- features and splits


class FeatureParams(BaseModel):
    """Point-in-time feature settings (``params:features``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    windows: list[int] = Field(default=[3, 6, 12], min_length=1)


class SplitParams(BaseModel):
    """Out-of-time splits and cross-validation folds (``params:split``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    test_months: int = Field(4, ge=1, description="The latest months: out-of-time test.")
    validation_months: int = Field(3, ge=1, description="The months before the test period.")
    test_fraction: float = Field(
        0.2, gt=0, lt=0.5, description="Without a date column: the share of rows for test."
    )
    validation_fraction: float = Field(
        0.15, gt=0, lt=0.5, description="Without a date column: the share for validation."
    )
    n_folds: int = Field(5, ge=2, description="Folds over the training period.")
    seed: int = 42


# ---------------------------------------------------------------- training (params:training)


class LogisticParams(BaseModel):
    """Logistic-regression baseline settings (``params:training.logistic``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    C: float = Field(0.5, gt=0, description="Inverse L2 strength.")
    max_iter: int = Field(2_000, ge=10)
    min_level_share: float = Field(
        0.01, ge=0, lt=0.5, description="Rarer levels go to the '__other__' bucket."
    )


class LightGBMParams(BaseModel):
    """Fixed LightGBM settings (``params:training.lightgbm``); tuned ones come from Optuna."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_rounds: int = Field(3_000, ge=1, description="Upper bound on boosting rounds.")
    early_stopping_rounds: int = Field(100, ge=1)
    fixed: dict[str, Any] = Field(
        default_factory=lambda: {"objective": "binary", "metric": "auc", "max_bin": 255},
        description="Passed to lgb.train as they are, under the tuned parameters.",
    )


class FloatRange(BaseModel):
    """A float drawn from [low, high], on a log scale if ``log``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["float"] = "float"
    low: float
    high: float
    log: bool = False

    @model_validator(mode="after")
    def _can_be_sampled(self) -> FloatRange:
        _check_range(self.low, self.high, self.log)
        return self


class IntRange(BaseModel):
    """An integer drawn from [low, high], on a log scale if ``log``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["int"]
    low: int
    high: int
    log: bool = False

    @model_validator(mode="after")
    def _can_be_sampled(self) -> IntRange:
        _check_range(self.low, self.high, self.log)
        return self


class Choice(BaseModel):
    """One of a list of values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["categorical"]
    choices: list[bool | int | float | str] = Field(min_length=1)


Dimension = Annotated[FloatRange | IntRange | Choice, Field(discriminator="type")]


def _check_range(low: float, high: float, log: bool) -> None:
    if not low <= high:
        raise ValueError(f"cannot sample from an empty range: low {low} > high {high}")
    if log and low <= 0:
        raise ValueError(f"a log-scale range needs low > 0, got low {low}")


def _default_search_space() -> dict[str, Any]:
    return {
        "learning_rate": FloatRange(low=0.01, high=0.2, log=True),
        "num_leaves": IntRange(type="int", low=4, high=64, log=True),
        "min_data_in_leaf": IntRange(type="int", low=20, high=400, log=True),
        "feature_fraction": FloatRange(low=0.4, high=1.0),
        "bagging_fraction": FloatRange(low=0.5, high=1.0),
        "bagging_freq": Choice(type="categorical", choices=[0, 1, 5]),
        "lambda_l2": FloatRange(low=0.001, high=30.0, log=True),
        "min_gain_to_split": FloatRange(low=0.0, high=1.0),
        "cat_smooth": FloatRange(low=1.0, high=50.0, log=True),
    }


class PrunerParams(BaseModel):
    """Which pruner stops unpromising trials early."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["median", "hyperband", "none"] = "median"
    n_startup_trials: int = Field(5, ge=0, description="Median: trials before pruning starts.")
    n_warmup_steps: int = Field(50, ge=0, description="Median: rounds before a trial is judged.")
    min_resource: int = Field(50, ge=1, description="Hyperband: fewest rounds a trial gets.")
    reduction_factor: int = Field(3, ge=2, description="Hyperband: keep 1/factor per rung.")
    report_interval: int = Field(
        10,
        ge=1,
        description="Rounds between a trial's reports to the study (each one a write, and a "
        "pruning check that reads the study): 1 made storage the bottleneck of parallel "
        "workers on PostgreSQL.",
    )


class TuningParams(BaseModel):
    """The study, its budget and its search space (``params:training.tuning``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    study_name: str | None = Field(
        None,
        min_length=1,
        description="None: '<data_contract.dataset>-lightgbm': each table its own study.",
    )
    objective: Literal["cv", "holdout"] = Field(
        "cv",
        description="cv: mean AUC over the training period's grouped folds; holdout: AUC on "
        "the validation period.",
    )
    n_trials: int = Field(30, ge=1, description="Finished trials the study should hold.")
    timeout_seconds: float | None = Field(900, gt=0, description="Wall-clock cap per run.")
    sampler_seed: int = 42
    pruner: PrunerParams = PrunerParams()
    search_space: dict[str, Dimension] = Field(default_factory=_default_search_space, min_length=1)
    show_progress_bar: bool = True
    start_from_defaults: bool = Field(
        True,
        description="A new study's first trial is LightGBM's defaults (clamped into the "
        "space): the tuned model never trails them on the tuning objective.",
    )
    scale_to_rows: bool = Field(
        True,
        description="Cap min_data_in_leaf and num_leaves by the rows a trial trains on, so "
        "a small table is not searched with ranges sized for a large one.",
    )

    def named_for(self, dataset: str) -> TuningParams:
        """These settings with the study named: ``study_name``, or ``<dataset>-lightgbm``.

        Args:
            dataset: The data contract's dataset name.

        Returns:
            Settings whose ``study_name`` is set.
        """
        if self.study_name:
            return self
        return self.model_copy(update={"study_name": f"{dataset}-lightgbm"})


class EnsembleParams(BaseModel):
    """How the blend weight is searched (``params:training.ensemble``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    grid_points: int = Field(101, ge=2, description="Weights tried between 0 and 1.")


class TrainingParams(BaseModel):
    """Everything the training pipeline reads (``params:training``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int = 42
    num_threads: int = Field(0, ge=0, description="0: all cores. Results do not depend on it.")
    logistic: LogisticParams = LogisticParams()
    lightgbm: LightGBMParams = LightGBMParams()
    tuning: TuningParams = TuningParams()
    ensemble: EnsembleParams = EnsembleParams()
    refit_on_validation: bool = Field(
        True,
        description="Refit the logistic and LightGBM models that serve on training + "
        "validation, once the train-only fits have chosen everything validation decides.",
    )


# ---------------------------------------------------------------- evaluation (params:evaluation)


class FairnessParams(BaseModel):
    """Limits that turn fairness gaps into flags (``params:evaluation.fairness``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_demographic_parity_difference: float = Field(0.10, ge=0, le=1)
    max_equalized_odds_difference: float = Field(0.10, ge=0, le=1)
    max_auc_difference: float = Field(0.05, ge=0, le=1)
    max_calibration_gap_difference: float = Field(
        0.03,
        ge=0,
        le=1,
        description="Largest gap between groups of (observed - mean predicted) default rate.",
    )
    min_group_size: int = Field(50, ge=1, description="Smaller groups are reported, not judged.")
    blocking_attributes: list[str] | None = Field(
        None,
        description="Flags on these attributes block promotion, on others they warn. None: "
        "the contract's sensitive_columns less its fairness_warning_only.",
    )


class DriftParams(BaseModel):
    """Drift limits (``params:evaluation.drift``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    n_bins: int = Field(10, ge=2, description="Quantile bins of each numeric feature.")
    psi_warning: float = Field(0.1, gt=0)
    psi_critical: float = Field(0.25, gt=0)
    p_value: float = Field(0.001, gt=0, lt=1, description="Two-sample test level.")
    max_critical_features: int = Field(0, ge=0, description="More critical features: a flag.")
    min_rows: int = Field(
        200,
        ge=1,
        description="Fewer rows in the later sample: PSI and tests are not judged (a sample "
        "with no drift at all has a PSI of about (n_bins - 1) / rows: 0.045 at 200 rows and "
        "10 bins, 8 on one row). Unseen categories are judged at any size.",
    )


class BusinessParams(BaseModel):
    """The business view: what a decision is worth (``params:evaluation.business``).

    ``rule`` says how the decision threshold is chosen on validation:

    - ``loan_profit``: expected profit of each loan from the contract's amount, interest
      rate and term columns (interest earned if repaid, ``loss_given_default`` of the
      amount lost if not);
    - ``per_outcome``: approving a good row earns ``value_per_good``, a bad one costs
      ``loss_per_bad`` (times the contract's ``amount_column`` when it names one);
    - ``approval_rate``: the threshold that approves ``target_approval_rate`` of the
      validation rows, valued as ``per_outcome`` for the report;
    - ``auto``: ``loan_profit`` when the contract names the three loan columns, else
      ``per_outcome``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: Literal["auto", "loan_profit", "per_outcome", "approval_rate"] = "auto"
    loss_given_default: float = Field(0.6, gt=0, le=1, description="Share of amount lost.")
    interest_share_earned: float = Field(
        0.5, gt=0, le=1, description="Share of rate x term earned on an amortising loan."
    )
    value_per_good: float = Field(1.0, gt=0, description="per_outcome: an approved good row.")
    loss_per_bad: float = Field(
        5.0, gt=0, description="per_outcome: an approved bad row costs this many goods."
    )
    target_approval_rate: float = Field(0.8, gt=0, lt=1, description="approval_rate rule.")
    grid_points: int = Field(201, ge=11, description="Thresholds tried on validation.")


class PromotionParams(BaseModel):
    """The promotion gate's rules (``params:evaluation.promotion``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: str = "roc_auc"
    baseline_margin: float = Field(
        0.01,
        ge=0,
        description="Non-inferiority margin: the lower bound of the paired AUC difference "
        "(candidate minus best baseline) must be above -margin; 0 asks for a significant gain.",
    )
    champion_tolerance: float = Field(0.005, ge=0, description="Allowed AUC drop vs champion.")
    block_on_fairness_flags: bool = True
    block_on_drift_flags: bool = True
    baseline_serves_first: bool = Field(
        True,
        description="With no champion yet and the candidate refused, the best baseline is "
        "registered and serves until a candidate passes the gate.",
    )


class CreditViewParams(BaseModel):
    """The credit team's views: gains bands, the PD master scale, score histogram bins."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gains_bands: int = Field(10, ge=2, le=100, description="Equal-count bands (10: deciles).")
    score_bins: int = Field(40, ge=5, le=500, description="Bins of the score histograms.")
    grade_names: list[str] = Field(
        default_factory=lambda: ["A", "B", "C", "D", "E", "F", "G", "H"],
        description="Rating grades, best first.",
    )
    grade_upper_bounds: list[float] = Field(
        default_factory=lambda: [0.03, 0.045, 0.06, 0.08, 0.11, 0.16, 0.25, 1.0],
        description="Each grade's highest PD; increasing, the last 1.0.",
    )
    grade_alpha: float = Field(0.05, gt=0, lt=1, description="Level of each grade's binomial test.")

    @model_validator(mode="after")
    def _is_a_master_scale(self) -> CreditViewParams:
        bounds, names = self.grade_upper_bounds, self.grade_names
        if len(bounds) != len(names):
            raise ValueError(
                f"grade_names has {len(names)} grades and grade_upper_bounds {len(bounds)} "
                "bounds: give one upper PD bound per grade"
            )
        if any(b <= a for a, b in itertools.pairwise(bounds)) or bounds[0] <= 0:
            raise ValueError(f"grade_upper_bounds must increase from above 0: {bounds}")
        if bounds[-1] != 1.0:
            raise ValueError(
                f"the last grade_upper_bounds is {bounds[-1]}: set it to 1.0 so that every "
                "PD has a grade"
            )
        return self


class EvaluationParams(BaseModel):
    """Everything the evaluation pipeline reads (``params:evaluation``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bootstrap_resamples: int = Field(1_000, ge=50)
    seed: int = 42
    calibration_bins: int = Field(10, ge=2)
    fairness: FairnessParams = FairnessParams()
    drift: DriftParams = DriftParams()
    business: BusinessParams = BusinessParams()
    promotion: PromotionParams = PromotionParams()
    credit_views: CreditViewParams = CreditViewParams()
    reference_rows: int = Field(
        5_000, ge=100, description="Training rows kept in the model as the drift reference."
    )


# ---------------------------------------------------------------- inference (params:inference)


class InferenceParams(BaseModel):
    """Everything the inference pipeline reads (``params:inference``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: SourceSpec = SourceSpec(
        id_columns=["application_id"], not_after_snapshot=["application_date"]
    )
    reason_codes: int = Field(3, ge=1, le=10, description="Reasons given per declined row.")
    drift: DriftParams = DriftParams()
