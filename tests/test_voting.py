"""Article 27 voting: properties (Hypothesis), known votes, and the check against the record."""

import json
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.doctrine.voting import (
    Ballot,
    VoteError,
    composition,
    decide,
    decide_tally,
    parse_states,
    permanent_members,
)

ELECTED = ["BRA", "IND", "NGA", "DEU", "JPN", "ZAF", "MEX", "EGY", "KEN", "NOR", "GAB", "IRL"]
dates = st.dates(min_value=date(1946, 1, 17), max_value=date(2030, 12, 31))


ANY_MATTER = st.booleans()


@st.composite
def ballots(draw, procedural=ANY_MATTER):
    on = draw(dates)
    size, _ = composition(on)
    members = sorted(permanent_members(on)) + ELECTED[: size - 5]
    votes = draw(
        st.lists(st.sampled_from(["yes", "no", "abstain", "absent"]), min_size=size, max_size=size)
    )
    groups = {
        k: frozenset(m for m, v in zip(members, votes, strict=True) if v == k)
        for k in ("yes", "no", "abstain", "absent")
    }
    return Ballot(on, procedural=draw(procedural), **groups)


@settings(max_examples=400, deadline=None)
@given(ballots(procedural=st.just(False)))
def test_a_permanent_no_on_a_draft_with_enough_votes_is_a_veto(ballot):
    _, required = composition(ballot.on)
    result = decide(ballot)
    p5_no = ballot.no & permanent_members(ballot.on)
    if len(ballot.yes) >= required and p5_no:
        assert result.outcome == "vetoed"
        assert set(result.vetoed_by) == p5_no
    else:
        assert result.outcome != "vetoed"


@settings(max_examples=400, deadline=None)
@given(ballots())
def test_abstentions_and_absences_never_veto(ballot):
    result = decide(ballot)
    assert set(result.vetoed_by) <= ballot.no
    quiet = Ballot(
        ballot.on,
        yes=ballot.yes,
        no=ballot.no - permanent_members(ballot.on),
        abstain=ballot.abstain | (ballot.no & permanent_members(ballot.on)),
        absent=ballot.absent,
        procedural=ballot.procedural,
    )
    assert decide(quiet).outcome != "vetoed"


@settings(max_examples=300, deadline=None)
@given(dates, st.booleans())
def test_eight_votes_never_adopt_after_1965_and_seven_do_before_1966(on, procedural):
    size, _ = composition(on)
    members = sorted(permanent_members(on)) + ELECTED[: size - 5]
    for yes_count in (7, 8):
        yes = frozenset(members[:yes_count])
        result = decide(
            Ballot(on, yes=yes, abstain=frozenset(members[yes_count:]), procedural=procedural)
        )
        adopted = result.outcome == "adopted"
        assert adopted == (on < date(1966, 1, 1))


@settings(max_examples=200, deadline=None)
@given(ballots(), st.randoms())
def test_the_outcome_never_depends_on_vote_order(ballot, rnd):
    def shuffled(states):
        items = list(states)
        rnd.shuffle(items)
        return frozenset(items)

    again = Ballot(
        ballot.on,
        yes=shuffled(ballot.yes),
        no=shuffled(ballot.no),
        abstain=shuffled(ballot.abstain),
        absent=shuffled(ballot.absent),
        procedural=ballot.procedural,
    )
    assert decide(again) == decide(ballot)
    assert parse_states(",".join(sorted(ballot.yes, reverse=True))) == ballot.yes


def test_known_votes():
    syria = decide(
        Ballot(
            date(2011, 10, 4),
            yes=parse_states("FRA,GBR,USA,DEU,PRT,COL,NGA,GAB,BIH"),
            no=parse_states("CHN,RUS"),
            abstain=parse_states("IND,BRA,ZAF,LBN"),
        )
    )
    assert (syria.outcome, syria.vetoed_by) == ("vetoed", ("CHN", "RUS"))
    libya = decide(
        Ballot(
            date(2011, 3, 17),
            yes=parse_states("FRA,GBR,USA,BIH,COL,GAB,LBN,NGA,ZAF,PRT"),
            abstain=parse_states("CHN,RUS,BRA,DEU,IND"),
        )
    )
    assert (libya.outcome, libya.rule) == ("adopted", "art27.3.abstention")
    korea = decide(
        Ballot(
            date(1950, 6, 27),
            yes=parse_states("USA,GBR,FRA,CHN,CUB,ECU,NOR"),
            no=parse_states("YUG"),
            absent=parse_states("SUN"),
        )
    )
    assert korea.outcome == "adopted"  # S/RES/83: the USSR's absence did not block


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        (Ballot(date(2020, 1, 1), yes=frozenset({"FRA"}), no=frozenset({"FRA"})), "votes twice"),
        (Ballot(date(2020, 1, 1), yes=frozenset({"SUN"})), "SUN was not a member"),
        (Ballot(date(1980, 1, 1), no=frozenset({"RUS"})), "RUS was not a member"),
        (Ballot(date(1960, 1, 1), yes=frozenset(ELECTED)), "the Council had 11 members"),
    ],
)
def test_malformed_ballots_are_errors(ballot, message):
    with pytest.raises(VoteError, match=message):
        decide(ballot)


def test_a_non_member_voting_is_an_error_when_the_council_is_known():
    members = [*sorted(permanent_members(date(2020, 1, 1))), *ELECTED[:10]]
    with pytest.raises(VoteError, match="ARG not on the Council"):
        decide(Ballot(date(2020, 1, 1), yes=frozenset({"ARG"})), members=members)


@pytest.mark.parametrize("name", ["XXX", "Atlantis", "Prussia"])
def test_unknown_state_codes_are_errors(name):
    with pytest.raises(VoteError, match="unknown state"):
        parse_states(name)


@pytest.mark.issue(13)
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FRA GBR USA DEU PRT COL NGA GAB BIH", "holds 9 states; separate them with commas"),
        ("FRA;GBR;USA", "not semicolons"),
        ("not France", "unknown state 'not France'; did you mean FRA?"),
        ("North Korea and South Korea", "unknown state 'North Korea and South Korea'"),
        ("A" * 100_000, "100,000 characters) is no state"),
        ("[/]", "unknown state '[/]'"),
    ],
)
def test_issue13_states_are_parsed_strictly_never_guessed(text, message):
    with pytest.raises(VoteError, match=re.escape(message)):
        parse_states(text)


def test_exact_names_and_codes_still_parse():
    assert parse_states("France, Russian Federation ,usa,SUN,Côte d'Ivoire") == {
        "FRA", "RUS", "USA", "SUN", "CIV",
    }  # fmt: skip


def test_tallies_with_named_vetoes():
    assert decide_tally(date(2022, 2, 25), 11, 1, 3, vetoed_by=["RUS"]).outcome == "vetoed"
    assert decide_tally(date(1965, 1, 1), 7, 0, 4).outcome == "adopted"
    assert decide_tally(date(1966, 1, 1), 8, 0, 7).outcome == "failed"
    with pytest.raises(VoteError, match="exceeds"):
        decide_tally(date(1960, 1, 1), 9, 2, 1)


runner = CliRunner()


def test_votes_check_against_the_whole_record(built_db):
    result = runner.invoke(app, ["votes", "check", "--json", "--db", str(built_db)])
    assert result.exit_code == 0, result.output

    def no_nan(constant):
        raise AssertionError(f"not strict JSON: {constant}")

    doc = json.loads(result.stdout, parse_constant=no_nan)
    assert doc["drafts"] > 4700
    assert doc["by_source"]["member_votes"]["drafts"] == 1996
    assert doc["by_source"]["meeting_tables"]["drafts"] > 2700
    assert doc["agree"] / doc["drafts"] > 0.98
    assert doc["unexplained"] == 0
    assert all(m["cause"] and m["cause_kind"] in {"data", "rules"} for m in doc["mismatches"])


def test_vote_command_json_and_errors():
    ok = runner.invoke(
        app,
        [
            "vote",
            "--date",
            "1965-06-01",
            "--yes",
            "CHN,FRA,GBR,USA,IRL,BOL,JOR",
            "--no",
            "USSR",
            "--json",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["outcome"] == "vetoed"
    assert json.loads(ok.stdout)["vetoed_by"] == ["SUN"]
    bad = runner.invoke(app, ["vote", "--date", "2020-13-01", "--yes", "FRA"])
    assert bad.exit_code == 1 and "not a date" in bad.stderr


def test_fragmentation_series_has_the_syria_vetoes(db):
    rows = db.rows(
        "SELECT year, vetoes, vetoed_by FROM vetoes_topic_year WHERE topic LIKE '%Syria%' "
        "AND year BETWEEN 2011 AND 2024"
    )
    assert sum(r["vetoes"] for r in rows) >= 15
    assert all("RUS" in r["vetoed_by"] for r in rows)
    years = {r["year"] for r in db.rows("SELECT year FROM fragmentation_year WHERE scope = 'all'")}
    assert years >= set(range(1946, 2025))
    russia = db.scalar(
        "SELECT sum(vetoes_rus) FROM fragmentation_year WHERE scope = 'all' "
        "AND year BETWEEN 2011 AND 2024"
    )
    assert russia >= 20


def test_explain_resolution_json(built_db):
    result = runner.invoke(app, ["explain", "resolution", "1973", "--json", "--db", str(built_db)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert "authorization_member_states" in doc["instruments"]
    assert "pillar_3" in doc["r2p_pillars"]
    assert all({"id", "conclusion", "evidence"} <= set(r) for r in doc["rules"])
    missing = runner.invoke(app, ["explain", "resolution", "9999", "--db", str(built_db)])
    assert missing.exit_code == 1 and "Did you mean" in missing.stderr
