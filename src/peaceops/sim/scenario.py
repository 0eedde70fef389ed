"""Scenarios: the inputs of one mission's simulation, read from the knowledge base.

Data flow: :func:`load_scenario` reads, for any mission of the registry and with no
per-mission code,

* ``missions``: start, hosts, type (and the recorded end, kept for comparison only);
* ``mission_ends``: the ``successor`` column only (a mission that became another, #18), and
  that successor's own ``missions.start``, the handover date. The end registry's outcome,
  end date and host request are what the model must produce and are never read (tested);
* the confirmed ``mandate_history`` (without the terminating resolution, whose existence is
  an outcome)
  with ``resolutions.date``, and for each resolution the mandate in force after it:
  ``impartiality_mission_year`` (index and its terms), ``chapter_vii`` (operative part),
  ``mandate_inheritance`` (stabilization and offensive tasks, groups named as targets);
* ``personnel_mission_month`` and ``personnel_authorized``: uniformed strength by month;
* ``actors`` and ``targets``: the armed groups of the host countries and those the mandates
  name, with the date each was first listed under sanctions;
* ``partner_presence``: security partners present in the host countries, with dates;
* ``fragmentation_year`` (scope ``all``): the Council's yearly fragmentation;
* ``drafts``: the end of the Council record, which is the default horizon.

* ``events`` of the types in ``SHOCK_EVENTS`` only (coups and changes of regime in the host
  country, recorded for the mission): exogenous shocks the model reacts to.

The outcome events of the ``events`` table (access denials, talks exits, protests, withdrawal
requests, expulsions, terminations) are never read: those are what the model must produce.
:func:`apply_counterfactual` returns a changed copy of a scenario (``no-stabilization``,
``no-alternative-partner``, ``unified-council``, ``divided-council``, ``spm``). The model turns a
scenario into monthly inputs (``peaceops.sim.mechanism.model``).

The module runs over 500 lines because it holds every query a scenario makes, in one place:
what a run reads, and what it must not read (outcome events, the end registry's outcomes), is
checked against this one module.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from datetime import date

from peaceops.errors import ScenarioError
from peaceops.store import Database
from peaceops.store.council import last_vote

#: Tasks whose presence in force makes a mandate a stabilization mandate (any modality but
#: Encouraged); StateAuthority counts only in the Security modality (see docs/impartiality.md).
STABILIZATION_TASKS = frozenset({"Stabilization", "SupportHostForces"})
#: Tasks that make the mission a party to the fighting (any modality but Encouraged).
OFFENSIVE_TASKS = frozenset({"OffensOper", "NeutralizeGroups"})
MANDATE_ROLES = ("establish", "authorize", "renew", "change")
#: Event types read as inputs: a new government takes power in the host country. Every other
#: event type is an outcome and is never read (tested).
SHOCK_EVENTS = ("coup", "regime_change")

COUNTERFACTUALS: dict[str, str] = {
    "divided-council": "the Council never less divided than on average in the last five "
    "complete years of the record (each year raised to at least that level)",
    "no-alternative-partner": "no security partner outside the Council's endorsement is ever "
    "present in the host country",
    "no-stabilization": "every mandate without stabilization, offensive tasks or named "
    "targets (the impartiality index recomputed without its partial terms)",
    "spm": "a special political mission instead of a peacekeeping operation: no troops, no "
    "Chapter VII, no stabilization, offensive tasks or named targets",
    "unified-council": "a unanimous Council without vetoes throughout (fragmentation 0)",
}


@dataclass(frozen=True)
class Mandate:
    """The mandate in force after one resolution (event ``mandate``).

    Attributes:
        resolution: the resolution number.
        date: its adoption date (31 December of its year when the date is unknown).
        role: ``establish``, ``authorize``, ``renew`` or ``change``.
        index: the impartiality index of the mandate in force (None: no coded terms).
        partial_terms: partial terms behind the index.
        evenhanded_terms: even-handed terms behind the index.
        chapter_vii: the operative part acts under Chapter VII.
        stabilization: a stabilization task is in force.
        offensive: an offensive task (offensive operations, neutralizing groups) is in force.
        targets: actor ids of the armed groups the mandate names as targets.
    """

    resolution: int
    date: date
    role: str
    index: float | None
    partial_terms: int
    evenhanded_terms: int
    chapter_vii: bool
    stabilization: bool
    offensive: bool
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Strength:
    """Uniformed personnel in one month: deployed troops and police, and the authorized total."""

    date: date
    uniformed: int
    authorized: int | None


@dataclass(frozen=True)
class Group:
    """An armed group of the scenario.

    Attributes:
        actor_id: the registry id.
        name: the registry name.
        active_from: first year active (None: unknown, treated as always).
        active_to: last year active (None: still active).
        sanctioned_from: date of the first resolution listing it under sanctions, if any.
    """

    actor_id: str
    name: str
    active_from: int | None
    active_to: int | None
    sanctioned_from: date | None


@dataclass(frozen=True)
class Partner:
    """A security partner present in a host country.

    Attributes:
        actor_id: the registry id.
        name: the registry name.
        start: first day present.
        end: last day present (None: still present).
        endorsed: its presence is endorsed by the Council (a regional force, or a citation of
            a resolution); endorsed partners operate alongside the mission and are not the
            host's alternative to it.
    """

    actor_id: str
    name: str
    start: date
    end: date | None
    endorsed: bool


@dataclass(frozen=True)
class Scenario:
    """Everything a run of one mission needs, and nothing the run must produce.

    Attributes:
        mission: the registry acronym.
        name: the mission's name.
        kind: ``pko``, ``spm`` or ``regional``.
        hosts: ISO3 codes of the host countries.
        start: the mission's start date.
        horizon: the last date with input data (the end of the Council record).
        mandates: the mandates in force, in date order.
        strength: uniformed strength by month (may be empty).
        groups: armed groups, sorted by actor id.
        partners: security partners present in the host countries.
        fragmentation: (year, level in [0, 1]) pairs, sorted by year.
        recorded_end: the end in the registry. Never read by the model: kept to compare
            simulated ends with the record.
        counterfactual: the counterfactual applied, or None.
        regime_changes: dates on which a new government took power in the host country
            (coups and changes of regime of the ``events`` table), in date order.
        successor: the mission this one became (``mission_ends.successor``), or None.
        handover: the successor's start (its ``missions.start``), when it is after this
            mission's start: a run still active then ends as a handover (#18). None: no
            successor, or one without a usable start.
    """

    mission: str
    name: str
    kind: str
    hosts: tuple[str, ...]
    start: date
    horizon: date
    mandates: tuple[Mandate, ...]
    strength: tuple[Strength, ...]
    groups: tuple[Group, ...]
    partners: tuple[Partner, ...]
    fragmentation: tuple[tuple[int, float], ...]
    recorded_end: date | None = None
    counterfactual: str | None = None
    regime_changes: tuple[date, ...] = ()
    successor: str | None = None
    handover: date | None = None

    @property
    def alternative_partners(self) -> tuple[Partner, ...]:
        """The partners the host can turn to instead of the mission (not Council-endorsed)."""
        return tuple(p for p in self.partners if not p.endorsed)


def fragmentation_level(unanimity_share: float | None, vetoed: int, drafts: int) -> float:
    """A year's fragmentation in [0, 1]: share of non-unanimous adoptions plus share vetoed.

    Args:
        unanimity_share: adopted resolutions adopted unanimously / adopted (None: none adopted).
        vetoed: drafts vetoed that year.
        drafts: drafts put to the vote that year.
    """
    split = 1.0 - unanimity_share if unanimity_share is not None else 0.0
    veto = vetoed / drafts if drafts else 0.0
    return min(1.0, max(0.0, split + veto))


def load_scenario(db: Database, mission: str, *, horizon: date | None = None) -> Scenario:
    """Build the scenario of ``mission`` (acronym, any case) from the knowledge base.

    Args:
        db: an open knowledge base.
        mission: a registry acronym such as ``MINUSMA``.
        horizon: the last date to simulate; default the end of the Council record.

    Raises:
        ScenarioError: the mission is not in the registry, has no start date, or starts after
            the horizon.
    """
    row = _mission_row(db, mission)
    acronym = row["acronym"]
    if row["start"] is None:
        raise ScenarioError(f"mission {acronym} has no start date in the registry")
    hosts = tuple(row["host_iso3"] or ())
    horizon = horizon or _record_end(db)
    if row["start"] > horizon:
        raise ScenarioError(f"mission {acronym} starts after the horizon {horizon.isoformat()}")
    mandates = _mandates(db, acronym, horizon)
    successor, handover = _successor(db, acronym, row["start"])
    return Scenario(
        mission=acronym,
        name=row["name"],
        kind=row["type"],
        hosts=hosts,
        start=row["start"],
        horizon=horizon,
        mandates=mandates,
        strength=_strength(db, acronym),
        groups=_groups(db, hosts, mandates, row["start"].year, horizon.year),
        partners=_partners(db, hosts),
        fragmentation=_fragmentation(db),
        recorded_end=row["end"],
        regime_changes=_regime_changes(db, acronym, row["start"], horizon),
        successor=successor,
        handover=handover,
    )


def _successor(db: Database, acronym: str, start: date) -> tuple[str | None, date | None]:
    """The mission's successor and the handover date: the successor's own start.

    Only ``mission_ends.successor`` is read from the end registry: its outcome, end date and
    host request are outcomes (#18). A successor that starts no later than the mission itself
    gives no handover (the link is then a data question, not a transfer of authority).
    """
    rows = db.rows(
        "SELECT e.successor, s.start FROM mission_ends e "
        "LEFT JOIN missions s ON s.acronym = e.successor WHERE e.acronym = ?",
        [acronym],
    )
    if not rows or rows[0]["successor"] is None:
        return None, None
    successor, handover = rows[0]["successor"], rows[0]["start"]
    return successor, handover if handover is not None and handover > start else None


def _regime_changes(db: Database, acronym: str, start: date, horizon: date) -> tuple[date, ...]:
    """Dates of the mission's shock events (``SHOCK_EVENTS``) while it is deployed."""
    rows = db.rows(
        "SELECT DISTINCT date FROM events WHERE mission = ? AND list_contains(?, type) "
        "AND date BETWEEN ? AND ? ORDER BY date",
        [acronym, list(SHOCK_EVENTS), start, horizon],
    )
    return tuple(r["date"] for r in rows)


def apply_counterfactual(scenario: Scenario, name: str) -> Scenario:
    """Return a copy of ``scenario`` changed as counterfactual ``name`` says.

    Args:
        scenario: the scenario built from the record.
        name: one of ``COUNTERFACTUALS``.

    Raises:
        ScenarioError: ``name`` is not a known counterfactual.
    """
    if name not in COUNTERFACTUALS:
        raise ScenarioError(
            f"unknown counterfactual {name!r}; valid ones are: {', '.join(sorted(COUNTERFACTUALS))}"
        )
    label = f"{scenario.counterfactual}+{name}" if scenario.counterfactual else name
    changes: dict[str, object] = {"counterfactual": label}
    if name in ("no-stabilization", "spm"):
        changes["mandates"] = tuple(
            _impartial(m, keep_chapter_vii=name == "no-stabilization") for m in scenario.mandates
        )
    if name == "spm":
        changes["kind"] = "spm"
        changes["strength"] = tuple(
            Strength(date=s.date, uniformed=0, authorized=0) for s in scenario.strength
        )
    elif name == "no-alternative-partner":
        changes["partners"] = tuple(p for p in scenario.partners if p.endorsed)
    elif name == "unified-council":
        changes["fragmentation"] = tuple((year, 0.0) for year, _ in scenario.fragmentation)
    elif name == "divided-council":
        # the last recorded year may be partial (the vote record ends mid-year): leave it out
        complete = scenario.fragmentation[:-1][-5:]
        level = sum(v for _, v in complete) / len(complete) if complete else 0.0
        changes["fragmentation"] = tuple(
            (year, max(value, level)) for year, value in scenario.fragmentation
        )
    return dataclasses.replace(scenario, **changes)


def _impartial(mandate: Mandate, *, keep_chapter_vii: bool) -> Mandate:
    # every partial term of the index is a stabilization-type term (docs/impartiality.md), so
    # a mandate without them keeps only its even-handed terms
    index = 1.0 if mandate.evenhanded_terms else None
    return dataclasses.replace(
        mandate,
        index=index,
        partial_terms=0,
        chapter_vii=mandate.chapter_vii and keep_chapter_vii,
        stabilization=False,
        offensive=False,
        targets=(),
    )


def _mission_row(db: Database, mission: str) -> dict:
    rows = db.rows(
        'SELECT acronym, name, type, host_iso3, start, "end" FROM missions '
        "WHERE upper(acronym) = upper(?)",
        [mission],
    )
    if rows:
        return rows[0]
    known = [r["acronym"] for r in db.rows("SELECT acronym FROM missions ORDER BY acronym")]
    close = difflib.get_close_matches(mission.upper(), known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "."
    raise ScenarioError(
        f"unknown mission {mission!r}{hint} The registry's missions are listed by "
        '`peaceops sql "SELECT acronym, name FROM missions"`.'
    )


def _record_end(db: Database) -> date:
    end = last_vote(db)
    if end is None:
        raise ScenarioError("the knowledge base has no Council votes (table drafts is empty)")
    return end


def partner_endorsed(kind: str, citation: str | None) -> bool:
    """True when the Council endorsed a security partner (the rule the forecast shares).

    The registry has no endorsement column: a regional force is authorized by the Council by
    definition, and a citation of a resolution (``S/RES/``) records the Council's welcome.
    """
    return kind == "regional_force" or "S/RES/" in (citation or "")


def _mandates(db: Database, acronym: str, horizon: date) -> tuple[Mandate, ...]:
    resolutions = db.rows(
        "SELECT mr.number, mr.role, coalesce(r.date, make_date(mr.year, 12, 31)) AS date "
        "FROM mandate_history mr LEFT JOIN resolutions r ON r.number = mr.number "
        "WHERE mr.acronym = ? AND mr.confirmed "
        "AND mr.role IN ('establish', 'authorize', 'renew', 'change') "
        "ORDER BY date, mr.number",
        [acronym],
    )
    index = {
        r["resolution"]: r
        for r in db.rows(
            "SELECT resolution, index, partial_terms, evenhanded_terms "
            "FROM impartiality_mission_year WHERE mission = ?",
            [acronym],
        )
    }
    chapter = {
        r["resolution"]: bool(r["operative"])
        for r in db.rows(
            "SELECT resolution, operative FROM chapter_vii WHERE resolution IN "
            "(SELECT number FROM mandate_history WHERE acronym = ? AND confirmed)",
            [acronym],
        )
    }
    tasks: dict[int, list[tuple[str, str | None]]] = {}
    for r in db.rows(
        "SELECT resolution, task, modality_after FROM mandate_inheritance "
        "WHERE mission = ? AND status <> 'dropped' ORDER BY resolution, task",
        [acronym],
    ):
        tasks.setdefault(r["resolution"], []).append((r["task"], r["modality_after"]))
    mandates: list[Mandate] = []
    previous: Mandate | None = None
    for res in resolutions:
        if res["date"] > horizon:
            break
        number = res["number"]
        # a resolution without a row carries the state before it forward (no text, or the
        # mission-year index was taken after a later resolution of the same year)
        carried = index.get(number)
        state = _task_state(tasks[number]) if number in tasks else None
        mandate = Mandate(
            resolution=number,
            date=res["date"],
            role=res["role"],
            index=(carried["index"] if carried else (previous.index if previous else None)),
            partial_terms=int(
                carried["partial_terms"] if carried else (previous.partial_terms if previous else 0)
            ),
            evenhanded_terms=int(
                carried["evenhanded_terms"]
                if carried
                else (previous.evenhanded_terms if previous else 0)
            ),
            chapter_vii=chapter.get(number, previous.chapter_vii if previous else False),
            stabilization=state[0] if state else bool(previous and previous.stabilization),
            offensive=state[1] if state else bool(previous and previous.offensive),
            targets=state[2] if state else (previous.targets if previous else ()),
        )
        mandates.append(mandate)
        previous = mandate
    return tuple(mandates)


def _task_state(rows: list[tuple[str, str | None]]) -> tuple[bool, bool, tuple[str, ...]]:
    active = [(task, modality) for task, modality in rows if modality != "Encouraged"]
    stabilization = any(
        task in STABILIZATION_TASKS or (task == "StateAuthority" and modality == "Security")
        for task, modality in active
    )
    offensive = any(task in OFFENSIVE_TASKS for task, _ in active)
    targets = tuple(
        sorted({task.split(":", 1)[1] for task, _ in rows if task.startswith("target:")})
    )
    return stabilization, offensive, targets


def _strength(db: Database, acronym: str) -> tuple[Strength, ...]:
    rows = db.rows(
        "SELECT p.date, coalesce(p.troops, 0) + coalesce(p.police, 0) AS uniformed, "
        "coalesce(a.authorized_troops, 0) + coalesce(a.authorized_police, 0) AS authorized, "
        "a.mission IS NOT NULL AS has_authorized "
        "FROM personnel_mission_month p LEFT JOIN personnel_authorized a "
        "ON a.mission = p.mission AND a.date = p.date "
        "WHERE p.mission = ? ORDER BY p.date",
        [acronym],
    )
    return tuple(
        Strength(
            date=r["date"],
            uniformed=int(r["uniformed"]),
            authorized=int(r["authorized"]) if r["has_authorized"] and r["authorized"] else None,
        )
        for r in rows
    )


def _groups(
    db: Database, hosts: tuple[str, ...], mandates: tuple[Mandate, ...], first: int, last: int
) -> tuple[Group, ...]:
    named = {t for m in mandates for t in m.targets}
    sanctioned = {
        r["actor_id"]: r["first"]
        for r in db.rows(
            "SELECT t.actor_id, min(coalesce(r.date, make_date(r.year, 12, 31))) AS first "
            "FROM targets t JOIN resolutions r ON r.number = t.resolution "
            "WHERE t.relation = 'sanction' AND NOT t.inferred AND t.actor_id IS NOT NULL "
            "GROUP BY t.actor_id"
        )
    }
    groups = []
    for r in db.rows(
        "SELECT actor_id, name, iso3, active_from, active_to FROM actors "
        "WHERE kind = 'armed_group' ORDER BY actor_id"
    ):
        in_host = bool(set(r["iso3"] or ()) & set(hosts))
        overlaps = (r["active_from"] is None or r["active_from"] <= last) and (
            r["active_to"] is None or r["active_to"] >= first
        )
        if (in_host and overlaps) or r["actor_id"] in named:
            groups.append(
                Group(
                    actor_id=r["actor_id"],
                    name=r["name"],
                    active_from=r["active_from"],
                    active_to=r["active_to"],
                    sanctioned_from=sanctioned.get(r["actor_id"]),
                )
            )
    return tuple(groups)


def _partners(db: Database, hosts: tuple[str, ...]) -> tuple[Partner, ...]:
    partners = []
    for r in db.rows(
        'SELECT p.actor_id, a.name, a.kind, p.iso3, p.start, p."end", p.citation '
        "FROM partner_presence p JOIN actors a USING (actor_id) ORDER BY p.start, p.actor_id"
    ):
        if not set(r["iso3"].split(";")) & set(hosts):
            continue
        endorsed = partner_endorsed(r["kind"], r["citation"])
        partners.append(
            Partner(
                actor_id=r["actor_id"],
                name=r["name"],
                start=r["start"],
                end=r["end"],
                endorsed=endorsed,
            )
        )
    return tuple(partners)


def _fragmentation(db: Database) -> tuple[tuple[int, float], ...]:
    rows = db.rows(
        "SELECT year, unanimity_share, vetoed, drafts FROM fragmentation_year "
        "WHERE scope = 'all' ORDER BY year"
    )
    return tuple(
        (int(r["year"]), fragmentation_level(r["unanimity_share"], r["vetoed"], r["drafts"]))
        for r in rows
    )
