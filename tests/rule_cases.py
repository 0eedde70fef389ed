"""What the per-rule tests share (#32): one invented paragraph coded, and the sentence cases.

A case is ``(rule, paragraph, its codes, near-miss, the near-miss's codes)``: the paragraph's
(task, modality) pairs must change when the rule is left out, and the near-miss (the same words
where the rule's condition is absent) must get the codes given. The paragraphs address an
invented mission, UNTEST, after one preambular paragraph.
"""

from __future__ import annotations

import pytest

from peaceops.coding.coder import RuleCoder

MISSIONS = ["UNTEST"]
PREAMBLE = "Recalling its resolutions,"
CASE_FIELDS = ("name", "paragraph", "expected", "near", "near_expected")


def tasks_of(coder: RuleCoder, *paragraphs: str, preamble: str = PREAMBLE) -> set[tuple[str, str]]:
    """(task, modality) of invented operative paragraphs after one preambular paragraph; every
    code's span must select its quote."""
    body = "\n\n".join(f"{n}. {p}" for n, p in enumerate(paragraphs, start=1))
    text = f"The Security Council,\n\n{preamble}\n\n{body}\n"
    result = coder.predict(1, text)
    assert result.segmentation.ok
    for code in result.codes:
        assert text[code.start : code.end] == code.quote
    return {(c.task, c.modality) for c in result.codes}


def coded(coder: RuleCoder, paragraph: str, preamble: str = PREAMBLE) -> set[tuple[str, str]]:
    """(task, modality) of one invented operative paragraph (:func:`tasks_of`)."""
    return tasks_of(coder, paragraph, preamble=preamble)


def rule_coder(missions: list[str] = MISSIONS, without: tuple[str, ...] = ()) -> RuleCoder:
    """The coder with every registered rule, or without ``without``."""
    return RuleCoder().initialize(missions=missions, without=list(without))


def case_tests(cases: list[tuple]):
    """The two tests of a family's ``cases`` (assign them to module-level test names)."""

    @pytest.mark.parametrize(CASE_FIELDS, cases, ids=[c[0] for c in cases])
    def decides(full, name, paragraph, expected, near, near_expected):
        assert coded(full, paragraph) == expected
        assert coded(rule_coder(without=(name,)), paragraph) != expected

    @pytest.mark.parametrize(CASE_FIELDS, cases, ids=[c[0] for c in cases])
    def near_miss(full, name, paragraph, expected, near, near_expected):
        assert coded(full, near) == near_expected

    return decides, near_miss
