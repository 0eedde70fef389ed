"""Executable doctrine: the Charter's instruments and the R2P pillars as tested rules.

Every rule has a versioned id, a docstring citing the Charter article or doctrine source it
implements, and returns findings with evidence spans into the resolution's text. See
``docs/doctrine.md`` for the rules in prose and their limits.
"""

from peaceops.doctrine.explain import (
    MISSION_YEAR_COLUMNS,
    explain_all,
    explain_facts,
    explain_resolution,
    instruments_by_mission_year,
    load_facts,
)
from peaceops.doctrine.instruments import INSTRUMENTS, MISSION_INSTRUMENTS, authorizations
from peaceops.doctrine.r2p import PILLARS
from peaceops.doctrine.record import RecordCheck, check_record
from peaceops.doctrine.rules import (
    RULES,
    RULESET_VERSION,
    ChapterVIIBasis,
    Evidence,
    Finding,
    MissionLink,
    ParagraphRef,
    ResolutionFacts,
    Rule,
    RuleError,
    evaluate,
    rule,
)
from peaceops.doctrine.voting import (
    VOTING_RULES,
    Ballot,
    VoteError,
    VoteOutcome,
    composition,
    decide,
    decide_tally,
    permanent_members,
)

__all__ = [
    "INSTRUMENTS",
    "MISSION_INSTRUMENTS",
    "MISSION_YEAR_COLUMNS",
    "PILLARS",
    "RULES",
    "RULESET_VERSION",
    "VOTING_RULES",
    "Ballot",
    "ChapterVIIBasis",
    "Evidence",
    "Finding",
    "MissionLink",
    "ParagraphRef",
    "RecordCheck",
    "ResolutionFacts",
    "Rule",
    "RuleError",
    "VoteError",
    "VoteOutcome",
    "authorizations",
    "check_record",
    "composition",
    "decide",
    "decide_tally",
    "evaluate",
    "explain_all",
    "explain_facts",
    "explain_resolution",
    "instruments_by_mission_year",
    "load_facts",
    "permanent_members",
    "rule",
]
