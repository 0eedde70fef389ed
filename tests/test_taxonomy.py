"""The task taxonomy: PEMA stems, valid fields, real examples, DPA crosswalk, docs in sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peaceops.coding.segment import segment
from peaceops.coding.taxonomy import (
    MODALITIES,
    PARTIALITY,
    PEMA_STEMS,
    TASK_BY_STEM,
    TASKS,
    TAXONOMY_VERSION,
    Task,
    TaxonomyError,
    _translate,
    _validate_task,
    compiled,
    dpa_crosswalk,
    dpa_gaps,
    first_match,
    render_markdown,
)
from peaceops.store import Database

DOCS = Path(__file__).resolve().parents[1] / "docs" / "tasks.md"
STEMS = [t.stem for t in TASKS]
EXAMPLES = [(t.stem, *e) for t in TASKS for e in t.examples]


@pytest.fixture(scope="module")
def texts(built_db: Path) -> dict[int, str]:
    """Stored text of every resolution that an example cites (knowledge base of the real data)."""
    wanted = sorted({number for _, number, _, _ in EXAMPLES})
    with Database(built_db) as database:
        frame = database.execute(
            "SELECT number, text FROM resolutions WHERE list_contains(?, number)", [wanted]
        )
    return dict(zip(frame["number"].astype(int), frame["text"], strict=True))


@pytest.fixture(scope="module")
def components(built_db: Path) -> set[str]:
    """Distinct component names of the DPA 2010 matrix in the knowledge base."""
    with Database(built_db) as database:
        frame = database.execute("SELECT DISTINCT component FROM dpa2010_components")
    return set(frame["component"])


def test_version_is_a_registered_name():
    assert re.fullmatch(r"peaceops\.taxonomy\.v\d+", TAXONOMY_VERSION)


def test_every_pema_stem_is_present_first_and_in_order():
    assert len(PEMA_STEMS) == 41
    assert tuple(STEMS[:41]) == PEMA_STEMS
    assert all(TASK_BY_STEM[s].source == "PEMA" for s in PEMA_STEMS)


@pytest.mark.parametrize(
    "stem",
    ["SupportHostForces", "Stabilization", "NeutralizeGroups", "GoodOffices", "ProtectUN"],
)
def test_the_paper_tasks_are_peaceops_tasks(stem):
    assert TASK_BY_STEM[stem].source == "peaceops"


def test_stems_are_unique():
    assert len(STEMS) == len(set(STEMS))
    assert list(TASK_BY_STEM) == STEMS


@pytest.mark.parametrize("task", TASKS, ids=STEMS)
def test_task_fields_are_valid(task: Task):
    assert task.label and task.definition and task.patterns
    assert task.modality is None or task.modality in MODALITIES
    assert task.partiality in PARTIALITY
    if task.partiality != "neutral":
        assert task.rationale, "partial and even-handed tasks cite the paper's reason"


@pytest.mark.parametrize("task", TASKS, ids=STEMS)
def test_every_pattern_compiles(task: Task):
    patterns, excludes = compiled(task)
    assert len(patterns) == len(task.patterns)
    assert len(excludes) == len(task.exclude)
    assert compiled(task) is compiled(task)  # cached


@pytest.mark.parametrize("task", TASKS, ids=STEMS)
def test_every_task_has_an_example(task: Task):
    assert task.examples


@pytest.mark.parametrize(("stem", "number", "label", "quote"), EXAMPLES)
def test_example_quote_is_in_its_paragraph_and_signals_the_task(texts, stem, number, label, quote):
    text = texts[number]
    assert quote in text
    paragraphs = {p.label: p for p in segment(number, text).paragraphs}
    assert label in paragraphs, f"S/RES/{number} has no paragraph {label}"
    paragraph = paragraphs[label]
    assert quote in text[paragraph.start : paragraph.end]
    patterns, _ = compiled(TASK_BY_STEM[stem])
    assert any(p.search(quote) for p in patterns)
    assert first_match(TASK_BY_STEM[stem], quote) is not None


def test_partiality_classes_follow_the_paper():
    partial = {t.stem for t in TASKS if t.partiality == "partial"}
    assert partial == {"OffensOper", "SupportHostForces", "NeutralizeGroups", "Stabilization"}
    even = {t.stem for t in TASKS if t.partiality == "even-handed"}
    assert {"Ceasefire", "HumanRights", "CivProtect", "GoodOffices"} <= even


@pytest.mark.parametrize("task", TASKS, ids=STEMS)
def test_dpa_components_exist_in_the_matrix(components, task: Task):
    assert set(task.dpa_components) <= components


def test_every_dpa_component_is_mapped_or_explained(components):
    crosswalk = dpa_crosswalk()
    gaps = dpa_gaps()
    assert set(crosswalk) | set(gaps) == components
    assert not set(crosswalk) & set(gaps)
    assert set(crosswalk.values()) <= set(STEMS)


def test_docs_are_in_sync_with_the_taxonomy():
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/tasks.md is stale; regenerate it with "
        'python -c "from peaceops.coding.taxonomy import render_markdown as r; '
        "open('docs/tasks.md', 'w').write(r())\""
    )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("protection of civilians", r"protection\s+of\s+civilians"),
        ("confidence-? ?building", r"confidence-?\s*building"),
        ("[- ]based", r"[-\s]based"),
        ("(?<!United Nations )police", r"(?<!United\sNations\s)police"),
        (r"a\ b", r"a\ b"),
    ],
)
def test_spaces_in_patterns_match_any_whitespace(pattern, expected):
    assert _translate(pattern) == expected


def test_a_space_matches_a_line_break():
    assert first_match(TASK_BY_STEM["CivProtect"], "to protect\ncivilians under threat")


@pytest.mark.parametrize(
    ("stem", "text"),
    [
        (
            "CivProtect",
            "Decides that MONUSCO shall ensure the protection of United Nations personnel",
        ),
        ("CivProtect", "Strongly condemns the attacks against civilians"),
        ("HumanRights", "in accordance with international humanitarian and human rights law"),
        ("Stabilization", "the United Nations Multidimensional Integrated Stabilization Mission"),
        ("Democratization", "the Government of the Democratic Republic of the Congo"),
        ("PeaceProcess", "the immediate deployment of the Mission"),
        ("NeutralizeGroups", "to secure, neutralize or destroy weapons and ammunition"),
        ("UseOfForce", "Authorizes Member States to use all necessary means"),
        ("SGBViolence", "the zero-tolerance policy on sexual exploitation and abuse"),
    ],
)
def test_words_that_only_look_like_a_task_are_not_coded(stem, text):
    assert first_match(TASK_BY_STEM[stem], text) is None


@pytest.mark.parametrize(
    ("stem", "text", "evidence"),
    [
        (
            "CivProtect",
            "To protect civilians under threat of physical violence",
            "protect civilians",
        ),
        ("OffensOper", "carry out targeted offensive operations", "offensive operations"),
        ("NeutralizeGroups", "neutralize these groups, and to disarm them", "neutralize"),
        ("Stabilization", "to stabilize the key population centres", "stabilize the key"),
        (
            "ElectAssist",
            "to support the organization of elections",
            "the organization of elections",
        ),
        ("ElectAssist", "to observe the presidential elections", "the presidential elections"),
    ],
)
def test_evidence_is_the_task_words(stem, text, evidence):
    """The evidence starts at the task words, so the verb before it still gives the modality."""
    match = first_match(TASK_BY_STEM[stem], text)
    assert match is not None
    assert match.group(0).startswith(evidence)


def test_bad_task_data_is_refused_with_the_field_named():
    good = TASK_BY_STEM["CivProtect"]
    with pytest.raises(TaxonomyError, match="partiality"):
        _validate_task(Task(**{**good.__dict__, "partiality": "biased"}))
    with pytest.raises(TaxonomyError, match="does not compile"):
        _validate_task(Task(**{**good.__dict__, "patterns": ("(unclosed",)}))
    with pytest.raises(TaxonomyError, match="modality"):
        _validate_task(Task(**{**good.__dict__, "modality": "Enforce"}))
