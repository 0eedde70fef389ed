"""The lockbox (#32): sealed missions, no rule written from them, scored once per release.

The unit tests score invented missions; the real lockbox is scored only by the command's test,
which checks what is shown (macro figures, never a disagreement) and never prints a figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.coding.crossval import (
    DEFINITIONS,
    K,
    cross_validate,
    read_folds,
    read_golds,
    read_lockbox,
)
from peaceops.coding.lockbox import (
    RECORD_COLUMNS,
    check_unscored,
    read_record,
    record_score,
    score_lockbox,
)
from peaceops.coding.pema import pema_as_codes
from peaceops.errors import CodingError

pytestmark = pytest.mark.issue(32)
runner = CliRunner()
CODING = Path(__file__).resolve().parents[1] / "src" / "peaceops" / "coding"
#: How the coder's sources name a resolution: "S/RES/2098", "resolution 2098", a tasks.yaml
#: example "[2098, '12(b)', ...]".
QUOTED = re.compile(r"(?:S/RES/|[Rr]esolution |\[)(\d{2,4})\b")


def quoted_resolutions(text: str) -> set[int]:
    return {int(n) for n in QUOTED.findall(text)}


@pytest.fixture(scope="module")
def golds(data_dir: Path) -> dict[str, pd.DataFrame]:
    return read_golds(data_dir / "mandates/pema-dev")


def test_the_lockbox_is_eleven_whole_missions_outside_every_fold(golds):
    sealed = read_lockbox()
    assert len(sealed) == 11 and sealed == sorted(set(sealed))
    assert set(sealed) <= set(golds["raw_v2"]["mission"])
    folds = read_folds()
    assert not set(sealed) & set(folds["mission"])
    assert len(folds) == 23 and sorted(folds["fold"].unique()) == list(range(1, K + 1))
    assert len(read_folds(lockbox=None)) == 34  # the assignment as it was made
    for gold in golds.values():  # whole missions: no resolution is also a dev mission's
        rows = gold.drop_duplicates(["mission", "resolution"])
        sealed_rows = set(rows.loc[rows["mission"].isin(sealed), "resolution"])
        assert not sealed_rows & set(rows.loc[~rows["mission"].isin(sealed), "resolution"])


def test_no_rule_pattern_or_example_quotes_a_lockbox_resolution(golds):
    """A rule written from a sealed mission's text would unseal it: this fails if one is."""
    rows = golds["raw_v2"]
    sealed = set(rows.loc[rows["mission"].isin(read_lockbox()), "resolution"].astype(int))
    assert len(sealed) == 47
    sources = [p for p in CODING.rglob("*") if p.suffix in (".py", ".yaml")]
    assert any(p.name == "tasks.yaml" for p in sources) and len(sources) > 20
    for path in sources:
        assert not quoted_resolutions(path.read_text(encoding="utf-8")) & sealed, path


def test_the_quote_check_finds_each_way_a_rule_names_a_resolution():
    # the data that flips the test above: a lockbox resolution named any of three ways
    assert quoted_resolutions("S/RES/968 para 3") == {968}
    assert quoted_resolutions("as in resolution 1277 (1999)") == {1277}
    assert quoted_resolutions("- [1542, '7(a)', 'to support']") == {1542}
    assert quoted_resolutions("paragraph 12 of the report") == set()


def _invented() -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """Four invented missions, two tasks each resolution; the codes get some right."""
    rows = []
    for m, mission in enumerate(["ALPHA", "BRAVO", "CHARLIE", "DELTA"]):
        for r in range(6):
            number = 9000 + 10 * m + r
            for task in ("HumanRights", "ElectAssist", "CivProtect"):
                if (r + len(task)) % 3:
                    rows.append((mission, number, task, "Monitor", str(r + 1)))
    gold = pd.DataFrame(rows, columns=["mission", "resolution", "task", "modality", "paragraph"])
    gold = gold.assign(document=pd.NA, inherited=False, source_resolution=pd.NA, cell_text="x")
    gold.attrs = {"release": "invented", "tasks": ["HumanRights", "ElectAssist", "CivProtect"]}
    codes = pema_as_codes(gold)
    keep = codes["resolution"] % 4 != 0  # misses
    extra = codes[codes["resolution"] % 5 == 0].assign(task="CivProtect")  # false positives
    codes = pd.concat([codes[keep], extra], ignore_index=True).assign(coder="invented.v1")
    paragraphs = gold[["resolution", "paragraph"]].rename(columns={"paragraph": "label"})
    golds = {d.name: gold for d in DEFINITIONS if not d.own_text}
    return golds, codes, paragraphs.drop_duplicates()


def test_lockbox_figures_are_the_pooled_figures_with_a_seeded_mission_interval():
    golds, codes, paragraphs = _invented()
    box = ["ALPHA", "CHARLIE", "DELTA"]
    score = score_lockbox(codes, golds, paragraphs=paragraphs, lockbox=box, draws=300)
    folds = pd.DataFrame({"mission": box, "fold": 0})
    pooled = cross_validate(codes, golds, folds=folds, texts=paragraphs["resolution"]).pooled
    keys = ["definition", "level", "group"]
    merged = score.figures.merge(pooled, on=keys, suffixes=("", "_cv"))
    assert len(merged) == len(pooled) == 8
    assert (merged["macro_f1"] - merged["macro_f1_cv"]).abs().max() < 1e-12
    assert (merged["tasks"] == merged["tasks_cv"]).all()
    assert 0 < score.headline() < 1 and score.missions == tuple(box)
    assert (score.figures["low"] <= score.figures["high"]).all()
    assert (score.figures["low"] < score.figures["high"]).any()  # missions differ
    again = score_lockbox(codes, golds, paragraphs=paragraphs, lockbox=box, draws=300)
    pd.testing.assert_frame_equal(score.figures, again.figures)
    with pytest.raises(CodingError, match="no gold row"):
        score_lockbox(codes, golds, paragraphs=paragraphs, lockbox=["ZULU"])


def test_a_release_is_recorded_once_and_a_foreign_file_is_never_touched(tmp_path):
    golds, codes, paragraphs = _invented()
    score = score_lockbox(codes, golds, paragraphs=paragraphs, lockbox=["BRAVO"], draws=50)
    record = tmp_path / "lockbox.csv"
    assert read_record(record).empty
    record.write_text(record_score(record, score, "2026-12-07"), encoding="utf-8")
    first = read_record(record)
    assert list(first.columns) == RECORD_COLUMNS and set(first["coder"]) == {"invented.v1"}
    with pytest.raises(CodingError, match="scored once"):
        record_score(record, score, "2026-12-08")
    later = score_lockbox(
        codes.assign(coder="invented.v2"), golds, paragraphs=paragraphs, lockbox=["BRAVO"]
    )
    both = pd.read_csv(pd.io.common.StringIO(record_score(record, later, "2026-12-08")))
    assert list(both["coder"].unique()) == ["invented.v1", "invented.v2"]  # kept, in order
    foreign = tmp_path / "notes.csv"
    foreign.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CodingError, match="not a lockbox record"):
        check_unscored(foreign, "invented.v1")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CodingError, match="not a lockbox record"):
        read_record(binary)


def test_the_command_shows_only_macro_figures_and_refuses_a_second_score(built_db, tmp_path):
    record = tmp_path / "lockbox.csv"
    args = ["evaluate", "--lockbox", "--record", str(record), "--db", str(built_db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    shown = result.stdout
    assert "lockbox of 11 missions" in shown and "PEMA low" in shown
    assert "S/RES/" not in shown and not re.search(r"\b(HumanRights|CivProtect)\b", shown)
    record_text = record.read_text(encoding="utf-8")
    assert len(read_record(record)) == len(DEFINITIONS) * 2 * 2
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "scored once" in again.stderr
    assert record.read_text(encoding="utf-8") == record_text
    as_json = runner.invoke(app, [*args[:3], str(tmp_path / "other.csv"), *args[4:], "--json"])
    assert as_json.exit_code == 0 and '"disagreements"' not in as_json.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lockbox"], "needs --record"),
        (["--record", "x.csv"], "add --lockbox"),
        (["--lockbox", "--record", "x.csv", "--folds"], "use it with --record FILE only"),
    ],
)
def test_lockbox_usage_errors(args, message, tmp_path):
    result = runner.invoke(app, ["evaluate", *args, "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and message in result.stderr


def test_the_plain_evaluation_never_lists_a_lockbox_disagreement(built_db, data_dir, tmp_path):
    report = tmp_path / "disagreements.csv"
    gold = data_dir / "mandates/pema-dev/pema_raw_v2_dev.csv"
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--report", str(report),
                                 "--db", str(built_db)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "11 lockbox missions left out" in result.stdout
    listed = pd.read_csv(report)
    missions = {m.strip() for cell in listed["mission"].dropna() for m in str(cell).split(",")}
    assert missions and not missions & set(read_lockbox())


def test_the_record_says_how_far_to_trust_a_coder_and_when_it_cannot(tmp_path):
    from peaceops.coding.coder import CODER
    from peaceops.coding.lockbox import RECORD, quality, quality_line

    known = quality(CODER)
    assert known is not None and RECORD.name == "lockbox-record.csv"
    assert known["missions"] == 11 and 0 <= known["low"] <= known["lockbox"] <= known["high"]
    assert known["lockbox"] < known["folds_mean"]  # the folds flatter it: the point of #32
    line = quality_line(CODER)
    assert f"{known['lockbox']:.2f}" in line and "sealed missions" in line
    # the data that flips it: a coder the record does not hold, or a record that is no record
    assert quality("peaceops.rule_coder.v99") is None
    assert "not been scored" in quality_line("peaceops.rule_coder.v99")
    foreign = tmp_path / "record.csv"
    foreign.write_text("a,b\n1,2\n", encoding="utf-8")
    assert quality(CODER, foreign) is None and "not been scored" in quality_line(CODER, foreign)


def test_the_resolution_page_and_the_mission_report_show_the_coders_lockbox_figure(
    server, built_db, tmp_path
):
    import httpx
    from markupsafe import escape

    from peaceops.coding.coder import CODER
    from peaceops.coding.lockbox import quality_line

    page = httpx.get(f"{server}/resolutions/2098", timeout=60).text
    assert f'<span id="coder-quality">{escape(quality_line(CODER))}</span>' in page
    report = tmp_path / "MINUSMA.html"
    result = runner.invoke(app, ["report", "mission", "MINUSMA", "--seeds", "0", "--output",
                                 str(report), "--db", str(built_db)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f'<span id="coder-quality">{escape(quality_line(CODER))}</span>' in report.read_text(
        encoding="utf-8"
    )
