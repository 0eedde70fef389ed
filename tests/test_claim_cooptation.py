"""Claim 10 (#29): stabilization mandates persist, and the missions were tied to counter-terrorism.

Run on the session's knowledge base, then on copies whose rows were changed, so that each part
of the verdict is seen to follow the data (and neither holds by construction).
"""

from __future__ import annotations

import pytest

from peaceops.claims import run_claims
from peaceops.claims.base import CONTRADICTED, PARTLY, SUPPORTED
from peaceops.store import Database

pytestmark = pytest.mark.issue(29)

STABILIZATION = "('MONUC', 'MONUSCO', 'MINUSMA', 'MINUSCA', 'MINUSTAH')"
#: Later mandates of the stabilization missions made even-handed (the first partial one kept).
EVEN_LATER = (
    "UPDATE impartiality_resolution SET partial_terms = 0 WHERE resolution IN (SELECT number "
    f"FROM mandate_history WHERE acronym IN {STABILIZATION}) AND resolution NOT IN (1592, 2100, "
    "2709)"
)
#: The co-optation words taken out of the stored texts.
NO_MARKERS = (
    "UPDATE resolutions SET text = regexp_replace(regexp_replace(regexp_replace(text, "
    "'(?i)robust|proactive', 'steady', 'g'), 'FC-G5S', 'FC-XXX', 'g'), "
    "'(?i)G5 Sahel joint force', 'G5 Sahel joint xxxxx', 'g') "
    "WHERE number IN (2098, 2147, 2211, 2348, 2640, 2709)"
)


def _claim(db: Database) -> dict:
    return run_claims(db, [10])["claims"][0]


def test_claim_10_reads_persistence_and_cooptation_from_the_record(db):
    base = _claim(db)
    figures = base["figures"]
    assert figures["lineages"]["MONUC-MONUSCO"]["first_partial_mandate"] == 1592
    assert figures["lineages"]["MINUSMA"]["founding_was_partial"] is True
    assert figures["later_mandates_partial_share"] > figures["other_pko_mandates_partial_share"]
    assert figures["cooptation_markers"]["support_to_ct_force"]["resolution"] == 2640
    assert base["verdict"] == SUPPORTED
    # the texts that would decide MINUSMA's robust posture and G5 support are named missing
    assert any("S/RES/2391" in m for m in base["missing"])
    text = dict(db.tuples("SELECT number, text FROM resolutions WHERE number IN (2098, 2640)"))
    for e in base["evidence"]:
        assert text[e["resolution"]][e["start"] : e["end"]] == e["quote"]


def test_claim_10_follows_the_later_mandates(changed):
    # the Council back to even-handed mandates after each first partial one: persistence fails
    assert _claim(changed(EVEN_LATER))["verdict"] == PARTLY


def test_claim_10_follows_the_cooptation_words(changed):
    result = _claim(changed(NO_MARKERS))
    assert result["figures"]["cooptation_markers_2013_2023"] == []
    assert result["verdict"] == PARTLY
    assert _claim(changed(NO_MARKERS, EVEN_LATER))["verdict"] == CONTRADICTED


def test_claim_10_is_not_fixed_by_construction(changed):
    """Other peacekeeping operations as partial as the stabilization missions: no persistence."""
    copy = changed(
        "UPDATE impartiality_resolution SET partial_terms = 1 WHERE resolution IN (SELECT number "
        "FROM mandate_history h JOIN missions m USING (acronym) WHERE m.type = 'pko')"
    )
    result = _claim(copy)
    assert result["figures"]["other_pko_mandates_partial_share"] == 1.0
    assert result["verdict"] == PARTLY
