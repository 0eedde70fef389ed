"""Classes of coding errors fixed in the rule coder v6, read from what the paragraphs say.

Inputs are real resolution texts from the knowledge base, or short sentences paraphrasing
real texts; expectations follow the grammar of the paragraph (who is addressed, what governs
the task words), not PEMA's cells.
"""

import json

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.coding.coder import RuleCoder


@pytest.fixture(scope="module")
def coder(db):
    missions = [row[0] for row in db.tuples("SELECT acronym FROM missions")]
    return RuleCoder().initialize(missions=missions)


@pytest.fixture(scope="module")
def untest():
    """A coder that knows one invented mission, for sentences written here."""
    return RuleCoder().initialize(missions=["UNTEST"])


def coded(coder, db, number):
    text = db.scalar(f"SELECT text FROM resolutions WHERE number = {number}")
    result = coder.predict(number, text)
    for code in result.codes:
        assert text[code.start : code.end] == code.quote
    return result


def in_paragraph(result, label):
    return {(c.task, c.modality) for c in result.codes if c.paragraph == label}


def tasks_of(coder, operative):
    text = f"The Security Council,\n\nRecalling its resolutions,\n\n1. {operative}\n"
    result = coder.predict(1, text)
    assert result.segmentation.ok
    for code in result.codes:
        assert text[code.start : code.end] == code.quote
    return {(c.task, c.modality) for c in result.codes}


# 1. "Decides that the Intervention Brigade will have a clear exit strategy and that the
#    Council will consider ... a national security sector reform roadmap": the Brigade is the
#    subject of "will have", and the reform is the DRC's; the mission gets no task.


def test_2098_10_exit_strategy_of_the_brigade_gives_no_task(coder, db):
    result = coded(coder, db, 2098)
    assert in_paragraph(result, "10") == set()
    assert ("OffensOper", "Security") in in_paragraph(result, "12(b)")


def test_decides_that_mission_will_have_is_no_mandate_but_following_mandate_is(coder):
    assert (
        tasks_of(
            coder,
            "Decides that the Force will have a clear exit strategy and that the Council will "
            "consider whether the Government has adopted a security sector reform roadmap;",
        )
        == set()
    )
    assert ("Ceasefire", "Monitor") in tasks_of(
        coder,
        "Decides that the Mission, in cooperation with the Joint Military Commission, shall "
        "have the following mandate: to monitor the ceasefire;",
    )


# 2. "shall transfer ... to the UNCT appropriate tasks ..., including technical election
#    support and demining support": tasks handed over are no longer the mission's.


def test_2098_18_tasks_handed_over_to_the_country_team_are_not_coded(coder, db):
    tasks = {task for task, _ in in_paragraph(coded(coder, db, 2098), "18")}
    assert "Demining" not in tasks
    assert "ElectAssist" not in tasks


def test_handing_over_tasks_including_demining_is_no_demining_task(coder):
    tasks = tasks_of(
        coder,
        "Requests MONUSCO to hand over to the United Nations country team those tasks where "
        "the country team has a comparative advantage, including mine action and electoral "
        "assistance;",
    )
    assert {t for t, _ in tasks} & {"Demining", "ElectAssist"} == set()


# 3. "Encourages the Government ... to vigorously implement, with the support of MONUSCO as
#    appropriate, the action plan to prevent and end the recruitment and use of children": the
#    Government's task, which the mission assists.


def test_2098_22_government_task_with_mission_support_is_assist(coder, db):
    found = in_paragraph(coded(coder, db, 2098), "22")
    assert ("ChildRights", "Assist") in found
    assert ("SGBViolence", "Assist") in found
    assert {m for _, m in found} == {"Assist"}


def test_others_protect_with_the_support_of_the_mission_is_assist(coder):
    found = tasks_of(
        coder,
        "Calls upon the Government to protect civilians from sexual violence, with the "
        "assistance of UNMISS;",
    )
    assert ("SGBViolence", "Assist") in found
    assert ("SGBViolence", "Security") not in found


# 5. A capitalised agreement's name is no task; "monitor the implementation of" the
#    agreement is.


def test_agreement_name_mentioned_is_no_ceasefire_task(coder, db):
    assert "Ceasefire" not in {t for t, _ in in_paragraph(coded(coder, db, 1279), "5(a)")}
    assert ("Ceasefire", "Monitor") in in_paragraph(coded(coder, db, 1291), "7(a)")


def test_agreement_name_needs_a_task_verb_governing_it(coder):
    mention = tasks_of(
        coder,
        "Requests MONUC to maintain liaison with all parties to the Lusaka Ceasefire Agreement "
        "to facilitate the delivery of humanitarian assistance;",
    )
    assert "Ceasefire" not in {t for t, _ in mention}
    assert ("Ceasefire", "Monitor") in tasks_of(
        coder, "Requests MONUC to monitor the implementation of the Lusaka Ceasefire Agreement;"
    )


# 6. "combat impunity for conflict-related sexual violence" is the sexual-violence task.


def test_2211_32_impunity_for_sexual_violence_is_not_transitional_justice(coder, db):
    found = {t for t, _ in in_paragraph(coded(coder, db, 2211), "32")}
    assert "SGBViolence" in found
    assert "TransJustice" not in found


def test_impunity_for_sexual_violence_versus_impunity(coder):
    sexual = tasks_of(
        coder,
        "Requests UNMISS to support the Government in its efforts to combat impunity for "
        "conflict-related sexual violence;",
    )
    assert "TransJustice" not in {t for t, _ in sexual}
    assert "SGBViolence" in {t for t, _ in sexual}
    assert "TransJustice" in {
        t for t, _ in tasks_of(coder, "Requests UNMISS to support the fight against impunity;")
    }


# 7. What the Council praises is no task: "Commends the active role of the Special
#    Representative ... to mediate between the parties".


def test_912_7_praise_of_the_mediating_special_representative_is_no_task(coder, db):
    found = {t for t, _ in in_paragraph(coded(coder, db, 912), "7")}
    assert "PeaceProcess" not in found


def test_praise_of_the_facilitator_is_no_peace_process_task(coder):
    assert (
        tasks_of(
            coder,
            "Expresses its appreciation for the efforts of the Special Representative of the "
            "Secretary-General to mediate between the parties and advance the peace process;",
        )
        == set()
    )
    assert ("PeaceProcess", "Assist") in tasks_of(
        coder,
        "Commends the parties, and requests the Special Representative of the "
        "Secretary-General to support the peace process;",
    )


# 8. The mission's part in a demand on the parties: "under UNAVEM III monitoring".


def test_1055_14_police_return_under_mission_monitoring_is_monitor(coder, db):
    assert ("PoliceReform", "Monitor") in in_paragraph(coded(coder, db, 1055), "14")


def test_demand_on_the_parties_under_mission_supervision_is_monitor(coder):
    assert ("Ceasefire", "Monitor") in tasks_of(
        coder,
        "Demands that the parties respect the ceasefire and withdraw their forces under "
        "UNAMSIL monitoring;",
    )
    assert ("DisarmDemob", "Monitor") in tasks_of(
        coder,
        "Demands that all factions complete the disarmament of their combatants under the "
        "close supervision of MONUA;",
    )


# 9. "Authorizes UNMISET, under Chapter VII of the Charter of the United Nations, to take the
#    necessary actions": the Council acts under Chapter VII without the word "Acting".


def test_1410_authorizes_under_chapter_vii(coder, db):
    chapter = coded(coder, db, 1410).chapter_vii
    assert "6" in chapter.paragraphs
    assert chapter.quote.startswith("under Chapter VII of the Charter")


def test_decides_under_chapter_vii_but_not_measures_imposed_under_it(coder):
    text = (
        "The Security Council,\n\nRecalling its resolutions,\n\n"
        "1. Reminds States of the importance of strict enforcement of measures imposed under "
        "Chapter VII of the Charter;\n\n"
        "2. Authorizes UNMISET, under Chapter VII of the Charter of the United Nations, to take "
        "the necessary actions to fulfil its mandate;\n"
    )
    chapter = coder.predict(1, text).chapter_vii
    assert chapter.paragraphs == ("2",)
    assert text[chapter.start : chapter.end] == chapter.quote


# 10. The mission a task is given to: a resolution can task a UN mission and a regional force
#     ("Urges all Member States to provide ... assistance in support of ECOMOG to enable it to
#     carry out its mandate, particularly with respect to ... disarmament of the Liberian
#     factions"); each code records the mission its paragraph addresses, and a sub-paragraph
#     of a mission's list belongs to that mission even when it names another force.


def test_1041_7_disarmament_is_ecomogs_task_not_unomils(coder, db):
    result = coded(coder, db, 1041)
    seven = [c for c in result.codes if c.paragraph == "7"]
    assert seven and {c.mission for c in seven} == {"ECOMOG"}


def test_866_3g_belongs_to_unomils_list_although_it_names_ecomog(coder, db):
    result = coded(coder, db, 866)
    listed = [c for c in result.codes if c.paragraph == "3(g)"]
    assert ("Demining", "UNOMIL") in {(c.task, c.mission) for c in listed}


def test_a_generic_designator_records_no_mission(untest):
    text = (
        "The Security Council,\n\nRecalling its resolutions,\n\n"
        "1. Requests the Mission to monitor the ceasefire;\n"
        "2. Requests UNTEST to monitor the ceasefire;\n"
    )
    by_paragraph = {c.paragraph: c.mission for c in untest.predict(1, text).codes}
    assert by_paragraph == {"1": None, "2": "UNTEST"}


def test_stored_codes_name_registry_missions(db):
    assert db.scalar("SELECT count(*) FROM codes WHERE mission IS NOT NULL") > 1000
    assert (
        db.scalar(
            "SELECT count(*) FROM codes WHERE mission IS NOT NULL AND mission NOT IN "
            "(SELECT split_part(acronym, ' ', 1) FROM missions)"
        )
        == 0
    )


# 11. An item of a list the Council declares or welcomes, with no act of its own: the mission's
#     role in the clause decides the modality ("the withdrawal of ... units ... to be monitored
#     by United Nations military observers"; "the plans by the FARDC, supported by MONUSCO, to
#     neutralize the FDLR").


def test_824_4a_safe_areas_monitored_by_observers_is_monitor_not_security(coder, db):
    result = coded(coder, db, 824)
    assert in_paragraph(result, "4(a)") == {("CivProtect", "Monitor")}


def test_2147_19_fardc_plans_supported_by_monusco_are_assist(coder, db):
    result = coded(coder, db, 2147)
    assert ("NeutralizeGroups", "Assist") in in_paragraph(result, "19")
    assert ("NeutralizeGroups", "Security") not in in_paragraph(result, "19")


def test_show_resolution_names_the_mission_a_task_is_given_to(built_db):
    args = ["show", "resolution", "1041", "--codes", "--db", str(built_db)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "DisarmDemob/Security (ECOMOG)" in result.stdout
    payload = CliRunner().invoke(app, [*args, "--json"])
    assert {c["mission"] for c in json.loads(payload.stdout)["codes"]} == {"ECOMOG"}


# 4. A technical renewal: "Decides to extend the mandate of MONUC until 15 October 2000;
#    Emphasizes that this technical extension of the MONUC mandate is designed to allow time
#    for further diplomatic activities in support of the Ceasefire Agreement and for Council
#    reflection on the future mandate of MONUC": the paragraph explains why the mandate is
#    renewed unchanged; it gives MONUC no new task.


def test_1316_2_the_purpose_of_a_technical_extension_is_no_task(coder, db):
    result = coded(coder, db, 1316)
    assert in_paragraph(result, "2") == set()


def test_a_mandate_designed_to_allow_time_is_no_task_but_a_mission_to_monitor_is(untest):
    assert (
        tasks_of(
            untest,
            "Emphasizes that this technical extension of the UNTEST mandate is designed to allow "
            "time for diplomatic activities in support of the ceasefire and for Council "
            "reflection on the future mandate of UNTEST;",
        )
        == set()
    )
    assert tasks_of(untest, "Requests UNTEST to monitor the ceasefire;") == {
        ("Ceasefire", "Monitor")
    }
