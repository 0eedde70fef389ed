"""Figures and documents drawn once per knowledge base and kept in it (#30, ``views``).

The session's store is built as the CLI builds it (with its views). Each test that changes
the views works on a copy.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from peaceops.report import council_figures_context, mission_figures
from peaceops.report.views import claims_document, forecast_document
from peaceops.store import Database
from peaceops.store.files import changed_database
from peaceops.store.views import clear_views, code_fingerprint, get_view
from peaceops.web.server import spawn

MISSIONS = ("MINUSMA", "UNAMA", "AFISMA", "UNFICYP")


@pytest.fixture
def copy(built_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.duckdb"
    shutil.copyfile(built_db, target)
    return target


def _keys(path: Path) -> dict[str, str]:
    with Database(path, read_only=True) as db:
        return dict(db.tuples("SELECT key, code FROM views"))


def test_the_build_keeps_every_mission_the_council_the_claims_and_the_forecast(db, built_db):
    keys = _keys(built_db)
    missions = {f"mission:{a}" for (a,) in db.tuples("SELECT acronym FROM missions")}
    assert set(keys) == missions | {"council", "claims", "forecast"}
    assert set(keys.values()) == {code_fingerprint()}


def test_kept_and_drawn_views_are_the_same(built_db: Path, copy: Path):
    """What a page shows does not depend on whether its figures were kept or drawn now."""
    with Database(copy, read_only=False) as db:
        clear_views(db)
    with Database(built_db, read_only=True) as kept, Database(copy, read_only=True) as live:
        assert get_view(live, "mission:MINUSMA") is None  # the copy really draws
        for acronym in MISSIONS:
            assert mission_figures(kept, acronym, seeds=0) == mission_figures(
                live, acronym, seeds=0
            ), acronym
        assert council_figures_context(kept) == council_figures_context(live)
        # the same documents, keys in the same order (the API prints them as the CLI does)
        assert json.dumps(claims_document(kept)) == json.dumps(claims_document(live))
        assert json.dumps(forecast_document(kept)) == json.dumps(forecast_document(live))


def _tamper(path: Path, key: str, code: str) -> None:
    """Put a marked figure under ``key``, as drawn by ``code``."""
    with Database(path, read_only=False) as db:
        body = db.scalar("SELECT body FROM views WHERE key = ?", [key])
        body = body.replace("<svg", "<svg data-tampered='yes'")
        db.execute_write("UPDATE views SET body = ?, code = ? WHERE key = ?", [body, code, key])


def test_a_page_reads_the_kept_figures(copy: Path):
    """The flip of the next test: with this code's fingerprint, the kept (marked) view is shown."""
    _tamper(copy, "mission:UNAMA", code_fingerprint())
    with Database(copy, read_only=True) as db:
        assert "data-tampered" in mission_figures(db, "UNAMA", seeds=0)["timeline"]["svg"]


def test_a_view_drawn_by_other_code_is_drawn_again(copy: Path):
    _tamper(copy, "mission:UNAMA", "0123456789abcdef")
    with Database(copy, read_only=True) as db:
        figures = mission_figures(db, "UNAMA", seeds=0)
    assert "data-tampered" not in figures["timeline"]["svg"]
    assert figures["timeline"]["svg"].startswith("<svg")


def test_a_damaged_view_is_drawn_again(copy: Path, caplog):
    with Database(copy, read_only=False) as db:
        db.execute_write("UPDATE views SET body = '{\"timeline\": ' WHERE key = 'mission:UNAMA'")
    with Database(copy, read_only=True) as db:
        figures = mission_figures(db, "UNAMA", seeds=0)
    assert figures["timeline"]["svg"].startswith("<svg")
    assert "not JSON" in caplog.text


def test_a_changed_store_keeps_no_view(copy: Path):
    """`add` and `code` change the store through changed_database: its views go with it."""
    with changed_database(copy) as db:
        assert db.scalar("SELECT count(*) FROM views") > 0
    assert _keys(copy) == {}
    with Database(copy, read_only=True) as db:
        assert mission_figures(db, "UNAMA", seeds=0)["timeline"]["svg"].startswith("<svg")


def test_a_store_built_before_the_views_table_is_drawn_live(copy: Path):
    with Database(copy, read_only=False) as db:
        db.execute_write("DROP TABLE views")
    with Database(copy, read_only=True) as db:
        assert get_view(db, "claims") is None
        assert mission_figures(db, "AFISMA", seeds=0)["index"]["svg"].startswith("<svg")


def test_the_explorer_serves_the_kept_figures(copy: Path):
    """A real server's first view of a mission page and of the paper reads the store's views."""
    _tamper(copy, "mission:MINUSMA", code_fingerprint())
    with Database(copy, read_only=False) as db:
        body = db.scalar("SELECT body FROM views WHERE key = 'claims'")
        marked = body.replace('"quote": "', '"quote": "KEPT-MARK ', 1)
        db.execute_write("UPDATE views SET body = ? WHERE key = 'claims'", [marked])
    process, url = spawn(copy)
    try:
        with urllib.request.urlopen(url + "/missions/MINUSMA", timeout=60) as answer:
            assert "data-tampered" in answer.read().decode()
        with urllib.request.urlopen(url + "/paper", timeout=60) as answer:
            assert "KEPT-MARK" in answer.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_mission_without_index_or_events_draws_without_warning():
    """The suite turns warnings into errors: an empty legend warned for 20 missions."""
    from peaceops.report import figures

    svg, rows = figures.impartiality([], [])
    assert svg.startswith("<svg") and rows == [["year", "index", "basis", "note"]]
