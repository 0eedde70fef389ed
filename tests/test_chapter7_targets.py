"""Chapter VII in its operative sense, Article 39, and named armed groups - on real texts."""

import pytest

from peaceops.coding.chapter7 import find_chapter_vii
from peaceops.coding.segment import segment
from peaceops.coding.targets import GroupMatcher, find_targets


@pytest.fixture(scope="module")
def text(db):
    cache: dict[int, str] = {}

    def get(number: int) -> str:
        if number not in cache:
            cache[number] = db.scalar("SELECT text FROM resolutions WHERE number = ?", [number])
        return cache[number]

    return get


def chapter(text, number):
    return find_chapter_vii(segment(number, text(number)), text(number))


@pytest.mark.parametrize("number", [2098, 2100, 1996, 2155, 1973, 678, 1244, 2149])
def test_acting_under_chapter_vii_for_the_operative_part(text, number):
    found = chapter(text, number)
    assert found.operative
    assert text(number)[found.start : found.end] == found.quote
    assert "Chapter VII" in found.quote


def test_chapter_vii_for_specific_paragraphs_only(text):
    found = chapter(text, 1320)  # UNMEE: "10. Acting under Chapter VII ..., decides ..."
    assert not found.operative
    assert found.paragraphs[0] == "10"
    found = chapter(text, 1270)  # UNAMSIL: protection of civilians in paragraph 14
    assert not found.operative
    assert found.paragraphs == ("14",)


@pytest.mark.parametrize("number", [1401, 1265, 2096, 1662])  # UNAMA and thematic
def test_no_chapter_vii_basis(text, number):
    found = chapter(text, number)
    assert not found.operative
    assert not found.paragraphs


def test_mentions_are_not_invocations(text):
    found = chapter(text, 1535)  # "established ... under paragraph 6 of resolution 1373 (2001)
    assert not found.operative  #   acting under Chapter VII" - a recollection
    assert not found.paragraphs
    assert found.mentions


@pytest.mark.parametrize(("number", "article_39"), [(2098, True), (660, True), (678, False)])
def test_article_39_determination_is_recorded_separately(text, number, article_39):
    found = chapter(text, number)
    assert found.article_39 is article_39
    if article_39:
        start, end = found.article_39_span
        assert text(number)[start:end].startswith("Determin")


@pytest.fixture(scope="module")
def matcher(db):
    rows = db.rows(
        "SELECT alias, actor_id FROM actor_aliases JOIN actors USING (actor_id) "
        "WHERE kind = 'armed_group'"
    )
    return GroupMatcher((r["alias"], r["actor_id"]) for r in rows)


def targets(text, matcher, number):
    return find_targets(segment(number, text(number)), text(number), matcher)


def test_2098_keeps_targeting_and_condemning_apart(text, matcher):
    found = targets(text, matcher, 2098)
    condemned = {t.actor_id for t in found if t.paragraph == "8" and t.relation == "condemn"}
    assert {"m23", "fdlr", "adf", "apcls", "lra", "fnl", "mai-mai"} <= condemned
    direct = [t for t in found if t.relation == "target" and not t.inferred]
    assert all(t.actor_id is None for t in direct)  # 12(b) targets armed groups generically
    assert any(t.paragraph == "12(b)" and "neutralize" in t.quote for t in direct)
    inferred = {t.actor_id for t in found if t.inferred}
    assert {"m23", "fdlr"} <= inferred
    assert all(t.group != "armed groups (generic)" for t in found if t.inferred)


def test_2211_targets_the_fdlr_by_name(text, matcher):
    found = targets(text, matcher, 2211)
    named = [t for t in found if t.relation == "target" and not t.inferred and t.actor_id]
    assert "fdlr" in {t.actor_id for t in named}
    for t in found:
        assert text(2211)[t.start : t.end] == t.quote


def test_unama_resolutions_target_no_one(text, matcher):
    for number in (1401, 1662, 2096):
        assert not [t for t in targets(text, matcher, number) if t.relation == "target"]
