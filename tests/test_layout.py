"""Page furniture: removed from the reading text, never inside a stored paragraph."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceops.coding.segment import segment
from peaceops.sources.layout import is_furniture, reading_text

pytestmark = pytest.mark.issue(17)

HEADING = (
    "United Nations\nSecurity Council\n\nS/RES/9001 (2016)\nDistr.: General 29 June 2016\n\n"
    "Resolution 9001 (2016)\nAdopted by the Security Council at its 7727th meeting, on "
    "29 June 2016\nThe Security Council,\n"
)


def test_a_paragraph_broken_by_a_page_is_joined_with_one_space():
    text = (
        HEADING + "Recalling its previous resolutions,\n"
        "Expressing concern at\n16-10899 (E)\n*1610899*\n\nS/RES/9001 (2016)\n"
        "the situation in the north,\n1. Decides to act;\n"
    )
    reading = reading_text(text)
    assert "Expressing concern at the situation in the north," in reading
    assert reading.startswith(HEADING)  # the heading (symbol, adoption line) is kept
    assert "16-10899" not in reading and "*1610899*" not in reading


def test_a_paragraph_ending_at_the_foot_of_a_page_stays_a_paragraph():
    text = (
        HEADING + "Recalling its resolutions,\n1. Decides to act;\n2/3\n\n16-10899\n\n"
        "S/RES/9001 (2016)\n2. Requests the Secretary-General to report;\n"
    )
    reading = reading_text(text)
    assert "1. Decides to act;\n\n2. Requests" in reading
    labels = [p.label for p in segment(9001, reading).operative()]
    assert labels == ["1", "2"]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("96-10786 (E) 260496 Reaffirming that terrorism", "Reaffirming that terrorism"),
        ("00-39656 (E) ````````` Expressing its appreciation", "Expressing its appreciation"),
        ("* Reissued for technical reasons. 97-02619 (E) 290197 Noting", "Noting"),
        ("22-09852 (E)      230622      Pleese recycle Acting under", "Acting under"),
        ("emphasizing the 09-43393* (E) need to bring", "emphasizing the need to bring"),
        ("of the United Nations,S/RES/908 (1994)", "of the United Nations,"),
    ],
)
def test_furniture_glued_to_words_is_cut_off(line, words):
    reading = reading_text(HEADING + "Recalling its resolutions,\n" + line + "\n1. Decides;\n")
    assert words in reading
    assert not re.search(r"\d{2}-\d{5}|S/RES/908|recycle|Reissued", reading.split("Council,")[1])


@pytest.mark.parametrize(
    "line",
    [
        "13-27381 (E)",
        "*1327381*",
        "12 13-27381",
        "2/4 14-31481",
        "S/RES/2098 (2013)",
        "S/RES/1008 (1995) English 3",
        "S/RES/1153.(1998) English Page 2",
        "S/RES/1231(1999)) English Page 2",
        "S/1995/1032 Page 2",
        "Page 3",
        "/...",
        "7",
    ],
)
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    ["1. Decides to act;", "(a) Monitor the ceasefire;", "resolutions 1325 (2000),", "2016"],
)
def test_words_are_not_furniture(line):
    assert not is_furniture(line)


def test_a_text_without_furniture_is_returned_as_it_is():
    text = HEADING + "Recalling its resolutions,\n1. Decides to act;\n"
    assert reading_text(text) is text
    assert reading_text("") == "" and reading_text(None) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ["1. Decides;", "Noting the report", "13-27381 (E)", "*1327381*", "", "S/RES/1 (1946)",
     "the rest of it,", "2", "\x0cS/RES/1 (1946)", "(a) Monitor", "00-1234 (E) Noting"]
), max_size=40))  # fmt: skip
def test_reading_text_never_crashes_and_segments_with_exact_spans(lines):
    reading = reading_text("The Security Council,\n" + "\n".join(lines))
    for p in segment(1, reading).paragraphs:
        assert reading[p.start : p.end] == p.text
        assert not any(is_furniture(line) for line in p.text.split("\n") if line.strip())


def test_no_stored_paragraph_holds_page_furniture(db):
    """Every paragraph of the corpus, as stored: no furniture line, job number or running head."""
    job = re.compile(r"(?<![\d/-])\d{2}-\d{4,6}[*S]{0,2}\s*\(|\*\d{6,8}\*")
    rows = db.execute(
        'SELECT p.resolution, p.label, substr(r.text, p.start + 1, p."end" - p.start) AS text '
        "FROM paragraphs p JOIN resolutions r ON r.number = p.resolution WHERE p.depth = 0"
    ).itertuples(index=False)
    checked, found = 0, []
    for number, label, text in rows:
        checked += 1
        own_head = re.compile(rf"(?m)^\s*S/RES/{number}\b|S/RES/{number}\W*\(\d{{4}}\)\)?\s*Engl")
        lines = [line for line in text.split("\n") if line.strip()]
        if any(is_furniture(line) for line in lines) or job.search(text) or own_head.search(text):
            found.append((number, label, text[:120]))
    assert checked > 40_000
    assert not found, found[:10]


def test_stored_texts_keep_the_source_and_read_without_furniture(db):
    raw = db.scalar("SELECT text FROM resolution_texts WHERE number = 2098 AND preferred")
    reading = db.scalar("SELECT text FROM resolutions WHERE number = 2098")
    assert "13-27381 (E)" in raw  # resolution_texts: the text as found
    assert "13-27381" not in reading.split("The Security Council,")[1]
    assert db.scalar("SELECT n_chars FROM resolutions WHERE number = 2098") == len(reading)
