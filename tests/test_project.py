"""Project-level promises: telemetry off, pipelines registered, every dataset on a layer."""

from __future__ import annotations

from pathlib import Path

import yaml
from kedro.framework.project import pipelines
from kedro.framework.startup import bootstrap_project

PROJECT = Path(__file__).resolve().parents[1]


def test_kedro_telemetry_is_off() -> None:
    assert yaml.safe_load((PROJECT / ".telemetry").read_text()) == {"consent": False}


def test_registered_pipelines_and_named_nodes() -> None:
    bootstrap_project(PROJECT)
    assert {
        "demo_data",
        "data_processing",
        "model_input",
        "training",
        "evaluation",
        "inference",
        "__default__",
    } <= set(pipelines)
    assert {n.name for n in pipelines["inference"].nodes} <= {
        n.name for n in pipelines["__default__"].nodes
    }
    assert all("inference" in n.tags for n in pipelines["inference"].nodes)
    default = pipelines["__default__"]
    assert {n.name for n in pipelines["data_processing"].nodes} <= {n.name for n in default.nodes}
    assert all(not n.name.startswith("<") and "(" not in n.name for n in default.nodes)


def test_every_catalog_entry_has_a_layer() -> None:
    catalog = yaml.safe_load((PROJECT / "conf/base/catalog.yml").read_text())
    missing = [
        name
        for name, entry in catalog.items()
        if "layer" not in entry.get("metadata", {}).get("kedro-viz", {})
    ]
    assert missing == []


def test_every_pipeline_dataset_is_in_the_catalog_or_a_parameter() -> None:
    bootstrap_project(PROJECT)
    catalog = yaml.safe_load((PROJECT / "conf/base/catalog.yml").read_text())
    patterns = [name.split("{")[0] for name in catalog if "{" in name]
    suffixes = [name.split("}")[1] for name in catalog if "}" in name]
    for name in pipelines["__default__"].datasets():
        if name.startswith("params:") or name in catalog:
            continue
        assert any(
            name.startswith(p) and name.endswith(s) for p, s in zip(patterns, suffixes, strict=True)
        ), name


def test_nothing_sensitive_is_previewed() -> None:
    catalog = yaml.safe_load((PROJECT / "conf/base/catalog.yml").read_text())
    sensitive = [
        "customers",
        "{source}_validated",
        "model_table",
        "feature_table",
        "model_input_{split}",
        "{split}_scores",
        "ground_truth",
        "quarantine",
        "{source}_quarantine",
        "model_table_quarantine",
    ]
    for name in sensitive:
        assert catalog[name]["metadata"]["kedro-viz"].get("preview") is False, name


def test_mlflow_store_is_embedded_and_its_ui_binds_to_localhost() -> None:
    conf = (PROJECT / "conf" / "base" / "mlflow.yml").read_text()
    mlflow = yaml.safe_load(conf)
    assert mlflow["server"]["mlflow_tracking_uri"] == "sqlite:///${project_root:}/mlflow.db"
    assert mlflow["server"]["credentials"] is None  # secrets live in conf/local only
    assert mlflow["ui"]["host"] == "127.0.0.1"
    gitignore = (PROJECT / ".gitignore").read_text().splitlines()
    assert {"mlflow.db", "mlartifacts/"} <= set(gitignore)
