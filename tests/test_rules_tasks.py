"""The ``task`` rules (#32): each task codes its examples from the texts, and not a near-miss.

A task rule is the task's definition in coding/tasks.yaml (its patterns and exclusions). Every
example the taxonomy quotes (resolution, paragraph, words) is given to a mission and must be
coded as the task; left out, the rule takes that task's codes away and no other. Each near-miss
shares words with the task but is not it by the task's definition, and must not be coded.
"""

from __future__ import annotations

import pytest
from tests.rule_cases import coded, rule_coder

from peaceops.coding.coder import RuleCoder
from peaceops.coding.rules import REGISTRY
from peaceops.coding.taxonomy import TASK_BY_STEM, TASKS, first_match

#: the invented mission, and the missions the examples name (so that they address a mission)
MISSIONS = ["UNTEST", "MINUSMA", "MINUSTAH", "MONUC", "UNISFA", "UNMIS", "UNMISS", "UNMOP"]
EXAMPLES = [
    pytest.param(task.stem, example[0], example[2], id=f"{task.stem}-{example[0]}")
    for task in TASKS
    for example in task.examples
]
#: a near-miss of each task: its words, not its meaning
NEAR = {
    "DisarmDemob": "nuclear disarmament",
    "Reintegration": "the reintegration of the two parts of the city",
    "ControlSALW": "heavy weapons",
    "Demil": "the militarization of the region",
    "ArmsEmbargo": "arms control",
    "Demining": "the mining sector",
    "Resources": "human resources",
    "BorderControl": "cross-border cooperation",
    "OffensOper": "the cessation of offensive operations",
    "UseOfForce": "the non-use of force",
    "CivProtect": "the protection of civilian personnel",
    "HumanRights": "the High Commissioner for Human Rights",
    "ChildRights": "children's education",
    "SGBViolence": "sexual exploitation and abuse",
    "Gender": "gender-based violence",
    "RefugeeIDPs": "international refugee law",
    "HumanRelief": "humanitarian law",
    "PublicHealth": "the health of the troops",
    "PoliceReform": "United Nations police",
    "MilitaryReform": "troop-contributing countries",
    "JusticeReform": "justice for the victims",
    "CorrectionsReform": "corrective action",
    "LegalReform": "the legal status of the Mission",
    "TransJustice": "impunity for sexual violence",
    "StateAuthority": "the authority of the Council",
    "Democratization": "the Government of the Democratic Republic of the Congo",
    "ElectSec": "the timetable of the elections",
    "ElectAssist": "the post-electoral period",
    "VoterEducation": "civic duty",
    "PolPartyAssist": "political leaders",
    "CivilSociety": "civil servants",
    "Media": "mediation",
    "PublicInfo": "information sharing",
    "PowerSharing": "information sharing",
    "Ceasefire": "the movement of refugees",
    "PeaceProcess": "the immediate deployment of the Mission",
    "Reconcil": "a dialogue with the host country",
    "LocalReconcil": "local elections",
    "RegReconcil": "regional offices",
    "EcDevelop": "the development of the situation",
    "CulturalHeritage": "cultural diversity",
    "SupportHostForces": "a joint operations centre",
    "Stabilization": "the United Nations Multidimensional Integrated Stabilization Mission",
    "NeutralizeGroups": "to secure, neutralize or destroy weapons and ammunition",
    "GoodOffices": "good neighbourliness",
    "ProtectUN": "the protection of civilians",
    "SecureEnvironment": "a secure border",
}


@pytest.fixture(scope="module")
def full() -> RuleCoder:
    return rule_coder(MISSIONS)


@pytest.mark.parametrize(("stem", "number", "quote"), EXAMPLES)
def test_the_task_codes_its_example_and_only_its_rule_does(full, stem, number, quote):
    paragraph = f"Requests UNTEST to support the following: {quote};"
    codes = coded(full, paragraph)
    assert stem in {task for task, _ in codes}, f"S/RES/{number}: {quote!r}"
    without = rule_coder(MISSIONS, without=(f"task.{stem}",))
    assert coded(without, paragraph) == {c for c in codes if c[0] != stem}


@pytest.mark.parametrize(("stem", "phrase"), NEAR.items(), ids=list(NEAR))
def test_the_task_does_not_code_its_near_miss(full, stem, phrase):
    assert first_match(TASK_BY_STEM[stem], phrase) is None
    codes = coded(full, f"Requests UNTEST to report on {phrase};")
    assert stem not in {task for task, _ in codes}


def test_every_task_of_the_taxonomy_is_a_rule_with_a_near_miss():
    rules = {n.split(".", 1)[1] for n, r in REGISTRY.items() if r.family == "task"}
    assert rules == set(TASK_BY_STEM) == set(NEAR)
    assert all(REGISTRY[f"task.{t.stem}"].fn is t for t in TASKS)
