"""The registry of the coder's rules (#32): names, versions, docstrings, the derived version."""

from __future__ import annotations

import re

import pytest

from peaceops.coding.coder import CODER
from peaceops.coding.rules import CODER_BASE, FAMILIES, REGISTRY, RuleSet, register, version_of
from peaceops.coding.rules.registry import Rule
from peaceops.errors import CodingError

#: a rule's docstring quotes the resolution it was written from, or the definition it implements
_CITES = re.compile(r"S/RES/\d+\s+¶|coding/tasks\.yaml|docs/tasks\.md")


def test_every_family_has_rules_and_every_rule_a_family():
    assert {r.family for r in REGISTRY.values()} == set(FAMILIES)
    assert len(REGISTRY) == 86


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_rule_is_named_versioned_and_cites_its_text(name):
    rule = REGISTRY[name]
    assert rule.name == name and rule.id == f"{name}.v{rule.version}" and rule.version >= 1
    assert re.fullmatch(r"v\d+(?:\.\d+)?", rule.since)
    assert rule.summary and _CITES.search(rule.doc), f"{name}: cite the text it was written from"


def test_the_coders_version_is_derived_from_its_rules():
    assert CODER == RuleSet.full().version == version_of(REGISTRY.values())
    assert CODER.startswith(CODER_BASE + "+") and re.fullmatch(r".*\+[0-9a-f]{8}", CODER)
    assert version_of(reversed(list(REGISTRY.values()))) == CODER  # order does not matter


def test_a_new_rule_version_or_pattern_gives_a_new_coder_version():
    rules = list(REGISTRY.values())
    first = rules[0]
    bumped = Rule(first.name, first.version + 1, first.family, first.since, first.doc, first.fn)
    assert version_of([bumped, *rules[1:]]) != CODER
    task = REGISTRY["task.CivProtect"]
    edited = Rule(task.name, task.version, task.family, task.since, task.doc, task.fn,
                  task.content + "\nprotect\\w* people")  # fmt: skip
    assert version_of([edited if r is task else r for r in rules]) != CODER


def test_leaving_rules_out_names_another_rule_set():
    without = RuleSet.without(["scope.condemned", "scope.condemned"])
    assert without.removed == ("scope.condemned",)
    assert "scope.condemned" not in without and len(without.rules) == len(REGISTRY) - 1
    assert without.version != CODER
    assert RuleSet.without(["scope.condemned"]).version == without.version


def test_a_family_name_leaves_out_all_of_its_rules():
    without = RuleSet.without(["modality"])
    assert without.family("modality") == ()
    assert set(without.removed) == {n for n, r in REGISTRY.items() if r.family == "modality"}


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("scope.condemed", "scope.condemned"),
        ("condemned", "scope.condemned"),
        ("Scope.Condemned", "scope.condemned"),
        ("task.civprotect", "task.CivProtect"),
        ("modalities", "modality"),
    ],
)
def test_an_unknown_rule_is_refused_with_close_matches(name, suggested):
    with pytest.raises(CodingError) as raised:
        RuleSet.without([name])
    message = str(raised.value)
    assert repr(name) in message and suggested in message
    assert "peaceops evaluate --rules" in message


@pytest.mark.parametrize("name", ["", " ", "scope.condemned; DROP TABLE codes", "../etc", "*"])
def test_hostile_rule_names_are_refused(name):
    with pytest.raises(CodingError, match="unknown coder rule"):
        RuleSet.without([name])


@pytest.mark.parametrize(
    ("name", "doc", "version", "message"),
    [
        ("nofamily", "Doc (S/RES/1 ¶1).", 1, "family.name"),
        ("tasks.Thing", "Doc.", 1, "family.name"),
        ("scope.condemned", "Doc.", 1, "registered twice"),
        ("scope.new_rule", "", 1, "docstring"),
        ("scope.new_rule", "Doc.", 0, "version"),
    ],
)
def test_a_malformed_registration_is_refused_and_changes_nothing(name, doc, version, message):
    before = dict(REGISTRY)
    with pytest.raises(CodingError, match=message):
        register(name, lambda site: False, version=version, since="v9", doc=doc)
    assert before == REGISTRY
