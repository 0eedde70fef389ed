"""Classes of coding errors fixed in the rule coder v6 to v8, read from what the paragraphs say.

Inputs are real resolution texts from the knowledge base, or short sentences paraphrasing
real texts; expectations follow the grammar of the paragraph (who is addressed, what governs
the task words), not PEMA's cells. The v7 rules (issue #16, continued) are at the end: each
was written from one fold's disagreements and kept on the other folds' figures
(docs/coder-trials-v7.md); the v8 rules follow them (docs/coder-trials-v8.md).
"""

import json

import pytest
from tests.rule_cases import tasks_of
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.coding.coder import CODER, RuleCoder


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
        assert code.coder == CODER
    return result


def in_paragraph(result, label):
    return {(c.task, c.modality) for c in result.codes if c.paragraph == label}


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


def test_824_4a_safe_areas_monitored_by_observers_is_monitor_not_security(coder, db, untest):
    # S/RES/824 para 4(a) names safe areas and no civilians: since v8.1 no CivProtect at all
    assert in_paragraph(coded(coder, db, 824), "4(a)") == set()
    # the clause's rule, on the same grammar with civilians named: monitored, so Monitor
    assert tasks_of(
        untest,
        "Declares that in the areas the following should be observed: (a) the immediate "
        "cessation of attacks against civilians, to be monitored by UNTEST military observers;",
    ) == {("CivProtect", "Monitor")}


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


# --- coder v7 ---------------------------------------------------------------------------

SEIZED = "Decides to remain seized of the matter."


def test_coder_is_v8_1_with_its_rule_set():
    assert CODER == "peaceops.rule_coder.v8.1+0584e318"


# 1. "the Authority" is UNTAC where the text names the United Nations Transitional Authority
#    in Cambodia, and nobody's where it does not.


def test_783_7_the_authority_of_untac_investigates_ceasefire_violations(coder, db):
    tasks = in_paragraph(coded(coder, db, 783), "7")
    assert ("Ceasefire", "Monitor") in tasks


def test_the_authority_is_a_mission_only_after_a_un_authority_is_named(untest):
    paragraph = (
        "Requests the Authority to monitor the cease-fire and to verify the withdrawal of "
        "foreign forces;"
    )
    assert tasks_of(untest, paragraph) == set()
    named = "Recalling the establishment of the United Nations Transitional Authority in Cambodia,"
    assert ("Ceasefire", "Monitor") in tasks_of(untest, paragraph, preamble=named)


# 2. Others told to cooperate with the mission: what they cooperate in is the mission's, what
#    else the sentence asks of them is theirs.


def test_1119_2_parties_removing_landmines_is_no_demining_by_the_observers(coder, db):
    tasks = {t for t, _ in in_paragraph(coded(coder, db, 1119), "2")}
    assert "Demining" not in tasks


def test_897_7_parties_respecting_the_ceasefire_is_no_task_of_unosom(coder, db):
    assert in_paragraph(coded(coder, db, 897), "7") == set()


def test_cooperating_with_the_mission_in_a_task_gives_it_that_task(untest):
    assert {"Demining"} <= {
        t
        for t, _ in tasks_of(
            untest,
            "Urges all parties to cooperate fully with UNTEST in the marking of all minefields "
            "and to refrain from any deployment intended to extend the territory they control;",
        )
    }
    assert (
        tasks_of(
            untest,
            "Calls upon all parties to cooperate fully with UNTEST and respect the cease-fire "
            "arrangements and other commitments entered into by them;",
        )
        == set()
    )


def test_1445_5_cooperating_with_monuc_in_this_regard_refers_back_to_the_ddrrr(coder, db):
    tasks = {t for t, _ in in_paragraph(coded(coder, db, 1445), "5")}
    assert {"DisarmDemob", "Demil"} <= tasks


# 3. A mission set up with its purpose, or given a mandate "for the following", is addressed
#    however long the words before it.


def test_1141_2_miponuh_established_to_assist_the_haitian_police(coder, db):
    # "composed of up to 300 civilian police" (the mission's own police) far from "the
    # professionalization of the Haitian national police" no longer hides the task
    assert ("PoliceReform", "Assist") in in_paragraph(coded(coder, db, 1141), "2")


def test_897_2_unosom_ii_with_a_revised_mandate_for_the_following(coder, db):
    result = coded(coder, db, 897)
    assert ("HumanRelief", "Assist") in in_paragraph(result, "2(c)")
    assert {"PoliceReform", "JusticeReform"} <= {t for t, _ in in_paragraph(result, "2(d)")}
    assert ("RefugeeIDPs", "Assist") in in_paragraph(result, "2(e)")


def test_the_missions_own_police_staff_is_no_police_reform(coder, db):
    # "a Special Representative ... with the necessary civilian, military and police staff"
    assert "PoliceReform" not in {t for t, _ in in_paragraph(coded(coder, db, 804), "14")}


# 4. A preambular paragraph that urges or asks the mission to act gives it tasks, encouraged.


def test_2075_preamble_urging_unisfa_is_encouraged_return_of_displaced(coder, db):
    result = coded(coder, db, 2075)
    preamble = [c for c in result.codes if c.paragraph.startswith("p")]
    assert {(c.task, c.modality, c.mission) for c in preamble} == {
        ("RefugeeIDPs", "Encouraged", "UNISFA")
    }


def test_a_preamble_that_only_recalls_or_commends_the_mission_gives_no_task(untest):
    for preamble in (
        "Commending UNTEST for its efforts to support the return of displaced persons,",
        "Recalling that UNTEST was established to monitor the cease-fire,",
    ):
        assert tasks_of(untest, SEIZED, preamble=preamble) == set()
    urged = "Urging UNTEST to support the voluntary return of displaced persons,"
    assert tasks_of(untest, SEIZED, preamble=urged) == {("RefugeeIDPs", "Encouraged")}


# 5. Words of the task definitions the patterns missed, and what a report is about.


def test_792_12_border_checkpoints_are_border_control(coder, db):
    assert ("BorderControl", "Encouraged") in in_paragraph(coded(coder, db, 792), "12")


def test_766_6_broadcasting_information_is_public_information(coder, db):
    assert ("PublicInfo", "Assist") in in_paragraph(coded(coder, db, 766), "6")


def test_911_2_what_a_report_of_the_secretary_general_is_about_is_no_task(coder, db):
    # "review the situation in Liberia, ... based on a report by the Secretary-General on
    # whether ... there has been ... progress in the peace process"
    assert "PeaceProcess" not in {t for t, _ in in_paragraph(coded(coder, db, 911), "2")}


def test_a_report_topic_is_no_task_but_the_missions_own_reporting_is(untest):
    assert (
        tasks_of(
            untest,
            "Decides to extend the mandate of UNTEST until 30 June, based on a report by the "
            "Secretary-General on progress in the disarmament and demobilization of combatants;",
        )
        == set()
    )
    assert ("DisarmDemob", "Monitor") in tasks_of(
        untest, "Requests UNTEST to monitor and report on the disarmament of combatants;"
    )


# 6. The mission, then the list of what it is to do.


def test_1159_14_the_special_representatives_functions_within_minurca(coder, db):
    result = coded(coder, db, 1159)
    assert ("Reconcil", "Assist") in in_paragraph(result, "14(a)")
    assert {c.mission for c in result.codes if c.paragraph.startswith("14(")} == {"MINURCA"}


def test_2100_12_troops_and_police_from_member_states_are_the_missions_own(coder, db):
    # "calls upon Member States to provide troops and police with adequate capabilities"
    assert "PoliceReform" not in {t for t, _ in in_paragraph(coded(coder, db, 2100), "12")}


def test_a_phrase_exclusion_hides_only_the_words_inside_it(untest):
    assert ("PoliceReform", "Assist") in tasks_of(
        untest,
        "Decides that UNTEST, composed of up to 300 civilian police, shall assist the "
        "Government by supporting the professionalization of the national police;",
    )
    only_own_police = tasks_of(
        untest,
        "Decides that UNTEST shall comprise up to 300 civilian police and shall assist the "
        "Government in the conduct of its elections;",
    )
    assert {t for t, _ in only_own_police} == {"ElectAssist"}


# 7. What the Council then asks of others, the mission unnamed, is theirs.


def test_2063_21_the_parties_protecting_civilians_is_theirs_unamid_reports(coder, db):
    # "Demands that the parties to the conflict immediately take appropriate measures to
    # protect civilians ... from all forms of sexual violence ...; and requests UNAMID to
    # report on sexual and gender-based violence"
    tasks = in_paragraph(coded(coder, db, 2063), "21")
    assert ("SGBViolence", "Monitor") in tasks
    assert ("CivProtect", "Security") not in tasks


def test_a_later_demand_on_others_is_no_task_unless_the_mission_is_named_in_it(untest):
    first = "Requests UNTEST to monitor the ceasefire, and demands that the parties "
    assert tasks_of(
        untest, first + "guarantee the safety and freedom of movement of humanitarian personnel;"
    ) == {("Ceasefire", "Monitor")}
    assert ("Demil", "Monitor") in tasks_of(
        untest, first + "withdraw their heavy weapons under UNTEST monitoring;"
    )


# --- coder v8 ---------------------------------------------------------------------------
# Each rule was written from one fold's disagreements on the partiality tasks and kept when
# the other folds did not lose (docs/coder-trials-v8.md).

# 1. A call the Council only restates gives the mission no new task.


def test_1780_5_a_reaffirmed_call_on_minustah_restates_inherited_tasks(coder, db):
    # "Reaffirms its call upon MINUSTAH to support the constitutional and political process
    # ..., to promote all-inclusive political dialogue and national reconciliation"
    assert in_paragraph(coded(coder, db, 1780), "5") == set()


def test_a_restated_call_gives_nothing_but_a_new_request_in_it_does(untest):
    restated = "Reaffirms its call upon UNTEST to support national reconciliation;"
    assert tasks_of(untest, restated) == set()
    assert tasks_of(untest, "Calls upon UNTEST to support national reconciliation;") == {
        ("Reconcil", "Encouraged")
    }
    # a paragraph that also gives a new task is coded whole: "Affirms that UNISFA may
    # undertake weapons confiscation ..., and reiterates its request that UNISFA observe ...
    # the movement of weapons" (S/RES/2205), where PEMA codes the restated request too
    both = restated[:-1] + ", and requests UNTEST to monitor the ceasefire;"
    assert {t for t, _ in tasks_of(untest, both)} == {"Ceasefire", "Reconcil"}


# 2. The mission as the agent of a task named before it; mediation is assistance.


def test_1543_5_training_carried_out_by_unmiset_includes_human_rights(coder, db):
    # "internationally accepted human rights principles shall continue to form an integral
    # part of training and capacity-building carried out by UNMISET"
    assert ("HumanRights", "Assist") in in_paragraph(coded(coder, db, 1543), "5")


def test_834_2_mediation_by_the_mission_to_restore_a_ceasefire_is_assist(coder, db):
    # "Stresses the importance of the functions of good offices and mediation by the Mission
    # and the Special Representative, with the goal of restoring a cease-fire"
    tasks = in_paragraph(coded(coder, db, 834), "2")
    assert {("Ceasefire", "Assist"), ("PeaceProcess", "Assist")} <= tasks


def test_what_others_did_by_the_mission_before_is_no_task(untest):
    assert (
        tasks_of(
            untest,
            "Requests the Secretary-General to assess actions already undertaken by UNTEST "
            "in support of the national police;",
        )
        == set()
    )


# 3. What the Secretary-General is to report on is no task of the mission.


def test_1812_2_the_secretary_generals_report_on_the_ceasefire_is_no_task(coder, db):
    # "Requests the Secretary-General to report to the Council every three months on the
    # implementation of the mandate of UNMIS, ... and respect for the ceasefire"
    assert in_paragraph(coded(coder, db, 1812), "2") == set()


# 4. Words in a phrase that is not the task: views reconciled, principles of humanitarian work,
#    praise of others.


def test_1282_3_reconciling_opposing_views_is_no_national_reconciliation(coder, db):
    # "continue his consultations with the parties ..., seeking a reconciliation of their
    # opposing views regarding the appeals process"
    assert "Reconcil" not in {t for t, _ in in_paragraph(coded(coder, db, 1282), "3")}


def test_2109_2_principles_of_humanitarian_assistance_are_no_relief_task(coder, db):
    # "... while respecting United Nations guiding principles of humanitarian assistance"
    assert "HumanRelief" not in {t for t, _ in in_paragraph(coded(coder, db, 2109), "2")}


def test_welcoming_in_this_regard_the_efforts_of_others_is_praise(untest):
    assert (
        tasks_of(
            untest,
            "Encourages UNTEST to continue its work, and welcomes, in this regard, the efforts "
            "of the Member States to support national reconciliation;",
        )
        == set()
    )


# 5. Cooperating with the mission: what the others then do is theirs.


def test_1190_9_guaranteeing_safety_after_cooperating_with_monua_is_theirs(coder, db):
    # "Demands that the GURN and in particular UNITA cooperate fully with MONUA in providing
    # full access for its verification activities and guarantee unconditionally the safety ...
    # of all United Nations and international personnel, including those providing
    # humanitarian assistance"
    assert "HumanRelief" not in {t for t, _ in in_paragraph(coded(coder, db, 1190), "9")}


def test_923_4_negotiations_after_cooperating_with_unosom_are_the_parties(coder, db):
    # "Strongly urges all parties in Somalia to cooperate fully with UNOSOM II, to carry out
    # the commitments ..., and to pursue ... the negotiations aimed at achieving national
    # reconciliation"
    assert in_paragraph(coded(coder, db, 923), "4") == set()


def test_in_cooperation_with_the_mission_others_task_is_still_assisted(untest):
    # "in cooperation with" names the mission's help, not the others' next verb
    assert ("PoliceReform", "Assist") in tasks_of(
        untest,
        "Requests the Government, in cooperation with UNTEST, to take steps to train the "
        "national police;",
    )


# 6. What the Council states is no task; a name is no task; words the patterns missed.


def test_2012_6_what_the_council_recognizes_is_no_task(coder, db):
    # "Recognizes that ... a stable political and institutional environment is crucial for
    # stability and the progress of recovery and reconstruction efforts, reaffirms its call
    # upon MINUSTAH ..., and encourages MINUSTAH to continue its support for the upcoming
    # partial legislative and local elections"
    tasks = in_paragraph(coded(coder, db, 2012), "6")
    assert "EcDevelop" not in {t for t, _ in tasks}
    assert ("ElectAssist", "Encouraged") in tasks


def test_a_statement_is_no_task_unless_it_names_the_mission_or_its_mandate(untest):
    assert (
        tasks_of(
            untest,
            "Recognizes that the security of United Nations personnel is essential for UNTEST "
            "to carry out its work, and calls upon the Government to provide security;",
        )
        == set()
    )
    assert ("RefugeeIDPs", "Security") in tasks_of(
        untest,
        "Requests UNTEST to provide security to the civilian population, and stresses that "
        "this mandate includes the protection of refugees;",
    )


def test_789_8b_a_buffer_zone_named_still_names_demilitarization(coder, db):
    # "That the military authorities on each side cooperate with the United Nations
    # Peace-keeping Force in Cyprus in order to extend the unmanning agreement of 1989 to all
    # areas of the United Nations-controlled Buffer Zone": a zone's name is the arrangement
    # the mission watches over, unlike a plan's
    assert ("Demil", "Encouraged") in in_paragraph(coded(coder, db, 789), "8(b)")


def test_a_development_plan_named_is_no_economic_development_task(untest):
    assert (
        tasks_of(
            untest,
            "Calls upon the international financial institutions, in cooperation with UNTEST, "
            "to ensure that international assistance is consistent with national priorities, "
            "including the Republic's National Development Plan;",
        )
        == set()
    )


def test_912_8c_the_safety_and_security_of_civilians_is_protection(coder, db):
    # "(c) To monitor and report on developments in Rwanda, including the safety and
    # security of the civilians who sought refuge with UNAMIR"
    assert ("CivProtect", "Monitor") in in_paragraph(coded(coder, db, 912), "8(c)")


def test_1927_5_humanitarian_and_recovery_efforts_are_humanitarian(coder, db):
    # "Requests MINUSTAH to continue, within its current mandate, its collaboration with
    # OCHA and the United Nations Country Team in supporting the humanitarian and recovery
    # efforts"
    assert ("HumanRelief", "Assist") in in_paragraph(coded(coder, db, 1927), "5")


def test_2348_46_police_officers_among_the_missions_personnel_are_no_police_reform(coder, db):
    # "bearing in mind the safety and security of all military contingents, police officers,
    # military observers, and especially unarmed observers and reminds the Secretary-General
    # of the necessity to keep Memoranda of Understanding ... between the troop- and
    # police-contributing countries and the United Nations up to date"
    assert "PoliceReform" not in {t for t, _ in in_paragraph(coded(coder, db, 2348), "46")}


# --- coder v8.1 (#29: the expert's reading of claims 1 and 9) -------------------------------
# 1. S/RES/836 (1993) para 5 extends UNPROFOR's mandate "to deter attacks against the safe
#    areas": the safe areas are places; the paragraph says nothing of civilians, so it is no
#    mandate to protect civilians (S/RES/1270 para 14 is the first explicit one).


def test_836_safe_areas_are_no_protection_of_civilians(coder, db):
    result = coded(coder, db, 836)
    assert not any(c.task == "CivProtect" for c in result.codes), [
        (c.paragraph, c.quote) for c in result.codes if c.task == "CivProtect"
    ]
    # ... while the words that do name civilians still code it (the rule can fire).
    assert ("CivProtect", "Security") in tasks_of(
        coder,
        "Decides that UNPROFOR shall protect the civilian population in the safe areas;",
    )


def test_1270_14_protection_of_civilians_is_still_coded(coder, db):
    assert ("CivProtect", "Security") in in_paragraph(coded(coder, db, 1270), "14")


# 2. "to stabilize the country" given to a mission is a stabilization task (the CAR's letter
#    of 27 January 2014, quoted in S/RES/2149's preamble, asked for a peacekeeping operation
#    "to stabilize the country"); the same words in a preamble are no task of anyone.


def test_stabilize_the_country_is_a_stabilization_task(untest):
    assert ("Stabilization", "Security") in tasks_of(
        untest, "Requests UNTEST to stabilize the country;"
    )
    assert ("Stabilization", "Assist") in tasks_of(
        untest, "Requests UNTEST to help the Government to stabilize the country;"
    )
    assert (
        tasks_of(
            untest,
            SEIZED,
            preamble="Taking note of the letter requesting the deployment of a United Nations "
            "peacekeeping operation to stabilize the country,",
        )
        == set()
    )


def test_2203_16_the_long_term_work_of_stabilizing_the_country_is_no_mission_task(coder, db):
    """S/RES/2203 para 16: the international community's "long-term work of stabilizing the
    country" (development), not a task of UNIOGBIS, which is asked to assist coordination."""
    assert not any(c.task == "Stabilization" for c in coded(coder, db, 2203).codes)
