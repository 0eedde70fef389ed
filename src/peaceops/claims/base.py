"""The machinery of ``peaceops paper``: claims of Peter (2023), tested against the data.

A claim is a plain function registered with :func:`claim` under a versioned id, with the
paper's words (a short quote and its section). It takes the knowledge base and returns a
:class:`Result`: a verdict, the figures found, the evidence spans (``text[start:end] ==
quote``), what is missing, and the command that reproduces the test. Nothing in a result is
typed in by hand except the quote: every verdict is computed from the data at run time, and
each claim has a test that changes its data in a copy and sees the verdict change.

Verdicts: ``supported``, ``partly supported``, ``contradicted``, ``insufficient data`` (which
names the missing data). A claim whose test fails for lack of data says so; none is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from peaceops.errors import PeaceopsError, UsageError
from peaceops.store import Database

CLAIMS_VERSION = "peaceops.claims.v2"  # v2: each claim states how it is tested (#29)
#: Every mission's confirmed mandate history (#28): curated rows, acts read from the texts,
#: registry extracts; never the agenda-item candidates. Read as a table in the claims' SQL.
LINKS = "(SELECT * FROM mandate_history WHERE confirmed)"
PAPER = (
    "Peter, M. (2023). Global fragmentation and collective security instruments "
    "(../shared/paper/peter-2023-global-fragmentation-collective-security.md)"
)
SUPPORTED = "supported"
PARTLY = "partly supported"
CONTRADICTED = "contradicted"
INSUFFICIENT = "insufficient data"
#: A simulation's pattern, never evidence about the record it is calibrated on (#29).
ILLUSTRATIVE = "illustrative (simulated)"
VERDICTS = (SUPPORTED, PARTLY, CONTRADICTED, INSUFFICIENT, ILLUSTRATIVE)


@dataclass(frozen=True)
class Evidence:
    """Words of a stored resolution text (``text[start:end] == quote``), or a registry row."""

    source: str  # "S/RES/2098 (2013)", "registry: events", ...
    quote: str
    start: int | None = None
    end: int | None = None
    paragraph: str | None = None
    resolution: int | None = None


@dataclass
class Result:
    """What testing one claim found."""

    verdict: str
    summary: str
    figures: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")  # a bug in a claim
        if self.verdict == INSUFFICIENT and not self.missing:
            raise ValueError("an 'insufficient data' verdict must name the missing data")


@dataclass(frozen=True)
class Claim:
    """A registered claim: the paper's words, how peaceops tests it, and the test."""

    id: str
    number: int
    section: str
    quote: str
    method: str
    command: str
    test: Callable[[Database], Result]
    would_change_if: str
    tested: str

    @property
    def name(self) -> str:
        """The id without its version (``claims.poc_firsts``)."""
        return self.id.rsplit(".v", 1)[0]


CLAIMS: dict[str, Claim] = {}


def claim(
    claim_id: str,
    *,
    number: int,
    section: str,
    quote: str,
    method: str,
    command: str,
    would_change_if: str,
    tested: str,
) -> Callable[[Callable[[Database], Result]], Callable[[Database], Result]]:
    """Register a claim's test under a versioned id (``claims.<name>.v<N>``).

    ``tested`` is the claim as peaceops tests it, in one sentence (the operationalisation of
    the paper's words); ``would_change_if`` says, in a sentence, the finding that would change
    the verdict (#29): a design a reviewer can check could come out the other way.
    """
    if not re.fullmatch(r"claims\.[a-z0-9_]+\.v\d+", claim_id):
        raise ValueError(f"claim id {claim_id!r} is not claims.<name>.v<N>")
    if not would_change_if.strip():
        raise ValueError(f"claim {claim_id} must say what finding would change its verdict")
    if not tested.strip():
        raise ValueError(f"claim {claim_id} must state the claim as tested, in a sentence")

    def register(fn: Callable[[Database], Result]) -> Callable[[Database], Result]:
        if claim_id in CLAIMS or any(c.number == number for c in CLAIMS.values()):
            raise ValueError(f"claim {claim_id} (number {number}) is registered twice")
        CLAIMS[claim_id] = Claim(
            claim_id, number, section, quote, method, command, fn, would_change_if, tested
        )
        return fn

    return register


def graded(checks: list[bool]) -> str:
    """The verdict of a claim made of parts: all hold, some hold, or none holds."""
    return SUPPORTED if all(checks) else PARTLY if any(checks) else CONTRADICTED


def evidence_in_text(db: Database, number: int, pattern: str, *, limit: int = 3) -> list[Evidence]:
    """Spans of resolution ``number``'s stored text matching ``pattern`` (case-insensitive)."""
    text = db.scalar("SELECT text FROM resolutions WHERE number = ?", [number])
    year = db.scalar("SELECT year FROM resolutions WHERE number = ?", [number])
    if not text:
        return []
    found = []
    for match in list(re.finditer(pattern, text, re.IGNORECASE))[:limit]:
        paragraph = db.scalar(
            'SELECT label FROM paragraphs WHERE resolution = ? AND start <= ? AND "end" >= ? '
            "ORDER BY depth DESC LIMIT 1",
            [number, match.start(), match.end()],
        )
        found.append(
            Evidence(
                f"S/RES/{number} ({year})",
                match.group(0),
                match.start(),
                match.end(),
                paragraph,
                number,
            )
        )
    return found


def code_evidence(db: Database, number: int, task: str) -> list[Evidence]:
    """The coder's evidence spans for ``task`` in resolution ``number``."""
    year = db.scalar("SELECT year FROM resolutions WHERE number = ?", [number])
    return [
        Evidence(
            f"S/RES/{number} ({year}), code {task}/{r['modality']}",
            r["quote"],
            r["start"],
            r["end"],
            r["paragraph"],
            number,
        )
        for r in db.rows(
            'SELECT modality, quote, start, "end", paragraph FROM codes '
            "WHERE resolution = ? AND task = ? ORDER BY start",
            [number, task],
        )
    ]


def acts_under_chapter_vii(db: Database, number: int, paragraph: str | None = None) -> bool:
    """Whether resolution ``number`` acts under Chapter VII (for ``paragraph``, when given).

    It does in its operative part, or in the paragraphs the coder found in its scope.
    """
    rows = db.rows("SELECT operative, paragraphs FROM chapter_vii WHERE resolution = ?", [number])
    if not rows:
        return False
    scope = list(rows[0]["paragraphs"] or [])
    if paragraph is None:
        return bool(rows[0]["operative"] or scope)
    return bool(rows[0]["operative"]) or paragraph in scope


def chapter_vii_for(db: Database, number: int, acronym: str) -> bool:
    """Whether resolution ``number`` acts under Chapter VII *for* mission ``acronym`` (#29).

    A Chapter VII finding counts for a mission only when a paragraph in its scope acts for that
    mission: an act on its mandate read from the text (``mandate_acts``, not a mere mention) or
    a task the coder addressed to it. S/RES/1546 (2004) acts under Chapter VII for the
    multinational force, not for UNAMI, whose paragraphs there state no act or task.
    """
    if not acts_under_chapter_vii(db, number):
        return False
    from peaceops.coding.records import designator

    own = {
        label
        for (label,) in db.tuples(
            "SELECT paragraph FROM mandate_acts WHERE resolution = ? AND mission = ? "
            "AND act NOT IN ('addresses') UNION SELECT paragraph FROM codes "
            "WHERE resolution = ? AND mission = ?",
            [number, acronym, number, designator(acronym)],
        )
    }
    return any(acts_under_chapter_vii(db, number, label) for label in own)


def has_text(db: Database, number: int) -> bool:
    """Whether resolution ``number`` has a stored text."""
    return bool(db.scalar("SELECT has_text FROM resolutions WHERE number = ?", [number]))


def run_claims(db: Database, only: list[int] | None = None) -> dict:
    """Test every registered claim (or those numbered in ``only``) and return the table.

    A claim whose test raises a peaceops error (a missing table, say) gets the verdict
    ``insufficient data`` naming the error; it is never dropped.

    Raises:
        UsageError: ``only`` names a claim number that does not exist.
    """
    # importing the modules registers their claims
    from peaceops.claims import (  # noqa: F401
        cooptation,
        mandates,
        mechanism,
        norms,
        partners,
        record,
        sponsors,
    )

    claims = sorted(CLAIMS.values(), key=lambda c: c.number)
    if only:
        unknown = sorted(set(only) - {c.number for c in claims})
        if unknown:
            raise UsageError(
                f"no claim numbered {unknown}; the claims are 1-{max(c.number for c in claims)}"
            )
        claims = [c for c in claims if c.number in only]
    rows = []
    for c in claims:
        try:
            result = c.test(db)
        except PeaceopsError as exc:
            result = Result(INSUFFICIENT, f"the test could not run: {exc}", missing=[str(exc)])
        rows.append(
            {
                "number": c.number,
                "id": c.id,
                "section": c.section,
                "quote": c.quote,
                "tested": c.tested,
                "method": c.method,
                "would_change_if": c.would_change_if,
                "command": c.command,
                **asdict(result),
            }
        )
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    return {"paper": PAPER, "version": CLAIMS_VERSION, "counts": counts, "claims": rows}
