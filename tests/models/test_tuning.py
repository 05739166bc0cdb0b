from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import optuna
import pandas as pd
import pytest
from pydantic import ValidationError
from sklearn.metrics import roc_auc_score

from credit_risk.contract import DataContract
from credit_risk.datasets import OptunaStorageDataset
from credit_risk.models import gbm, tuning
from credit_risk.models.encoding import fit_encoder
from credit_risk.models.tuning import best_result, finished_trials
from credit_risk.params import TrainingParams, TuningParams
from credit_risk.pipelines.evaluation.nodes import evaluate_variance
from credit_risk.pipelines.training import nodes as training_nodes
from credit_risk.pipelines.tuning import nodes
from credit_risk.validation import DataContractError


def _tune(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
) -> dict:
    storage = OptunaStorageDataset(url=f"sqlite:///{tmp_path}/optuna.db").load()
    encoder = fit_encoder(splits["train"], contract)
    best, trials = nodes.tune_lightgbm(
        storage, splits["train"], splits["validation"], encoder, contract, training
    )
    finished = trials[trials["state"].isin(["COMPLETE", "PRUNED"])]
    assert {"duration", "params_learning_rate", "user_attrs_best_iteration"} <= set(trials)
    done = trials[trials["state"] == "COMPLETE"]
    assert (done["user_attrs_best_iteration"] >= 1).all()
    assert (done["duration"] > pd.Timedelta(0)).all()
    assert len(finished) == sum(best["trials"].get(s, 0) for s in ("complete", "pruned"))
    assert best["storage"].startswith("sqlite:///")
    return best


def _study(tmp_path: Path, name: str) -> optuna.Study:
    storage = OptunaStorageDataset(url=f"sqlite:///{tmp_path}/optuna.db").load()
    return optuna.load_study(storage=storage, study_name=name)


@pytest.mark.parametrize(
    ("dimension", "message"),
    [
        ({"type": "float", "low": 1.0, "high": 0.1}, "cannot sample from an empty range"),
        ({"type": "int", "low": 0, "high": 10, "log": True}, "a log-scale range needs low > 0"),
        ({"type": "categorical", "choices": []}, "at least 1 item"),
        ({"type": "uniform", "low": 0, "high": 1}, "does not match any of the expected tags"),
    ],
)
def test_search_space_that_cannot_be_sampled_is_refused(dimension: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        TuningParams(study_name="s", search_space={"learning_rate": dimension})


def test_tuning_finds_and_records_the_best(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
) -> None:
    result = _tune(tmp_path, splits, contract, training)
    study = _study(tmp_path, training.tuning.named_for(contract.dataset).study_name or "")
    assert result["best_value"] == pytest.approx(study.best_value)
    assert result["params"] == study.best_params
    assert result["best_iteration"] == study.best_trial.user_attrs["best_iteration"] >= 1
    assert sum(result["trials"].values()) == training.tuning.n_trials


def test_interrupted_study_resumes_where_it_stopped(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_optimize = optuna.Study.optimize

    def interrupted(self: optuna.Study, *args: object, **kwargs: object) -> None:
        def stop(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
            if len(study.trials) == 2:
                raise KeyboardInterrupt  # the run is killed after two trials

        kwargs["callbacks"] = [*kwargs.get("callbacks", []), stop]
        real_optimize(self, *args, **kwargs)

    monkeypatch.setattr(optuna.Study, "optimize", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _tune(tmp_path, splits, contract, training)
    monkeypatch.setattr(optuna.Study, "optimize", real_optimize)
    first_two = [
        t.params
        for t in _study(
            tmp_path, training.tuning.named_for(contract.dataset).study_name or ""
        ).trials
    ]
    assert len(first_two) == 2

    _tune(tmp_path, splits, contract, training)  # the same command, run again
    study = _study(tmp_path, training.tuning.named_for(contract.dataset).study_name or "")
    assert finished_trials(study) == training.tuning.n_trials == len(study.trials)
    assert [t.params for t in study.trials[:2]] == first_two  # kept, not redone

    _tune(tmp_path, splits, contract, training)  # complete: nothing more runs
    assert (
        len(_study(tmp_path, training.tuning.named_for(contract.dataset).study_name or "").trials)
        == training.tuning.n_trials
    )


def test_one_class_training_set_stops_before_any_trial(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
) -> None:
    one_class = {**splits, "train": splits["train"].assign(defaulted=0)}
    with pytest.raises(DataContractError, match="expected two target classes to train on"):
        _tune(tmp_path, one_class, contract, training)
    storage = OptunaStorageDataset(url=f"sqlite:///{tmp_path}/optuna.db").load()
    assert optuna.get_all_study_names(storage) == []


def test_empty_training_set_stops(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
) -> None:
    empty = {**splits, "train": splits["train"].iloc[0:0]}
    with pytest.raises(DataContractError, match="expected rows to train on, got 0"):
        _tune(tmp_path, empty, contract, training)


def test_a_study_with_only_pruned_trials_says_what_to_do() -> None:
    study = optuna.create_study(direction="maximize")
    study.optimize(lambda t: (_ for _ in ()).throw(optuna.TrialPruned()), n_trials=2)
    with pytest.raises(RuntimeError, match="loosen the pruner"):
        best_result(study)


def _with_objective(training: TrainingParams, objective: str) -> TrainingParams:
    tuning = training.tuning.model_copy(update={"objective": objective})
    return training.model_copy(update={"tuning": tuning})


def test_cv_objective_scores_each_trial_on_the_training_folds(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
) -> None:
    assert training.tuning.objective == "cv"  # the project's default
    result = _tune(tmp_path, splits, contract, training)
    assert result["objective"] == "cv"
    # The fold models saw 4/5 of the training rows; the refit on all of them runs longer.
    folds = splits["train"]["fold"]
    seen = np.mean([(folds != f).sum() for f in folds.unique()])
    expected = round(result["best_iteration"] * len(folds) / seen)
    assert result["refit_rounds"] == expected > result["best_iteration"]
    # The value is the fold models' mean AUC: refitting the best trial on each fold
    # (bins from the fold's own rows, so not bit-identical) gives nearly the same mean.
    encoder = fit_encoder(splits["train"], contract)
    _, summary = evaluate_variance(splits["train"], encoder, result, contract, training)
    assert result["best_value"] == pytest.approx(summary["roc_auc"]["mean"], abs=0.01)
    trials = _study(tmp_path, training.tuning.named_for(contract.dataset).study_name or "").trials
    assert all(t.user_attrs["fold_auc_std"] > 0 for t in trials if t.value is not None)


def test_holdout_objective_scores_each_trial_on_the_validation_period(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
) -> None:
    holdout = _with_objective(training, "holdout")
    result = _tune(tmp_path, splits, contract, holdout)
    assert result["objective"] == "holdout"
    assert result["refit_rounds"] == result["best_iteration"]  # trials saw every training row
    encoder = fit_encoder(splits["train"], contract)
    booster, _ = training_nodes.refit_lightgbm(splits["train"], encoder, result, contract, holdout)
    p = gbm.predict(booster, encoder, splits["validation"])
    y = splits["validation"][contract.target_column]
    assert roc_auc_score(y, p) == pytest.approx(result["best_value"], abs=1e-9)


@pytest.mark.parametrize("change", ["data", "objective", "search_space"])
def test_a_study_is_not_resumed_on_other_data_or_settings(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
    change: str,
) -> None:
    training = training.model_copy(
        update={"tuning": training.tuning.model_copy(update={"n_trials": 1})}
    )
    _tune(tmp_path, splits, contract, training)
    changed_splits, changed = splits, training
    if change == "data":
        changed_splits = {**splits, "train": splits["train"].iloc[:-10]}
    elif change == "objective":
        changed = _with_objective(training, "holdout")
    else:
        space = {**training.tuning.search_space}
        space["num_leaves"] = space["num_leaves"].model_copy(update={"high": 16})
        changed = training.model_copy(
            update={"tuning": training.tuning.model_copy(update={"search_space": space})}
        )
    with pytest.raises(ValueError, match="holds trials scored on other data") as caught:
        _tune(tmp_path, changed_splits, contract, changed)
    assert "training.tuning.study_name" in str(caught.value)
    assert (
        len(_study(tmp_path, training.tuning.named_for(contract.dataset).study_name or "").trials)
        == 1
    )  # nothing mixed in


def test_folds_unusable_for_auc_are_refused(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
) -> None:
    train = splits["train"]
    one_fold = {**splits, "train": train.assign(fold=0)}
    with pytest.raises(DataContractError, match=r"column 'fold'.*needs at least 2"):
        _tune(tmp_path, one_fold, contract, training)
    positives = train[contract.target_column] == 1
    lopsided = {**splits, "train": train.assign(fold=np.where(positives, 0, train["fold"]))}
    with pytest.raises(DataContractError, match="holds one target class only"):
        _tune(tmp_path, lopsided, contract, training)
    no_folds = {**splits, "train": train.drop(columns="fold")}
    with pytest.raises(DataContractError, match="'fold' of dataset 'model_input_train'"):
        _tune(tmp_path, no_folds, contract, training)


def test_the_search_space_is_capped_by_the_rows_a_trial_trains_on() -> None:
    space = TuningParams().search_space
    small = tuning.scaled_space(space, rows=550)
    assert (small["min_data_in_leaf"].low, small["min_data_in_leaf"].high) == (20, 27)  # type: ignore[union-attr]
    assert (small["num_leaves"].low, small["num_leaves"].high) == (4, 13)  # type: ignore[union-attr]
    tiny = tuning.scaled_space(space, rows=100)
    assert (tiny["min_data_in_leaf"].low, tiny["min_data_in_leaf"].high) == (5, 5)  # type: ignore[union-attr]
    assert tuning.scaled_space(space, rows=14_000) == space  # the demo's folds: unchanged


def test_lightgbms_defaults_are_clamped_into_the_space() -> None:
    point = tuning.defaults_point(TuningParams().search_space)
    assert point == {
        "learning_rate": 0.1,
        "num_leaves": 31,
        "min_data_in_leaf": 20,
        "feature_fraction": 1.0,
        "bagging_fraction": 1.0,
        "bagging_freq": 0,
        "lambda_l2": 0.001,  # LightGBM's 0 is below the log range: its lowest value
        "min_gain_to_split": 0.0,
        "cat_smooth": 10.0,
    }


def test_a_new_study_tries_lightgbms_defaults_first(
    tmp_path: Path,
    splits: dict[str, pd.DataFrame],
    contract: DataContract,
    training: TrainingParams,
) -> None:
    result = _tune(tmp_path, splits, contract, training)
    study = _study(tmp_path, result["study_name"])
    first = study.trials[0]
    rows = len(splits["train"]) - splits["train"]["fold"].value_counts().max()
    space = tuning.scaled_space(training.tuning.search_space, int(rows))
    assert first.params == tuning.defaults_point(space)
    assert result["best_value"] >= first.value


def test_a_worker_with_nothing_left_waits_for_the_trials_others_are_running() -> None:
    study = optuna.create_study(direction="maximize")
    other = study.ask()  # another worker's trial, still running
    threading.Timer(1.5, lambda: study.tell(other, 0.7)).start()
    started = time.monotonic()
    tuning.wait_for_other_workers(study, timeout_seconds=30)
    assert time.monotonic() - started >= 1.0
    assert study.best_value == 0.7  # the refit would now read the study's best
