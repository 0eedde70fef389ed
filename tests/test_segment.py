"""The segmenter on the whole corpus and on hostile input."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceops.coding.segment import segment


@pytest.fixture(scope="module")
def corpus(db):
    return dict(db.execute("SELECT number, text FROM resolutions WHERE has_text").values.tolist())


@pytest.fixture(scope="module")
def segmented(corpus):
    return {n: segment(n, t) for n, t in corpus.items()}


def test_every_text_is_segmented_or_has_a_reason(segmented):
    failures = {n: s.error for n, s in segmented.items() if not s.ok}
    assert all(failures.values())
    assert len(failures) <= 5, failures  # a handful of garbled OCR texts
    assert len(segmented) == 2297


def test_every_paragraph_span_selects_its_text(segmented, corpus):
    for number, seg in segmented.items():
        for p in seg.paragraphs:
            assert corpus[number][p.start : p.end] == p.text, (number, p.label)
            assert p.text == p.text.strip()


def test_operative_numbers_run_in_order_almost_everywhere(segmented):
    numbered = [s for s in segmented.values() if s.ok and s.operative()]
    in_order = [
        s
        for s in numbered
        if [p.number for p in s.operative() if p.depth == 0]
        == list(range(1, 1 + sum(p.depth == 0 for p in s.operative())))
    ]
    assert len(in_order) / len(numbered) > 0.98


def test_resolution_2098_structure(segmented):
    labels = [p.label for p in segmented[2098].operative()]
    assert labels[:2] == ["1", "2"]
    assert {"12(a)", "12(a)(i)", "12(a)(ii)", "12(b)", "15(i)", "34(b)(iv)"} <= set(labels)
    para = {p.label: p for p in segmented[2098].paragraphs}
    assert para["12(b)"].text.startswith("(b) Neutralizing armed groups")
    assert para["15(i)"].depth == 1  # a letter after (h), not a roman numeral
    assert para["12(a)(ii)"].parent == "12(a)"
    assert segmented[2098].paragraphs[0].text.startswith("Recalling its previous resolutions")


@pytest.mark.parametrize(
    ("number", "first_operative"),
    [
        (7, "Decides to keep the situation in Spain"),  # no comma after "The Security Council"
        (16, "Hereby records its approval"),  # unnumbered, adverb first
        (1248, "Recommends to the General Assembly"),  # flattened onto one line
        (20, "1, Recognizes"),  # OCR comma
        (273, "L. Strongly condemns"),  # OCR "L." for "1."
    ],
)
def test_early_and_damaged_layouts(segmented, number, first_operative):
    seg = segmented[number]
    assert seg.ok, seg.error
    assert seg.operative()[0].text.startswith(first_operative)


def test_page_furniture_is_gone_from_a_paragraph_broken_by_a_page(segmented):
    para = {p.label: p for p in segmented[2098].paragraphs}
    assert "13-27381" not in para["8"].text  # the job number stood between its two halves
    assert para["8"].text.endswith("elements of state security forces;")
    assert not any(p.text.startswith("13-27381") for p in segmented[2098].paragraphs)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty text"),
        ("   \n\n  ", "empty text"),
        (None, "empty text"),
        ("The Security Council,\nRecalling its resolutions,\nNoting the report,", "no operative"),
    ],
)
def test_bad_texts_end_as_unsegmentable_with_a_reason(text, reason):
    seg = segment(1, text)
    assert not seg.ok
    assert reason in seg.error


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_segments_or_fails_cleanly(text):
    seg = segment(1, text)
    assert seg.ok or seg.error
    for p in seg.paragraphs:
        assert text[p.start : p.end] == p.text


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "1. Decides to act;",
                "(a) Monitor;",
                "(i) sub;",
                "Noting,",
                "x" * 5000,
                "\x00\x07",
                "The Security Council,",
                "\n",
                "2. Requests;",
            ]
        ),
        max_size=30,
    )
)
def test_odd_bytes_and_very_long_lines_never_crash(parts):
    text = "\n".join(parts)
    seg = segment(1, text)
    assert seg.ok or seg.error
    for p in seg.paragraphs:
        assert text[p.start : p.end] == p.text
