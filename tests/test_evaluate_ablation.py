"""``peaceops evaluate --folds --without RULE`` and ``--rules`` (#32): ablation of coder rules."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.coding.ablation import ablate, baseline
from peaceops.coding.coder import CODER
from peaceops.coding.crossval import K, cross_validate_stored, read_golds
from peaceops.coding.rules import REGISTRY
from peaceops.coding.run import code_in_memory
from peaceops.errors import CodingError

runner = CliRunner()
PEMA_DIR = "mandates/pema-dev"


@pytest.fixture(scope="module")
def golds(data_dir):
    return read_golds(data_dir / PEMA_DIR)


@pytest.fixture(scope="module")
def full(db, golds):
    return baseline(db, golds)


def test_rules_lists_every_rule_with_its_version(built_db):
    result = runner.invoke(app, ["evaluate", "--rules", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["coder"] == CODER
    assert [r["name"] for r in payload["rules"]] == list(REGISTRY)
    assert {r["id"] for r in payload["rules"]} == {r.id for r in REGISTRY.values()}
    text = runner.invoke(app, ["evaluate", "--rules"], terminal_width=200)
    assert text.exit_code == 0 and "scope.condemned" in text.stdout and "--without" in text.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--without", "scope.condemed"],
        ["--without", "scope.condemned", "--without", "nonsense"],
        ["--without", ""],
        ["--without", "scope.condemned; DROP TABLE codes"],
        ["--without", "[bold red]x[/]"],
    ],
)
def test_an_unknown_rule_fails_before_any_work_and_says_how_to_list_them(tmp_path, args):
    # a data directory and knowledge base that do not exist: the name is checked first
    result = runner.invoke(
        app,
        ["evaluate", "--folds", *args, "--db", str(tmp_path / "none.duckdb"),
         "--data-dir", str(tmp_path / "nodata")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "unknown coder rule" in result.output
    assert "peaceops evaluate --rules" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "none.duckdb").exists()


def test_a_misspelt_rule_gets_the_close_match():
    result = runner.invoke(app, ["evaluate", "--folds", "--without", "scope.condemed"])
    assert "did you mean scope.condemned" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--without", "scope.condemned"], "add --folds"),
        (["--folds", "--without", "scope.condemned", "--level", "paragraph"], "drop --format"),
        (["--folds", "--without", "scope.condemned", "--format", "dpa2010"], "drop --format"),
        (["--rules", "--folds"], "use it alone"),
        (["--rules", "--without", "scope.condemned"], "use it alone"),
    ],
)
def test_without_needs_folds_and_rules_stands_alone(args, message):
    result = runner.invoke(app, ["evaluate", *args])
    assert result.exit_code == 1
    assert message in result.output


def test_ablation_side_by_side_in_json(built_db, full):
    result = runner.invoke(
        app, ["evaluate", "--folds", "--without", "task.CivProtect", "--json", "--db",
              str(built_db)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["without"] == ["task.CivProtect"]
    assert payload["coder_with"] == CODER != payload["coder_without"]
    per_fold = pd.DataFrame(payload["per_fold"])
    assert set(per_fold["fold"]) == {*map(str, range(1, K + 1)), "all"}
    assert (
        per_fold["change"] - (per_fold["without"] - per_fold["with"])
    ).abs().max() < 1e-9  # JSON keeps 10 digits
    # the figures with the rule are those of `evaluate --folds`
    mine = pd.concat([full.per_fold, full.pooled]).assign(fold=lambda f: f["fold"].astype(str))
    merged = per_fold.merge(mine, on=["definition", "level", "group", "fold"])
    assert len(merged) == len(per_fold)
    assert (merged["with"] - merged["macro_f1"]).abs().max() < 1e-9  # JSON keeps 10 digits
    summary = pd.DataFrame(payload["summary"])
    assert len(summary) == len(full.summary())
    text = runner.invoke(
        app, ["evaluate", "--folds", "--without", "task.CivProtect", "--db", str(built_db)],
        terminal_width=200,
    )  # fmt: skip
    assert text.exit_code == 0 and "without task.CivProtect" in text.stdout
    assert "change on each fold" in text.stdout


def test_a_task_left_out_takes_away_its_codes_and_no_other(db):
    codes = code_in_memory(db, without=["task.CivProtect"], workers=1)
    stored = db.execute("SELECT * FROM codes WHERE task <> 'CivProtect'")
    key = ["resolution", "paragraph", "task", "modality", "start", "end"]
    assert sorted(map(tuple, codes[key].to_numpy().tolist())) == sorted(
        map(tuple, stored[key].to_numpy().tolist())
    )
    assert codes["coder"].nunique() == 1 and codes["coder"].iloc[0] != CODER


def test_strength_markers_do_not_move_the_folds(db, golds, full):
    result = ablate(db, golds, ["strength"], full=full, workers=1)
    assert len(result.without) == 9
    assert (result.per_fold()["change"].fillna(0) == 0).all()


def test_ablate_refuses_unknown_rules_before_coding(db, golds):
    with pytest.raises(CodingError, match="unknown coder rule"):
        ablate(db, golds, ["scope.nothing"])


def test_cross_validating_given_codes_matches_the_stored(db, golds, full):
    again = cross_validate_stored(db, golds, codes=db.execute("SELECT * FROM codes"))
    pd.testing.assert_frame_equal(again.per_fold, full.per_fold)
