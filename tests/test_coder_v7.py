"""What rule coder v7 reads that v6 did not, from what the paragraphs say (issue #16).

Each rule was written from one fold's disagreements and kept on the other folds' figures
(docs/coder-trials-v7.md). Inputs are real resolution texts from the knowledge base, or short
sentences paraphrasing real texts; expectations follow the grammar of the paragraph, not
PEMA's cells.
"""

import pytest

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


def tasks_of(coder, *paragraphs, preamble="Recalling its resolutions,"):
    body = "\n\n".join(f"{n}. {p}" for n, p in enumerate(paragraphs, start=1))
    text = f"The Security Council,\n\n{preamble}\n\n{body}\n"
    result = coder.predict(1, text)
    assert result.segmentation.ok
    for code in result.codes:
        assert text[code.start : code.end] == code.quote
    return {(c.task, c.modality) for c in result.codes}


SEIZED = "Decides to remain seized of the matter."


def test_coder_is_v7():
    assert CODER == "peaceops.rule_coder.v7"


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
