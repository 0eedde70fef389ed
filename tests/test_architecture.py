"""The tree keeps the shape of ../shared/DESIGN.md: layer contracts, thin commands, small modules.

See #12: the layer rules are import-linter contracts in pyproject.toml, run by `make test`;
these tests check that they hold, that breaking one fails, and the rules a linter cannot see.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "peaceops"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_LINES = 500


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layer_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_contracts_encode_every_layer_of_the_design():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}
    layers = [
        re.sub(r"[()]", "", part).strip()
        for entry in contracts["layers"]["layers"]
        for part in entry.split("|")
    ]
    # DESIGN.md's table, from the top face down to the sources
    assert layers == [
        "cli",
        "web",
        "report",
        "forecast",
        "claims",
        "pipeline",
        "sim",
        "measures",
        "doctrine",
        "coding",
        "store",
        "registry",
        "sources",
    ]
    assert "peaceops.cli" in contracts["faces"]["forbidden_modules"]


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("store/database.py", "import peaceops.coding.run"),  # the store knows no coder
        ("coding/segment.py", "import peaceops.measures"),  # coding is below measures
        ("sources/common.py", "import peaceops.store"),  # sources are the bottom layer
        ("sim/run.py", "import peaceops.cli.common"),  # no library layer imports a face
        ("errors.py", "import peaceops.store"),  # errors import no layer
    ],
)
def test_breaking_an_arrow_fails_the_contracts(tmp_path, module, line):
    copy = tmp_path / "repo"
    shutil.copytree(SRC, copy / "src" / "peaceops", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    target = copy / "src" / "peaceops" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", "utf-8")
    result = _lint_imports(copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout or "broken" in result.stdout


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_modules_stay_under_500_lines_or_say_why(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    if lines > MAX_LINES:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        doc = " ".join(doc.split())
        assert "over 500 lines" in doc, f"{path} has {lines} lines and no reason in its docstring"


@pytest.mark.parametrize(
    "path", sorted((SRC / "cli").glob("*.py")), ids=lambda p: str(p.relative_to(SRC))
)
def test_commands_hold_no_sql(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\bSELECT\b", text), f"{path} holds SQL; move it to the layer below"
    assert ".conn" not in text and "duckdb" not in text


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_private_name_is_imported_across_packages(path):
    package = path.relative_to(SRC).parts[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("peaceops."):
            other = node.module.split(".")[1]
            if other == package.removesuffix(".py"):
                continue
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{path} imports {private} from {node.module}"


def test_layers_reach_the_database_only_through_database():
    for path in _modules():
        rel = path.relative_to(SRC)
        if rel.parts[0] == "store":
            continue  # the store owns the connections
        text = path.read_text(encoding="utf-8")
        assert "duckdb.connect" not in text, f"{rel} opens its own DuckDB connection"
        assert "DuckDBPyConnection" not in text, f"{rel} passes a raw connection around"
        assert ".conn." not in text and ".conn)" not in text, f"{rel} reaches into .conn"


def test_one_executor_serves_every_parallel_job():
    users = [
        p.relative_to(SRC)
        for p in _modules()
        if re.search(r"ProcessPoolExecutor|multiprocessing|distributed import", p.read_text())
    ]
    assert users == [Path("parallel.py")]
