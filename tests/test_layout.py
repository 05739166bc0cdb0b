"""The layout promises: pipelines never import one another, and their nodes stay thin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINES = Path(__file__).resolve().parents[1] / "src" / "credit_risk" / "pipelines"
PACKAGES = sorted(p for p in PIPELINES.iterdir() if (p / "__init__.py").is_file())
MAX_NODES_LINES = 250


def _imported(path: Path) -> set[str]:
    """Every module a file imports, absolute (relative imports resolved against its package)."""
    package = ["credit_risk", "pipelines", path.parent.name]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _other_pipelines(path: Path) -> list[str]:
    own = path.parent.name
    return sorted(
        module
        for module in _imported(path)
        if module.startswith("credit_risk.pipelines.")
        and module.split(".")[2] != own
        and module.split(".")[2] in {p.name for p in PACKAGES}
    )


def test_the_checker_sees_an_import_of_another_pipeline(tmp_path: Path) -> None:
    fake = tmp_path / "promotion" / "nodes.py"
    fake.parent.mkdir()
    fake.write_text(
        "from credit_risk.pipelines.evaluation.nodes import select_candidate\n"
        "from credit_risk.pipelines.promotion import pipeline\n"
        "from .. import training\n"
        "import credit_risk.pipelines.inference.nodes\n"
    )
    assert _other_pipelines(fake) == [
        "credit_risk.pipelines.evaluation.nodes",
        "credit_risk.pipelines.evaluation.nodes.select_candidate",
        "credit_risk.pipelines.inference.nodes",
        "credit_risk.pipelines.training",
    ]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_no_pipeline_imports_another(package: Path) -> None:
    offending = {
        str(path.relative_to(PIPELINES)): found
        for path in sorted(package.rglob("*.py"))
        if (found := _other_pipelines(path))
    }
    assert offending == {}, "pipelines share code through domain packages, never each other"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_nodes_modules_stay_thin(package: Path) -> None:
    nodes = package / "nodes.py"
    if not nodes.exists():
        pytest.skip(f"{package.name} has no nodes.py")
    lines = len(nodes.read_text().splitlines())
    assert lines <= MAX_NODES_LINES, (
        f"{package.name}/nodes.py has {lines} lines, expected at most {MAX_NODES_LINES}: "
        "move algorithms, charts and packaging into a domain package"
    )


MAX_NODE_BODY_LINES = 40


def _node_functions(package: Path) -> dict[str, int]:
    """Body lines (docstring excluded) of each public function in a pipeline's nodes.py."""
    nodes = package / "nodes.py"
    if not nodes.exists():
        return {}
    lengths = {}
    for node in ast.parse(nodes.read_text()).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            lengths[node.name] = (body[-1].end_lineno or 0) - body[0].lineno + 1 if body else 0
    return lengths


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_node_functions_stay_short(package: Path) -> None:
    long = {n: k for n, k in _node_functions(package).items() if k > MAX_NODE_BODY_LINES}
    assert long == {}, (
        f"node functions over {MAX_NODE_BODY_LINES} lines of body: a node unpacks its "
        "parameters, calls domain functions and logs"
    )


def test_the_generic_loop_never_imports_the_demo_world() -> None:
    """Only the demo pipeline and the test/benchmark helpers reach the demo generator."""
    source = PIPELINES.parent
    allowed = {source / "demo_data", PIPELINES / "demo_data", source / "running.py"}
    offending = {
        str(path.relative_to(source)): sorted(found)
        for path in sorted(source.rglob("*.py"))
        if not any(path == a or a in path.parents for a in allowed)
        and (found := {m for m in _imported(path) if m.startswith("credit_risk.demo_data")})
    }
    assert offending == {}, "the demo generator is a layer: reach it through configuration"
