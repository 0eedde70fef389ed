"""Claims 12 and 17 (#29): who the alternative partners are, and swapping one for another.

The registry's ``actors.provider`` (migration 0016) is validated row by row; each claim is run
on the session's knowledge base, then on copies whose registry rows were changed (a partner
reclassified, a presence deleted, restrictions added), and its verdict must follow.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from peaceops.claims import run_claims
from peaceops.claims.base import CONTRADICTED, INSUFFICIENT, PARTLY, SUPPORTED
from peaceops.claims.partners import _higher
from peaceops.registry import RegistryError, load_registry, registry_dir
from peaceops.registry.loader import PROVIDERS
from peaceops.store import Database

pytestmark = pytest.mark.issue(29)

RUSSIAN = "('wagner', 'africa-corps', 'russian-instructors-caf')"


def _verdict(db: Database, number: int) -> dict:
    return run_claims(db, [number])["claims"][0]


def _event(event_id: str, mission: str, day: str, kind: str, actor: str) -> str:
    return (
        "INSERT INTO events (event_id, mission, date, date_precision, type, actor_id, "
        f"description, citation) VALUES ('{event_id}', '{mission}', DATE '{day}', 'day', "
        f"'{kind}', '{actor}', 'test', 'test')"
    )


# -- the registry's provider -------------------------------------------------------------


def test_every_alternative_partner_has_a_provider_and_no_other_actor_has_one():
    actors = load_registry()["actors"].set_index("actor_id")
    partners = actors[actors["kind"] == "alternative_partner"]
    assert set(partners["provider"]) <= set(PROVIDERS) and partners["provider"].notna().all()
    assert actors.loc[actors["kind"] != "alternative_partner", "provider"].isna().all()
    provider = actors["provider"]
    assert {
        provider[a]
        for a in (
            "wagner",
            "africa-corps",
            "russian-instructors-caf",
            "rdf-caf",
            "fdnb-cod",
            "updf-shujaa",
        )
    } == {"non_western_state"}
    assert {provider[a] for a in ("serval", "barkhane", "takuba", "sangaris", "isaf")} == {
        "western"
    }  # fmt: skip
    assert {provider[a] for a in ("g5-sahel-jf", "eacrf", "samidrc")} == {"regional"}


def test_the_provider_is_stored(db):
    assert db.scalar("SELECT provider FROM actors WHERE actor_id = 'wagner'") == (
        "non_western_state"
    )
    assert db.scalar("SELECT count(*) FROM actors WHERE provider IS NOT NULL") == db.scalar(
        "SELECT count(*) FROM actors WHERE kind = 'alternative_partner'"
    )


def _actors_with(tmp_path, actor_id: str, provider: str):
    folder = tmp_path / "registry"
    shutil.copytree(registry_dir(), folder)
    path = folder / "actors.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["actor_id"] == actor_id, "provider"] = provider
    frame.to_csv(path, index=False)
    row = int(frame.index[frame["actor_id"] == actor_id][0]) + 2
    return folder, row


@pytest.mark.parametrize(
    ("actor_id", "provider", "message"),
    [
        ("wagner", "", r"alternative partner 'wagner' needs a provider"),
        ("wagner", "eastern", r"provider='eastern' of 'wagner' is not one of western, non_"),
        ("m23", "regional", r"'m23', a armed_group: only alternative partners have a provider"),
    ],
)
def test_a_bad_provider_is_named_with_its_row(tmp_path, actor_id, provider, message):
    folder, row = _actors_with(tmp_path, actor_id, provider)
    with pytest.raises(RegistryError, match=message) as info:
        load_registry(folder)
    assert "actors.csv" in str(info.value) and f"row {row}" in str(info.value)


# -- claim 12 -----------------------------------------------------------------------------


def test_claim_12_compares_non_western_with_western_partners_within_missions(db):
    base = _verdict(db, 12)
    assert base["id"] == "claims.fragmentation.v2" and base["verdict"] == SUPPORTED
    within = base["figures"]["within_mission"]
    assert set(within) == {"MINUSMA", "MINUSCA"}
    mali = {r["year"]: r["class"] for r in within["MINUSMA"]["years"]}
    assert {y for y, c in mali.items() if c == "western"} == set(range(2013, 2022))
    assert {y for y, c in mali.items() if c == "non_western"} == {2022, 2023}
    car = {r["year"]: r["class"] for r in within["MINUSCA"]["years"]}
    assert car[2016] == "western" and car[2017] == "none" and car[2018] == "non_western"
    # the recording effort: MINUSMA's Wagner years are far better recorded
    assert within["MINUSMA"]["recorded_times_as_densely"] > 5
    assert within["MINUSMA"]["non_western"]["share_of_events"] > 0.3
    assert any("MINUSCA" in m and "1 recorded restriction" in m for m in base["missing"])
    assert any("thin record" in m for m in base["missing"])
    sources = {e["source"] for e in base["evidence"]}
    assert "registry: partner_presence" in sources


def test_claim_12_follows_votes_and_partners(db, changed):
    no_partner = changed(
        "DELETE FROM partner_presence WHERE actor_id IN "
        "(SELECT actor_id FROM actors WHERE kind = 'alternative_partner')"
    )
    assert _verdict(no_partner, 12)["verdict"] == INSUFFICIENT
    calm = changed(
        "UPDATE fragmentation_year SET vetoed = 0, non_unanimous = 0 WHERE year >= 2013",
        "DELETE FROM events WHERE type IN "
        "('access_denial', 'consent_restriction', 'sofa_violation', 'expulsion')",
    )
    assert _verdict(calm, 12)["verdict"] == CONTRADICTED


def test_claim_12_reclassifying_the_russian_partners_leaves_no_within_comparison(changed):
    western = changed(f"UPDATE actors SET provider = 'western' WHERE actor_id IN {RUSSIAN}")
    result = _verdict(western, 12)
    # MINUSMA now has Western years only; the CAR keeps the RDF (2021-)
    assert set(result["figures"]["within_mission"]) == {"MINUSCA"}
    none = changed(
        f"UPDATE actors SET provider = 'western' WHERE actor_id IN {RUSSIAN} "
        "OR actor_id = 'rdf-caf'"
    )
    result = _verdict(none, 12)
    assert result["verdict"] == INSUFFICIENT
    assert any("both years with a non-Western partner" in m for m in result["missing"])


def test_claim_12_is_not_fixed_by_construction_a_restriction_under_sangaris(changed):
    """A plausible record: the CAR detains French staff in 2015, with Sangaris, not in 2022.

    Pooled, restrictions stay more frequent with a non-Western partner (Mali 2022 dominates);
    within MINUSCA they no longer are, so the partner half fails and the claim is partly so.
    """
    moved = changed(
        "UPDATE events SET date = DATE '2015-02-21' "
        "WHERE event_id = 'minusca-2022-02-french-staff-detained'"
    )
    result = _verdict(moved, 12)
    assert result["figures"]["partner_half"] == {"pooled_higher": True, "holds": False}
    assert result["figures"]["within_mission"]["MINUSCA"]["higher_with_non_western"] is False
    assert result["verdict"] == PARTLY


def test_claim_12_a_higher_rate_from_a_busier_record_is_not_enough():
    western = {"restrictions_per_year": 0.3, "share_of_events": 0.2}
    busier = {"restrictions_per_year": 0.4, "share_of_events": 0.1}  # more recorded, not more
    assert not _higher(busier, western)
    assert _higher({"restrictions_per_year": 0.4, "share_of_events": 0.3}, western)
    assert _higher({"restrictions_per_year": 0.4, "share_of_events": 0.3},
                   {"restrictions_per_year": 0.0, "share_of_events": None})  # fmt: skip


# -- claim 17 -----------------------------------------------------------------------------


def test_claim_17_quote_section_and_the_swaps_on_the_record(db):
    base = _verdict(db, 17)
    assert base["id"] == "claims.swapping_partners.v1" and base["section"] == "§5 Conclusions"
    swaps = {s["host"]: s for s in base["figures"]["swaps"]}
    assert set(swaps) == {"MLI", "CAF"}
    mali = swaps["MLI"]
    assert mali["mission"] == "MINUSMA" and mali["arriving"] == ["wagner"]
    assert set(mali["ending"]) == {"barkhane", "takuba"} and mali["arrival"] == "2021-12-01"
    assert mali["host_resistance"]["before"] == 0 and mali["host_resistance"]["after"] >= 9
    assert mali["rise"] is True
    car = swaps["CAF"]
    assert car["mission"] == "MINUSCA" and car["ending"] == {"sangaris": "2016-10-31"}
    assert car["rise"] is False
    # the CAR's swap shows no rise, with nothing recorded in either window: partly, and said so
    assert base["verdict"] == PARTLY
    assert any("MINUSCA" in m and "none recorded" in m for m in base["missing"])


def test_claim_17_without_wagner_in_mali_there_is_no_swap(changed):
    copy = changed("DELETE FROM partner_presence WHERE actor_id = 'wagner' AND iso3 = 'MLI'")
    result = _verdict(copy, 17)
    # Africa Corps arrives in 2024, after MINUSMA left: no swap alongside the mission
    assert result["verdict"] == CONTRADICTED
    assert [s["host"] for s in result["figures"]["swaps"]] == ["CAF"]
    reclassified = changed(f"UPDATE actors SET provider = 'western' WHERE actor_id IN {RUSSIAN}")
    assert _verdict(reclassified, 17)["verdict"] == CONTRADICTED


def test_claim_17_follows_the_restrictions_around_the_swaps(changed):
    car_rises = _event("test-car", "MINUSCA", "2019-03-01", "sofa_violation", "gov-caf")
    assert _verdict(changed(car_rises), 17)["verdict"] == SUPPORTED
    # as many restrictions in Mali's two years before Wagner as after: no rise
    before = [
        _event(f"test-mli-{i}", "MINUSMA", f"2020-{i + 1:02d}-15", "sofa_violation", "gov-mli")
        for i in range(10)
    ]
    result = _verdict(changed(car_rises, *before), 17)
    mali = next(s for s in result["figures"]["swaps"] if s["host"] == "MLI")
    assert mali["host_resistance"]["before"] == 10 and mali["rise"] is False
    assert result["verdict"] == PARTLY


def test_claim_17_is_not_fixed_by_construction_barkhane_stays(changed):
    """A plausible record: France keeps Barkhane in Mali (no end) and leaves the CAR in 2014.

    No Western partner leaves either host within two years of the Russians' arrival: no swap.
    """
    copy = changed(
        "UPDATE partner_presence SET \"end\" = NULL WHERE actor_id IN ('barkhane', 'takuba')",
        "UPDATE partner_presence SET \"end\" = DATE '2014-12-31' WHERE actor_id = 'sangaris'",
    )
    result = _verdict(copy, 17)
    assert result["figures"]["swaps"] == [] and result["verdict"] == CONTRADICTED


def test_claim_17_without_partners_in_mali_names_the_missing_rows(changed):
    copy = changed("DELETE FROM partner_presence WHERE iso3 = 'MLI'")
    result = _verdict(copy, 17)
    assert result["verdict"] == INSUFFICIENT
    assert result["missing"] == ["partner_presence rows for Mali (MLI)"]
