from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from kedro.framework.project import pipelines
from kedro.framework.startup import bootstrap_project

pytestmark = pytest.mark.integration


def test_viz_build_lists_every_pipeline_and_node_on_ordered_layers(project: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "kedro", "viz", "build"],
        cwd=project,
        check=True,
        capture_output=True,
        timeout=300,
    )
    main = json.loads((project / "build" / "api" / "main").read_text())
    bootstrap_project(project)
    assert {p["id"] for p in main["pipelines"]} == set(pipelines)
    shown = {n["name"] for n in main["nodes"] if n["type"] == "task"}
    registered = {n.name for p in pipelines.values() for n in p.nodes}
    assert shown == registered
    # an empty list would mean kedro-viz found a cycle among layers and hid them
    assert main["layers"] == [
        "raw",
        "intermediate",
        "primary",
        "feature",
        "model_input",
        "models",
        "model_output",
        "reporting",
        "registry",
        "scoring",
        "monitoring",
    ]
