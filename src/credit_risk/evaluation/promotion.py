"""The promotion gate: may the candidate become champion, and which model serves?

Rules: the candidate must not be worse than the best baseline (the lower bound of the
paired AUC difference above ``-baseline_margin``); it must not trail the current
champion's metric by more than the tolerance; and it must raise no blocking fairness or
drift flag (each rule can be switched off). When it is refused and no champion exists
yet, the best baseline is what serves (``baseline_serves_first``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from credit_risk.models.candidates import BASELINES
from credit_risk.params import PromotionParams


def select_candidate(leaderboard: pd.DataFrame) -> dict[str, Any]:
    """The model that faces the gate, and the baseline it must beat.

    Args:
        leaderboard: Validation leaderboard (``model``, ``val_auc``).

    Returns:
        ``{"candidate": best non-baseline, "baseline": best baseline}`` by validation AUC.
    """
    board = leaderboard.sort_values("val_auc", ascending=False)
    is_baseline = board["model"].isin(BASELINES)
    return {
        "candidate": str(board.loc[~is_baseline, "model"].iloc[0]),
        "baseline": str(board.loc[is_baseline, "model"].iloc[0]),
    }


def metrics_of(metrics: pd.DataFrame, model: str) -> dict[str, float]:
    """One model's point metrics from the long metrics table.

    Args:
        metrics: Long table (``model``, ``metric``, ``value``, ...).
        model: The model's name.

    Returns:
        Metric name -> value.
    """
    own = metrics[metrics["model"] == model].set_index("metric")["value"]
    return {str(m): float(v) for m, v in own.items()}


def blocking_flags(summaries: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Per-attribute flags as ``attribute: flag`` lines: those that block the gate, the rest.

    Args:
        summaries: One per attribute (``attribute``, ``flags``, ``blocking``), as
            :func:`credit_risk.evaluation.fairness.fairness_report` returns them.

    Returns:
        ``{"flags": blocking lines, "warnings": the others}``.
    """
    found = [(s["blocking"], f"{s['attribute']}: {f}") for s in summaries for f in s["flags"]]
    # an attribute too small to judge warns, whether it blocks or not: nothing was measured
    unjudged = [f"{s['attribute']}: {s['not_judged']}" for s in summaries if s.get("not_judged")]
    return {
        "flags": [line for blocks, line in found if blocks],
        "warnings": [line for blocks, line in found if not blocks] + unjudged,
    }


def checks(
    candidate: pd.Series,
    baseline_comparison: dict[str, Any],
    fairness_flags: list[str],
    drift_flags: list[str],
    champion: dict[str, Any],
    rules: PromotionParams,
) -> dict[str, bool]:
    """Each rule of the gate, passed or not.

    Args:
        candidate: The candidate's row of the gate's metric (``value``, ``low``, ``high``).
        baseline_comparison: Paired difference, candidate minus best baseline.
        fairness_flags: Blocking fairness flags.
        drift_flags: Blocking drift flags.
        champion: The current champion's record (``{}`` when there is none).
        rules: The gate's rules.

    Returns:
        Check name -> passed, in the order the card and the metrics show them.
    """
    return {
        "not_worse_than_baseline": bool(baseline_comparison["low"] > -rules.baseline_margin),
        "not_worse_than_champion": (not champion)
        or bool(candidate["value"] >= champion["metrics"][rules.metric] - rules.champion_tolerance),
        "no_fairness_flags": not fairness_flags or not rules.block_on_fairness_flags,
        "no_drift_flags": not drift_flags or not rules.block_on_drift_flags,
    }


def reasons(
    candidate: pd.Series,
    selection: dict[str, Any],
    baseline_comparison: dict[str, Any],
    passed: dict[str, bool],
    champion: dict[str, Any],
    rules: PromotionParams,
) -> list[str]:
    """Why the gate decided as it did: the evidence behind each rule, one line each.

    Args:
        candidate: The candidate's row of the gate's metric.
        selection: Candidate and best baseline.
        baseline_comparison: Paired difference, candidate minus best baseline.
        passed: From :func:`checks`.
        champion: The current champion's record (``{}`` when there is none).
        rules: The gate's rules.

    Returns:
        The baseline line, then the champion line.
    """
    diff = baseline_comparison
    return [
        f"{rules.metric} {candidate['value']:.4f} [{candidate['low']:.4f}, "
        f"{candidate['high']:.4f}]; minus the best baseline ({selection['baseline']}): "
        f"{diff['difference']:+.4f} [{diff['low']:+.4f}, {diff['high']:+.4f}], lower bound "
        f"{'above' if passed['not_worse_than_baseline'] else 'not above'} "
        f"-{rules.baseline_margin}",
        "no current champion"
        if not champion
        else f"champion {champion.get('candidate')} (version {champion.get('version')}) at "
        f"{champion['metrics'][rules.metric]:.4f}, tolerance {rules.champion_tolerance}",
    ]


def decide(
    metrics: pd.DataFrame,
    selection: dict[str, Any],
    baseline_comparison: dict[str, Any],
    fairness_flags: list[str],
    drift_flags: list[str],
    champion: dict[str, Any],
    rules: PromotionParams,
) -> dict[str, Any]:
    """Promote or not, with every reason, and the model to register.

    Args:
        metrics: Test metrics with intervals (long table).
        selection: Candidate and best baseline.
        baseline_comparison: Paired difference, candidate minus best baseline.
        fairness_flags: Blocking fairness flags.
        drift_flags: Blocking drift flags.
        champion: The current champion's record (``{}`` when there is none).
        rules: The gate's rules.

    Returns:
        ``{"promote": bool, "candidate", "serve" (the model to register), "baseline_serves",
        "metrics", "checks": {...}, "reasons": [...]}``.
    """
    table = metrics[metrics["metric"] == rules.metric].set_index("model")
    candidate = table.loc[selection["candidate"]]
    passed = checks(candidate, baseline_comparison, fairness_flags, drift_flags, champion, rules)
    why = reasons(candidate, selection, baseline_comparison, passed, champion, rules)
    why += [f"fairness flag: {f}" for f in fairness_flags]
    why += [f"drift flag: {f}" for f in drift_flags]
    promote = all(passed.values())
    fallback = not promote and not champion and rules.baseline_serves_first
    if fallback:
        why.append(
            f"no champion yet: the best baseline ({selection['baseline']}) is registered "
            "and serves until a candidate passes the gate"
        )
    return {
        "promote": promote,
        "candidate": selection["candidate"],
        "serve": selection["baseline"] if fallback else selection["candidate"],
        "baseline_serves": fallback,
        "metrics": metrics_of(metrics, selection["candidate"]),
        "checks": passed,
        "reasons": why,
        # The champion this decision was made against: the move is applied only while it
        # is still the champion (see ChampionDataset.save).
        "against_version": champion.get("version"),
    }


def champion_update(decision: dict[str, Any], version: int) -> dict[str, Any]:
    """What the registry should do after the decision: make the challenger champion, or not.

    The challenger becomes champion when the candidate is promoted, or when the best
    baseline serves as the first champion.

    Args:
        decision: From :func:`decide`.
        version: The challenger's registry version.

    Returns:
        ``{"promote", "version", "candidate", "reasons", "against_version"}``: the last
        is the champion the decision beat (``None`` when there was none).
    """
    return {
        "promote": bool(decision["promote"] or decision["baseline_serves"]),
        "version": version,
        "candidate": decision["serve"],
        "reasons": decision["reasons"],
        "against_version": decision.get("against_version"),
    }
