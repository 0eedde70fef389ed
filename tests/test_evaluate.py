"""Evaluation against PEMA and the DPA 2010 matrix: the real pema-dev files and hand-made sets."""

import json
import math
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceops.coding.evaluate import (
    DEFAULT_GOLD,
    GOLD_COLUMNS,
    LEVELS,
    PEMA_RELEASES,
    PEMA_TASKS,
    EvaluationReport,
    combined_pema_gold,
    evaluate_dpa2010,
    evaluate_pema,
    normalise_paragraph,
    pema_as_codes,
    read_pema_gold,
    split_pema_cell,
)
from peaceops.coding.records import Code
from peaceops.errors import CodingError, GoldFormatError

PEMA_DIR = "mandates/pema-dev"
CODE_COLUMNS = [field.name for field in fields(Code)]


@pytest.fixture(scope="module")
def golds(data_dir: Path) -> dict[str, pd.DataFrame]:
    return {
        release: read_pema_gold(data_dir / PEMA_DIR / name)
        for name, release in PEMA_RELEASES.items()
    }


def codes(*rows: tuple) -> pd.DataFrame:
    """Codes from (resolution, paragraph, task) or (resolution, paragraph, task, quote) rows."""
    records = []
    for n, row in enumerate(rows):
        resolution, paragraph, task, *rest = row
        quote = rest[0] if rest else f"quote {n}"
        records.append(
            {
                "resolution": resolution,
                "paragraph": paragraph,
                "task": task,
                "modality": "Assist",
                "verb": "requests",
                "strength": (),
                "start": 10 * n,
                "end": 10 * n + len(quote),
                "quote": quote,
                "coder": "test.v1",
            }
        )
    return pd.DataFrame(records, columns=CODE_COLUMNS)


def gold(*rows: tuple, tasks: tuple[str, ...] = PEMA_TASKS) -> pd.DataFrame:
    """Gold from (resolution, paragraph, task[, inherited]) rows, like read_pema_gold's."""
    frame = pd.DataFrame(
        [
            {
                "release": "test",
                "mission": "UNTEST",
                "resolution": r[0],
                "year": 2000,
                "task": r[2],
                "modality": "Assist",
                "paragraph": r[1],
                "document": None,
                "inherited": r[3] if len(r) > 3 else False,
                "source_resolution": r[0],
                "cell_text": r[1],
            }
            for r in rows
        ],
        columns=GOLD_COLUMNS,
    ).astype({"paragraph": "string", "document": "string", "task": "string"})
    frame.attrs = {"release": "test", "rows": len(rows), "tasks": tasks}
    return frame


# ------------------------------------------------------------------- the real releases
@pytest.mark.parametrize(
    ("release", "rows", "resolutions", "missions"),
    [
        ("pema_raw_v2", 330, 327, 34),
        ("pema_feb22_v1.2", 230, 230, 18),
        ("pema_website_v4", 327, 327, 34),
    ],
)
def test_each_release_is_read_with_the_readme_row_count(
    golds, release, rows, resolutions, missions
):
    frame = golds[release]
    assert frame.attrs["release"] == release  # detected from the columns
    assert frame.attrs["rows"] == rows
    assert len(frame[["mission", "resolution"]].drop_duplicates()) == resolutions
    assert frame["mission"].nunique() == missions
    assert frame["resolution"].dtype == "int64"
    assert set(frame["task"].dropna()) <= set(PEMA_TASKS)
    assert set(frame["modality"].dropna()) <= {"Monitor", "Assist", "Security", "Encouraged"}
    labelled = frame["paragraph"].dropna()
    assert labelled.str.fullmatch(r"p?\d+(\([a-z]+\))*").all()


def test_release_ids_match_the_knowledge_base_loader():
    from peaceops.sources.mandates import PEMA_FILES

    assert {Path(path).name: release for release, path in PEMA_FILES.items()} == PEMA_RELEASES
    assert DEFAULT_GOLD == "pema_feb22_v1.2_dev.csv"


def test_2098_offensive_operations_are_in_v12_and_absent_from_raw_v2(golds):
    v12 = golds["pema_feb22_v1.2"]
    cells = v12[(v12["resolution"] == 2098) & (v12["task"] == "OffensOper")]
    security = cells[cells["modality"] == "Security"]
    assert list(security["paragraph"]) == ["9", "12(b)"]
    assert set(security["mission"]) == {"MONUSCO"}
    force = v12[(v12["resolution"] == 2098) & (v12["task"] == "UseOfForce")]
    assert list(zip(force["modality"], force["paragraph"], strict=True)) == [("Security", "12")]
    raw = golds["pema_raw_v2"]
    assert not raw[raw["resolution"] == 2098]["task"].eq("OffensOper").any()
    assert raw[raw["resolution"] == 2098]["task"].notna().any()  # the row is coded otherwise


def test_stems_are_canonical_across_releases(golds):
    v12, raw, web = golds["pema_feb22_v1.2"], golds["pema_raw_v2"], golds["pema_website_v4"]
    for frame in (v12, raw, web):
        assert not frame["task"].isin(["RefugeesIDPs", "PartyAssistance", "refugeeidps"]).any()
    assert {"RefugeeIDPs", "PolPartyAssist"} <= set(v12["task"])  # spelled differently in v1.2
    assert {"RefugeeIDPs", "CivProtect", "DisarmDemob"} <= set(web["task"])  # lower case in v4
    assert "UseOfForce" in v12.attrs["tasks"] and "UseOfForce" not in web.attrs["tasks"]
    shared = set(v12["resolution"]) & set(raw["resolution"])
    pairs = {
        r: frame[frame["resolution"].isin(shared)]
        .dropna(subset="task")
        .groupby(["resolution", "task"])
        .size()
        .index
        for r, frame in (("v12", v12), ("raw", raw))
    }
    assert set(pairs["raw"]) <= set(pairs["v12"])  # raw_v2 is a subset of v1.2 where both code


def test_website_v4_inherited_cells_are_flagged(golds):
    web = golds["pema_website_v4"]
    cells = web[(web["resolution"] == 2466)].set_index(["task", "modality"])
    assert cells.loc[("CivProtect", "Security"), "inherited"].item() is False
    inherited = cells.loc[("CorrectionsReform", "Assist")]
    assert inherited["inherited"].item() is True
    assert inherited["source_resolution"].item() == 2410
    assert web["inherited"].sum() > 0 and not golds["pema_raw_v2"]["inherited"].any()
    # coding the inherited cells as if they were 2466's own: they are "extra", not agreement
    as_codes = pema_as_codes(web[web["inherited"]].assign(inherited=False))
    report = evaluate_pema(as_codes, web[web["resolution"] == 2466])
    rows = report.disagreements.set_index("task")
    assert rows.loc["CorrectionsReform", "kind"] == "extra"
    assert rows.loc["CorrectionsReform", "gold_inherited_from"] == "2410"
    assert rows.loc["CivProtect", "kind"] == "missed"  # 2466's own cell, paragraph 10
    assert rows.loc["CivProtect", "gold_paragraphs"] == "10"


def test_resolutions_without_a_coded_cell_stay_in_scope(golds):
    raw = golds["pema_raw_v2"]
    uncoded = raw[raw["task"].isna()]
    assert len(uncoded) == 155 and 1017 in set(uncoded["resolution"])  # a MINURSO renewal
    report = evaluate_pema(codes((1017, "2", "Ceasefire")), raw[raw["resolution"] == 1017])
    assert list(report.disagreements["kind"]) == ["extra"] and report.macro_f1 == 0.0
    assert report.disagreements["mission"].item() == "MINURSO"


@pytest.mark.parametrize("release", list(PEMA_RELEASES.values()))
@pytest.mark.parametrize("level", LEVELS)
def test_gold_against_itself_is_perfect(golds, release, level):
    report = evaluate_pema(pema_as_codes(golds[release]), golds[release], level=level)
    assert report.macro_f1 == 1.0 and report.micro_f1 == 1.0
    assert report.disagreements.empty
    if level == "paragraph":
        assert report.exact_macro_f1 == 1.0


# ------------------------------------------------------------------ paragraph labels
@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("12", "12"),
        ("12b", "12(b)"),
        ("12 b", "12(b)"),
        ("12 (b)", "12(b)"),
        ("12B", "12(b)"),
        ("12(b)", "12(b)"),
        ("12a(i)", "12(a)(i)"),
        ("12(a)(i)", "12(a)(i)"),
        ("OP12", "12"),
        ("op 12 (b)", "12(b)"),
        ("para. 7", "7"),
        ("3ci", "3(c)(i)"),
        ("34i( c)", "34(i)(c)"),
        ("7 II c)", "7(ii)(c)"),
        ("7(I)d", "7(i)(d)"),
        ("2A", "2(a)"),
        ("90 e i a", "90(e)(i)(a)"),
        ("35iii", "35(iii)"),
        ("12a(viii)", "12(a)(viii)"),
        ("p.3", "p3"),
        ("p. 4", "p4"),
        ("PP2", "p2"),
        (" 012 ", "12"),
    ],
)
def test_normalise_paragraph(label, expected):
    assert normalise_paragraph(label) == expected


@pytest.mark.parametrize("label", ["", "b", "S/24800", "3:00 AM", "twelve", "12 bis", "12-14"])
def test_normalise_paragraph_rejects_what_is_no_label(label):
    with pytest.raises(ValueError, match="not a paragraph label"):
        normalise_paragraph(label)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12b, 15d", [("12(b)", None), ("15(d)", None)]),
        ("9, 12a, 12a(i)", [("9", None), ("12(a)", None), ("12(a)(i)", None)]),
        ("20 a, b", [("20(a)", None), ("20(b)", None)]),
        ("3:00 AM", [("3(a)", None)]),  # "3 a" that Excel read as a time
        ("12:00 AM", [("12(a)", None)]),
        ("8?", [("8", None)]),
        ("6 a ? (refers to peace agreement)", [("6(a)", None)]),
        ("67 (S/24578)", [("67", "S/24578")]),
        ("3, 9 (S/26480)", [("3", None), ("9", "S/26480")]),
        ("4 + 9, 31 (S/24800)", [("4", None), ("9", "S/24800"), ("31", "S/24800")]),
        ("3 c Referring to 72 c ( S/1995/222)", [("3(c)", None), ("72(c)", "S/1995/222")]),
        ("2 b; 79 (S/2002/432)", [("2(b)", None), ("79", "S/2002/432")]),
        ("15 b; 16 b;  19 a", [("15(b)", None), ("16(b)", None), ("19(a)", None)]),
        ("7 I c), 7 II d)", [("7(i)(c)", None), ("7(ii)(d)", None)]),
        ("p.3", [("p3", None)]),
        ("", []),
    ],
)
def test_split_pema_cell(cell, expected):
    assert split_pema_cell(cell) == expected


# --------------------------------------------------------------- metrics by construction
def test_perfect_agreement_scores_one():
    truth = gold((100, "2", "CivProtect"), (100, "3(a)", "HumanRights"), (101, "1", "Ceasefire"))
    found = codes((100, "2", "CivProtect"), (100, "3(a)", "HumanRights"), (101, "1", "Ceasefire"))
    for level in LEVELS:
        report = evaluate_pema(found, truth, level=level)
        assert report.macro_f1 == report.micro_f1 == 1.0
        assert report.per_task["f1"].eq(1.0).all() and report.disagreements.empty


def test_one_missed_unit_lowers_recall_exactly():
    truth = gold(*[(r, "1", "CivProtect") for r in (100, 101, 102, 103)])
    found = codes(*[(r, "1", "CivProtect") for r in (100, 101, 102)])
    report = evaluate_pema(found, truth)
    row = report.per_task.set_index("task").loc["CivProtect"]
    assert (row["tp"], row["fp"], row["fn"], row["support"]) == (3, 0, 1, 4)
    assert row["precision"] == 1.0 and row["recall"] == 0.75
    assert row["f1"] == pytest.approx(2 * 0.75 / 1.75)
    assert report.macro_f1 == pytest.approx(6 / 7) and report.micro_f1 == pytest.approx(6 / 7)
    missed = report.disagreements
    assert list(missed[["resolution", "task", "kind"]].itertuples(index=False, name=None)) == [
        (103, "CivProtect", "missed")
    ]
    assert missed["gold_paragraphs"].item() == "1" and pd.isna(missed["coder_quotes"].item())


def test_modality_level_counts_each_modality_of_a_task():
    truth = gold((100, "2", "CivProtect"), (101, "1", "Ceasefire"))
    truth.loc[truth["task"] == "Ceasefire", "modality"] = "Monitor"
    found = codes((100, "2", "CivProtect"), (101, "1", "Ceasefire"))  # all Assist
    assert evaluate_pema(found, truth).micro_f1 == 1.0  # task found, modality ignored
    report = evaluate_pema(found, truth, level="modality")
    ceasefire = report.per_task.set_index("task").loc["Ceasefire"]
    assert (ceasefire["tp"], ceasefire["fp"], ceasefire["fn"]) == (0, 1, 1)
    assert report.macro_f1 == 0.5 and report.micro_f1 == 0.5
    rows = report.disagreements[["resolution", "task", "modality", "kind"]]
    assert sorted(rows.itertuples(index=False, name=None)) == [
        (101, "Ceasefire", "Assist", "extra"),
        (101, "Ceasefire", "Monitor", "missed"),
    ]


def test_codes_outside_the_gold_are_ignored():
    truth = gold((100, "1", "CivProtect"), tasks=("CivProtect", "HumanRights"))
    found = codes(
        (100, "1", "CivProtect"),
        (999, "1", "CivProtect"),  # a resolution the gold does not hold
        (100, "2", "ElectAssist"),  # a task the gold file has no column for
        (100, "3", "ImpartialityMarker"),  # a peaceops task PEMA does not have
    )
    report = evaluate_pema(found, truth)
    assert report.macro_f1 == 1.0 and report.disagreements.empty
    assert list(report.per_task["task"]) == ["CivProtect"]


def test_extra_code_reports_the_coder_evidence():
    truth = gold((100, "1", "CivProtect"))
    found = codes((100, "1", "CivProtect"), (100, "12(b)", "OffensOper", "to neutralize"))
    report = evaluate_pema(found, truth)
    extra = report.disagreements.set_index("task").loc["OffensOper"]
    assert extra["kind"] == "extra" and extra["coder_paragraphs"] == "12(b)"
    assert extra["coder_quotes"] == "to neutralize" and extra["coder_spans"] == "10-23"
    offens = report.per_task.set_index("task").loc["OffensOper"]
    assert (offens["tp"], offens["fp"], offens["precision"], offens["f1"]) == (0, 1, 0.0, 0.0)
    assert report.macro_f1 == 0.5  # CivProtect 1.0, OffensOper 0.0
    assert report.micro_f1 == pytest.approx(2 / 3)


def test_paragraph_level_compares_numbers_and_reports_exact_labels():
    truth = gold((100, "12(b)", "OffensOper"), (100, "15(d)", "OffensOper"))
    found = codes((100, "12", "OffensOper"), (100, "15 d", "OffensOper"), (100, "3", "OffensOper"))
    resolution = evaluate_pema(found, truth)
    assert resolution.micro_f1 == 1.0 and resolution.exact_micro_f1 is None
    report = evaluate_pema(found, truth, level="paragraph")
    row = report.per_task.set_index("task").loc["OffensOper"]
    assert (row["tp"], row["fp"], row["fn"]) == (2, 1, 0)  # 12 and 15 agree; 3 is extra
    assert (row["exact_tp"], row["exact_fp"], row["exact_fn"]) == (1, 2, 1)  # only 15(d) exact
    assert report.exact_micro_f1 == pytest.approx(2 / 5)
    extra = report.disagreements
    assert list(extra[["paragraph", "kind"]].itertuples(index=False, name=None)) == [("3", "extra")]


def test_paragraph_level_leaves_out_cells_citing_only_another_document():
    truth = gold((100, "1", "CivProtect"), (100, "67", "PeaceProcess"))
    truth.loc[truth["task"] == "PeaceProcess", "document"] = "S/24578"
    found = codes((100, "1", "CivProtect"), (100, "4", "PeaceProcess"))
    assert evaluate_pema(found, truth).macro_f1 == 1.0  # the cell codes the task
    report = evaluate_pema(found, truth, level="paragraph")
    assert report.macro_f1 == 1.0 and list(report.per_task["task"]) == ["CivProtect"]
    assert "left out at the paragraph level" in report.notes[0]


def test_inherited_cells_are_not_gold_at_the_resolution_level():
    truth = gold((100, "1", "CivProtect"), (100, "4", "HumanRights", True))
    report = evaluate_pema(codes((100, "1", "CivProtect")), truth)
    assert report.macro_f1 == 1.0 and "HumanRights" not in set(report.per_task["task"])


def test_gold_paragraph_spans_come_from_a_segmentation():
    truth = gold((100, "12(b)", "OffensOper"))
    segments = pd.DataFrame(
        {
            "resolution": [100],
            "label": ["12(b)"],
            "start": [40],
            "end": [90],
            "text": ["(b) carry out targeted offensive operations"],
        }
    )
    report = evaluate_pema(codes((100, "3", "CivProtect")), truth, paragraphs=segments)
    missed = report.disagreements.set_index("kind").loc["missed"]
    assert missed["gold_spans"] == "12(b) 40-90"
    assert missed["gold_text"].startswith("(b) carry out")


@pytest.mark.parametrize("level", LEVELS)
def test_gold_resolutions_without_text_are_left_out_and_named(level):
    truth = gold((100, "1", "CivProtect"), (2301, "33(a)", "CivProtect"))
    found = codes((100, "1", "CivProtect"))
    assert evaluate_pema(found, truth, level=level).macro_f1 < 1.0  # no text list: all count
    report = evaluate_pema(found, truth, level=level, texts=[100, 101])
    assert report.macro_f1 == 1.0
    assert report.notes[0].endswith("left out: S/RES/2301")
    segments = pd.DataFrame(
        {"resolution": [100], "label": ["1"], "start": [0], "end": [9], "text": ["1. Decides"]}
    )
    assert evaluate_pema(found, truth, level=level, paragraphs=segments).macro_f1 == 1.0


def test_report_to_json_and_disagreement_files(tmp_path):
    report = evaluate_pema(
        codes((100, "1", "CivProtect", 'a "quoted" | piped\nline')), gold((100, "1", "Ceasefire"))
    )
    summary = report.to_json()
    assert json.loads(json.dumps(summary)) == summary
    assert summary["units"] == {"tp": 0, "fp": 1, "fn": 1} and summary["disagreements"] == 2
    assert {row["task"] for row in summary["per_task"]} == {"Ceasefire", "CivProtect"}
    report.write_disagreements(tmp_path / "d.csv")
    back = pd.read_csv(tmp_path / "d.csv")
    assert list(back["kind"]) == ["missed", "extra"]
    assert back.loc[1, "coder_quotes"] == 'a "quoted" | piped\nline'
    report.write_disagreements(tmp_path / "d.md")
    lines = (tmp_path / "d.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and lines[0].startswith("| resolution | mission | task")
    assert 'a "quoted" \\| piped line' in lines[3]


def test_no_units_at_all_gives_undefined_scores():
    report = evaluate_pema(codes((999, "1", "CivProtect")), gold((100, "1", "Ceasefire"))[:0])
    assert math.isnan(report.macro_f1) and math.isnan(report.micro_f1)
    assert report.to_json()["macro_f1"] is None


def test_bad_arguments_are_value_errors():
    truth = gold((100, "1", "CivProtect"))
    with pytest.raises(CodingError, match="level must be one of"):
        evaluate_pema(codes((100, "1", "CivProtect")), truth, level="sentence")
    with pytest.raises(CodingError, match=r"codes lack the columns \['task'\]"):
        evaluate_pema(pd.DataFrame({"resolution": [100]}), truth)


# ------------------------------------------------------------------------- bad files
def test_file_with_missing_columns_names_the_file(data_dir, tmp_path):
    path = tmp_path / "truncated_pema.csv"
    full = pd.read_csv(data_dir / PEMA_DIR / DEFAULT_GOLD, dtype=str)
    full.drop(columns=["NamePKO"]).to_csv(path, index=False)
    with pytest.raises(GoldFormatError, match=r"truncated_pema\.csv.*columns \['namepko'\]"):
        read_pema_gold(path)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        b"a,b\n1,2\n",
        b"Signature,NamePKO,Year,Date\nS/RES/2098,MONUSCO,2013,28/03/2013\n",
    ],
    ids=["empty", "binary", "other-csv", "no-task-columns"],
)
def test_file_that_is_not_pema_names_the_file(tmp_path, content):
    path = tmp_path / "not_pema.csv"
    path.write_bytes(content)
    with pytest.raises(GoldFormatError, match=r"not_pema\.csv"):
        read_pema_gold(path)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(GoldFormatError, match=r"nowhere\.csv"):
        read_pema_gold(tmp_path / "nowhere.csv")


# --------------------------------------------------------- a mission pema-dev never saw
def test_a_pema_file_of_an_unseen_mission_is_read_and_evaluated(tmp_path):
    path = tmp_path / "unfake.csv"
    path.write_text(
        "Signature,NamePKO,Country,Year,Date,Mandate_Renewal,CivProtect_Security,"
        "OffensOper_Security,HumanRights_Monitor,RefugeeIDPs_Assist\n"
        'S/RES/2098,UNFAKE,Democratic Republic of the Congo,2013,28/03/2013,0,"12a, 12a(i)",'
        "12b,,\n"
        "S/RES/2147 (2014),UNFAKE,Democratic Republic of the Congo,2014,28/03/2014,1,4a,,4d,0\n",
        encoding="utf-8",
    )
    truth = read_pema_gold(path)
    assert truth.attrs["release"] == "pema"  # PEMA-shaped, but none of the three layouts
    assert truth.attrs["tasks"] == ("CivProtect", "HumanRights", "OffensOper", "RefugeeIDPs")
    assert set(truth["mission"]) == {"UNFAKE"} and set(truth["resolution"]) == {2098, 2147}
    assert list(truth["paragraph"]) == ["12(a)", "12(a)(i)", "12(b)", "4(a)", "4(d)"]
    found = codes(
        (2098, "12(a)", "CivProtect"),
        (2098, "12(b)", "OffensOper"),
        (2147, "4(a)", "CivProtect"),
        (2147, "5", "ElectAssist"),  # no column in this file: not scored
        (2211, "9", "OffensOper"),  # not in this file: not scored
    )
    for level in ("resolution", "paragraph"):
        report = evaluate_pema(found, truth, level=level)
        per_task = report.per_task.set_index("task")
        assert list(per_task.index) == ["CivProtect", "HumanRights", "OffensOper"]
        assert per_task.loc["HumanRights", "fn"] == 1
        assert report.macro_f1 == pytest.approx(2 / 3)
    # the hand-made codes all say Assist; the file says Security and Monitor
    assert evaluate_pema(found, truth, level="modality").micro_f1 == 0.0
    assert (
        evaluate_pema(found, truth, level="paragraph").exact_micro_f1 == 0.75
    )  # 12(a)(i), 4(d) missed


# ------------------------------------------------------------------------- DPA 2010
def test_dpa2010_units_are_mission_tasks(data_dir):
    components = pd.DataFrame(
        {
            "mission": ["MONUSCO", "MONUSCO", "MONUSCO", "UNMIS", "UNAMA", "UNOWA"],
            "component_group": [pd.NA, "SSR", "Peacekeeping / military tasks", pd.NA, pd.NA, pd.NA],
            "component": ["DDR", "Police", "Protection of civilians", "DDR", "Chapter VII", "DDR"],
            "cell_text": [
                "Res. 1925 OP12 (g)",
                "Res. 1925 OP12 (m)",
                "Res. 1925 OP12 (a)",
                "Res. 1590 OP4 (a)",
                "No",
                "S/2007/754",
            ],
        }
    )
    crosswalk = {
        "DDR": "DisarmDemob",
        "SSR / Police": "PoliceReform",
        "Protection of civilians": "CivProtect",
        "Chapter VII": "UseOfForce",
    }
    mission_resolutions = {"MONUSCO": [1925, 2098], "UNMIS": [1590], "UNAMA": [1917]}
    found = codes(
        (1925, "12(a)", "CivProtect"),
        (1925, "12(g)", "DisarmDemob"),
        (2098, "12(b)", "OffensOper"),  # after July 2010: not counted
        (2098, "12(m)", "PoliceReform"),  # after July 2010: PoliceReform is missed
        (1590, "4(a)(v)", "DisarmDemob"),
        (1917, "4", "UseOfForce"),  # UNAMA's "No" cell is no gold: extra
        (1917, "5", "HumanRights"),  # a task the crosswalk does not map
    )
    report = evaluate_dpa2010(found, components, crosswalk, mission_resolutions)
    assert isinstance(report, EvaluationReport) and report.level == "dpa2010"
    per_task = report.per_task.set_index("task")[["tp", "fp", "fn"]]
    assert per_task.to_dict("index") == {
        "CivProtect": {"tp": 1, "fp": 0, "fn": 0},
        "DisarmDemob": {"tp": 2, "fp": 0, "fn": 0},
        "PoliceReform": {"tp": 0, "fp": 0, "fn": 1},
        "UseOfForce": {"tp": 0, "fp": 1, "fn": 0},
    }
    assert report.macro_f1 == 0.5
    rows = report.disagreements.set_index(["mission", "task"])
    assert rows.loc[("MONUSCO", "PoliceReform"), "gold_components"] == "Police: Res. 1925 OP12 (m)"
    assert rows.loc[("UNAMA", "UseOfForce"), "coder_paragraphs"] == "1917 4"
    assert report.notes == ("missions with no resolution up to S/RES/1934, left out: UNOWA",)


def test_dpa2010_real_matrix_monusco_protection_of_civilians(data_dir):
    from peaceops.sources.mandates import load_dpa2010

    components = load_dpa2010(data_dir)["dpa2010_components"]
    crosswalk = {
        "Peacekeeping / military tasks / Protection of civilians, including refugees "
        "and IDPs": "CivProtect",
        "DDR": "DisarmDemob",
    }
    found = codes((1925, "12(a)", "CivProtect"), (1925, "12(g)", "DisarmDemob"))
    report = evaluate_dpa2010(found, components, crosswalk, {"MONUSCO": [1856, 1906, 1925]})
    per_task = report.per_task.set_index("task")
    assert per_task.loc["CivProtect", "tp"] == 1 and per_task.loc["DisarmDemob", "tp"] == 1
    assert len(report.notes) == 1 and "UNMIS" in report.notes[0]


def test_the_taxonomy_crosswalk_names_components_of_the_real_matrix(data_dir):
    from peaceops.coding.taxonomy import dpa_crosswalk
    from peaceops.sources.mandates import load_dpa2010

    components = load_dpa2010(data_dir)["dpa2010_components"]
    qualified = components["component_group"] + " / " + components["component"]
    names = set(components["component"]) | set(qualified.dropna())
    assert set(dpa_crosswalk()) <= names  # else evaluate_dpa2010 would silently skip a key


# ------------------------------------------------------------------------- properties
TASKS = ["CivProtect", "OffensOper", "HumanRights", "Ceasefire"]
units = st.lists(
    st.tuples(
        st.integers(100, 105), st.sampled_from(["1", "2", "3(a)", "3(b)"]), st.sampled_from(TASKS)
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(units, units, st.sampled_from(LEVELS), st.integers(0, 2**31 - 1), st.integers(0, 2**31 - 1))
def test_scores_are_bounded_harmonic_and_order_free(gold_units, code_units, level, seed1, seed2):
    truth, found = gold(*gold_units), codes(*code_units)
    report = evaluate_pema(found, truth, level=level)
    table = report.per_task
    for column in ("precision", "recall", "f1"):
        assert table[column].between(0.0, 1.0).all()
    p, r = table["precision"], table["recall"]
    harmonic = (2 * p * r / (p + r)).fillna(0.0)
    assert (table["f1"] - harmonic).abs().max() < 1e-12 if len(table) else True
    assert ((table["tp"] + table["fp"] + table["fn"]) > 0).all()
    if len(table):
        assert report.macro_f1 == pytest.approx(table["f1"].mean())
        assert 0.0 <= report.micro_f1 <= 1.0
    shuffled = evaluate_pema(
        found.sample(frac=1, random_state=seed1),
        truth.sample(frac=1, random_state=seed2),
        level=level,
    )
    pd.testing.assert_frame_equal(shuffled.per_task, table)
    pd.testing.assert_frame_equal(shuffled.disagreements, report.disagreements)
    assert shuffled.macro_f1 == report.macro_f1 or math.isnan(report.macro_f1)


def test_combined_gold_takes_v12_then_raw_v2s_other_resolutions(data_dir, golds):
    combined = combined_pema_gold(data_dir / PEMA_DIR)
    v12, raw = golds["pema_feb22_v1.2"], golds["pema_raw_v2"]
    assert set(combined["resolution"]) == set(v12["resolution"]) | set(raw["resolution"])
    assert set(combined["release"]) == {"pema_feb22_v1.2", "pema_raw_v2"}
    shared = combined[combined["resolution"].isin(v12["resolution"])]
    assert set(shared["release"]) == {"pema_feb22_v1.2"}
    assert combined.attrs["release"] == "pema_combined"


def test_a_code_addressed_to_another_force_is_not_the_gold_missions():
    gold = pd.DataFrame(
        {
            "release": "pema", "mission": ["UNOSOM II", "UNOSOM II"], "resolution": [1, 2],
            "year": 1994, "task": ["Ceasefire", "Ceasefire"], "modality": "Monitor",
            "paragraph": ["3", "3"], "document": pd.NA, "inherited": False,
            "source_resolution": [1, 2], "cell_text": "3",
        }
    )  # fmt: skip
    codes = pd.DataFrame(
        {
            "resolution": [1, 1, 2],
            "task": ["Ceasefire", "DisarmDemob", "Ceasefire"],
            "modality": "Monitor",
            "paragraph": ["3", "4", "3"],
            "mission": ["UNOSOM", "ECOMOG", None],  # first word of "UNOSOM II"; generic
        }
    )
    report = evaluate_pema(codes, gold, tasks=["Ceasefire", "DisarmDemob"])
    assert report.per_task.set_index("task").loc["Ceasefire", "tp"] == 2
    assert "DisarmDemob" not in set(report.per_task["task"])  # ECOMOG's, not scored
    unnamed = evaluate_pema(codes.drop(columns="mission"), gold, tasks=["Ceasefire", "DisarmDemob"])
    assert unnamed.per_task.set_index("task").loc["DisarmDemob", "fp"] == 1
