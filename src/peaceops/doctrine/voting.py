"""Article 27 of the Charter as executable rules: who decides, by how many, and who can block.

Data flow: a :class:`Ballot` (the date, each member's vote, whether the matter is procedural)
goes into :func:`decide`, which validates it and returns a :class:`VoteOutcome` naming the rule
that fired and explaining the decision. :mod:`peaceops.doctrine.record` runs the same function
over the Council's real record.

The rules, by date (rule ids in brackets):

* ``art27.composition`` - the Council had 11 members and decisions needed 7 affirmative votes
  until 31 December 1965; from 1 January 1966 (the amendment to Article 23 and 27 adopted by
  the General Assembly in resolution 1991 A (XVIII) of 17 December 1963, in force on
  31 August 1965, applied from the first Council of 1966) it has 15 members and needs 9.
* ``art27.2.procedural`` - procedural decisions need the affirmative votes of that many members,
  any members (Art. 27(2)).
* ``art27.3.veto`` - all other decisions need those votes *including the concurring votes of the
  permanent members* (Art. 27(3)): a negative vote of a permanent member blocks a decision
  that has enough affirmative votes (a veto).
* ``art27.3.abstention`` - by the Council's constant practice since 1946, confirmed by the
  International Court of Justice (Namibia advisory opinion, ICJ Reports 1971, p. 22, para 22),
  the abstention or absence of a permanent member is not a negative vote and does not block.
* ``art27.3.insufficient`` - a draft with fewer affirmative votes than required fails, whoever
  votes against it; a permanent member's negative vote on such a draft is not counted as a veto.

The permanent members are China, France, the United Kingdom, the United States and the USSR,
whose seat the Russian Federation has held since 24 December 1991 (letter of President Yeltsin,
circulated by the Secretary-General). China's seat was held by the Republic of China until
25 October 1971 (GA resolution 2758 (XXVI)); both appear as CHN in the data.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from peaceops.errors import VoteError
from peaceops.sources.countries import MAX_NAME_CHARS, strict_iso3, suggest_countries

VOTING_RULES = "peaceops.art27.v1"

ENLARGEMENT = date(1966, 1, 1)
RUSSIA_SUCCEEDS = date(1991, 12, 24)
VOTES = ("yes", "no", "abstain", "absent", "not_participating")


@dataclass(frozen=True)
class Ballot:
    """A Council vote: the date, who voted how, and whether the matter is procedural.

    Members of the Council not listed in any group are taken as absent.
    """

    on: date
    yes: frozenset[str] = frozenset()
    no: frozenset[str] = frozenset()
    abstain: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    not_participating: frozenset[str] = frozenset()
    procedural: bool = False


@dataclass(frozen=True)
class VoteOutcome:
    """The result of a vote: ``adopted``, ``vetoed`` or ``failed``, and why."""

    outcome: str
    vetoed_by: tuple[str, ...]
    rule: str
    explanation: str
    required: int
    members: int
    yes: int
    not_voting: tuple[str, ...] | None = None

    def to_json(self) -> dict:
        """The JSON document of ``peaceops vote --json``."""
        return {
            "outcome": self.outcome,
            "vetoed_by": list(self.vetoed_by),
            "rule": self.rule,
            "explanation": self.explanation,
            "required": self.required,
            "members": self.members,
            "yes": self.yes,
            "not_voting": None if self.not_voting is None else list(self.not_voting),
            "rules_version": VOTING_RULES,
        }


def composition(on: date) -> tuple[int, int]:
    """(members, affirmative votes required) under the rules in force on ``on``."""
    return (11, 7) if on < ENLARGEMENT else (15, 9)


def permanent_members(on: date) -> frozenset[str]:
    """ISO3 codes of the permanent members on ``on`` (USSR = SUN until 24 December 1991)."""
    return frozenset({"CHN", "FRA", "GBR", "USA", "SUN" if on < RUSSIA_SUCCEEDS else "RUS"})


def parse_states(values: Iterable[str] | str | None) -> frozenset[str]:
    """ISO3 codes from exact codes or names ("CHN", "France", "Russian Federation"); strict.

    A string holds one state per comma-separated item. Anything else - several codes in one
    item ("FRA GBR"), another separator (";"), a name that is no exact country name ("not
    France") - is an error naming the item, never a guess (see #13).
    """
    if values is None:
        return frozenset()
    if isinstance(values, str):
        if ";" in values:
            raise VoteError(
                f"{values!r}: separate states with commas, not semicolons (e.g. FRA,GBR,USA)"
            )
        values = values.split(",")
    codes = []
    for raw in values:
        name = raw.strip()
        if not name:
            continue
        if len(name) > MAX_NAME_CHARS:  # no state's name is that long: refuse before matching
            raise VoteError(
                f"{name[:40]!r}... ({len(name):,} characters) is no state; use ISO3 codes or "
                "country names, one per comma-separated item"
            )
        code = strict_iso3(name)
        if code is None:
            tokens = name.split()
            if len(tokens) > 1 and all(strict_iso3(t) for t in tokens):
                raise VoteError(
                    f"{name!r} holds {len(tokens)} states; separate them with commas "
                    f"({','.join(t.upper() for t in tokens)})"
                )
            close = suggest_countries(name)
            hint = f"; did you mean {', '.join(close)}?" if close else "."
            raise VoteError(
                f"unknown state {name!r}{hint} Use ISO3 codes (CHN, FRA, GBR, RUS, USA, ...) "
                "or exact country names, one per comma-separated item; the USSR is SUN"
            )
        codes.append(code)
    duplicates = {c for c, n in Counter(codes).items() if n > 1}
    if duplicates:
        raise VoteError(f"{', '.join(sorted(duplicates))} listed twice in the same group")
    return frozenset(codes)


def _validate(ballot: Ballot, members: frozenset[str] | None) -> None:
    groups = {name: getattr(ballot, name) for name in VOTES}
    seen: dict[str, str] = {}
    for name, states in groups.items():
        for state in sorted(states):
            if state in seen:
                raise VoteError(f"{state} votes twice ({seen[state]} and {name}); one vote each")
            seen[state] = name
    size, _ = composition(ballot.on)
    if len(seen) > size:
        raise VoteError(
            f"{len(seen)} states voted, but the Council had {size} members on "
            f"{ballot.on.isoformat()}"
        )
    permanent = permanent_members(ballot.on)
    other_era = {"SUN", "RUS"} - permanent
    wrong = other_era & set(seen)
    if wrong:
        raise VoteError(
            f"{', '.join(sorted(wrong))} was not a member on {ballot.on.isoformat()} (the USSR, "
            "SUN, held the permanent seat until 24 December 1991, the Russian Federation, RUS, "
            "since)"
        )
    if members is not None:
        strangers = set(seen) - members
        if strangers:
            raise VoteError(
                f"{', '.join(sorted(strangers))} not on the Council on {ballot.on.isoformat()}; "
                f"members were {', '.join(sorted(members))}"
            )


def decide(ballot: Ballot, *, members: Iterable[str] | None = None) -> VoteOutcome:
    """Decide a ballot under Article 27 as in force on its date.

    Args:
        ballot: the vote.
        members: the Council's members on that date, when known; voters outside it are an
            error, and members who did not vote are absent.

    Raises:
        VoteError: the ballot is malformed (see :class:`VoteError`).
    """
    known = frozenset(members) if members is not None else None
    _validate(ballot, known)
    outcome = _decide(ballot)
    if known is None:
        return outcome
    voted = set().union(*(getattr(ballot, name) for name in VOTES))
    return dataclasses.replace(outcome, not_voting=tuple(sorted(known - voted)))


def _decide(ballot: Ballot) -> VoteOutcome:
    size, required = composition(ballot.on)
    permanent = permanent_members(ballot.on)
    yes = len(ballot.yes)
    era = f"{size} members, {required} affirmative votes required (rules in force on {ballot.on})"
    if yes < required:
        negative = sorted(ballot.no & permanent)
        note = (
            f"; the negative vote of {', '.join(negative)} is not a veto: the draft lacked "
            "the votes"
            if negative
            else ""
        )
        return VoteOutcome(
            "failed",
            (),
            "art27.3.insufficient",
            f"{yes} affirmative votes, fewer than {required}{note} ({era})",
            required,
            size,
            yes,
        )
    if ballot.procedural:
        return VoteOutcome(
            "adopted",
            (),
            "art27.2.procedural",
            f"procedural: {yes} affirmative votes suffice, no concurrence of the "
            f"permanent members is needed ({era})",
            required,
            size,
            yes,
        )
    vetoes = tuple(sorted(ballot.no & permanent))
    if vetoes:
        return VoteOutcome(
            "vetoed",
            vetoes,
            "art27.3.veto",
            f"{yes} affirmative votes, but {', '.join(vetoes)} (permanent) voted "
            f"against: a non-procedural decision needs their concurrence ({era})",
            required,
            size,
            yes,
        )
    abstaining = sorted((ballot.abstain | ballot.absent | ballot.not_participating) & permanent)
    rule = "art27.3.abstention" if abstaining else "art27.3.concurrence"
    note = (
        f"; the abstention or absence of {', '.join(abstaining)} does not block (Council practice, "
        "ICJ Namibia opinion 1971)"
        if abstaining
        else ""
    )
    return VoteOutcome(
        "adopted",
        (),
        rule,
        f"{yes} affirmative votes and no negative vote of a permanent member{note} ({era})",
        required,
        size,
        yes,
    )


def decide_tally(
    on: date,
    yes: int,
    no: int,
    abstain: int,
    *,
    vetoed_by: Iterable[str] = (),
    procedural: bool = False,
) -> VoteOutcome:
    """Decide from counts only (the meeting tables), with the vetoing members if named.

    Counts cannot say who voted no; when no permanent member is named as vetoing, the negative
    votes are taken as those of elected members.
    """
    size, _ = composition(on)
    if yes + no + abstain > size:
        raise VoteError(f"tally {yes}-{no}-{abstain} exceeds the {size} members of {on.year}")
    named = parse_states(list(vetoed_by))
    if len(named) > no:
        raise VoteError(f"{len(named)} permanent members named as voting no in a tally of {no} no")
    # placeholder identities for the counts: named permanent members first, then elected
    noes = set(named) | {f"E{i}" for i in range(no - len(named))}
    yeses = {f"Y{i}" for i in range(yes)}
    ballot = Ballot(on, yes=frozenset(yeses), no=frozenset(noes), procedural=procedural)
    return decide(ballot)
