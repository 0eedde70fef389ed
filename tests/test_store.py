import hashlib

import duckdb
import pytest
from tests.conftest import mirror_data_dir

from peaceops.pipeline import build
from peaceops.sources import SourceError
from peaceops.store import Database, DatabaseError, migrations


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_knowledge_base_holds_every_text_with_a_date(db):
    counts = db.execute(
        "SELECT count(*) FILTER (WHERE has_text AND number <= 2259) AS texts, "
        "count(*) FILTER (WHERE number <= 2259 AND date IS NULL) AS undated FROM resolutions"
    ).iloc[0]
    assert counts["texts"] == 2259
    assert counts["undated"] == 0
    assert db.scalar("SELECT count(*) FROM resolutions WHERE date IS NULL") == 0


def test_resolution_year_follows_the_adoption_date(db):
    rows = db.rows("SELECT number, year, date FROM resolutions WHERE number IN (231, 376, 2098)")
    assert {(r["number"], r["year"], r["date"].isoformat()) for r in rows} == {
        (231, 1966, "1966-12-15"),
        (376, 1975, "1975-10-17"),
        (2098, 2013, "2013-03-28"),
    }
    assert db.scalar("SELECT count(*) FROM resolutions WHERE year <> year(date)") == 0


def test_votes_and_missions_meet_the_targets(db):
    assert db.scalar("SELECT count(*) FROM member_votes") >= 29_000
    assert db.scalar("SELECT count(*) FROM member_votes WHERE draft_label LIKE '%RES%'") == 0
    assert db.scalar("SELECT count(*) FROM missions WHERE type = 'pko'") >= 80
    assert db.scalar("SELECT count(*) FROM missions WHERE type = 'spm'") >= 20


def test_migrations_are_recorded_in_order(db):
    names = [r["name"] for r in db.rows("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == [name for name, _ in migrations()]


def test_every_source_is_recorded_as_loaded(db):
    rows = db.rows("SELECT name, status, rows FROM sources")
    assert rows and all(r["status"] == "loaded" and r["rows"] > 0 for r in rows)


def test_readers_cannot_write(db):
    with pytest.raises(DatabaseError, match="read-only"):
        db.execute("DELETE FROM resolutions")
    with pytest.raises(DatabaseError, match="read-only"):
        db.execute_write_fn(lambda conn: conn.execute("DELETE FROM resolutions"))


def test_sandboxed_connection_cannot_touch_files(built_db, tmp_path):
    with Database(built_db, sandboxed=True) as database:
        with pytest.raises(DatabaseError):
            database.execute(f"COPY resolutions TO '{tmp_path / 'x.csv'}'")
        with pytest.raises(DatabaseError):
            database.execute("SELECT * FROM read_csv('/etc/passwd')")
    assert not (tmp_path / "x.csv").exists()


def test_close_is_idempotent(built_db):
    database = Database(built_db)
    database.close()
    database.close()
    with pytest.raises(DatabaseError, match="closed"):
        database.execute("SELECT 1")


def test_missing_database_says_how_to_build_it(tmp_path):
    with pytest.raises(DatabaseError, match="peaceops build"):
        Database(tmp_path / "nothing.duckdb")


def test_write_fn_rolls_back_on_error(tmp_path):
    database = Database(tmp_path / "w.duckdb", read_only=False)
    database.execute_write_fn(lambda c: c.execute("CREATE TABLE t (a INTEGER)"))

    def fail(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        database.execute_write_fn(fail)
    assert database.scalar("SELECT count(*) FROM t") == 0
    database.close()


@pytest.mark.parametrize(
    ("path", "corrupt", "message"),
    [
        ("votes/sc_voting.xlsx", b"garbage", r"sc_voting\.xlsx"),
        ("missions/DPPADPOSS-PKO.csv", b"id;name\n1;x\n", r"DPPADPOSS-PKO\.csv"),
        ("resolutions/all_resolutions_date.dta", b"\x00" * 64, r"all_resolutions_date\.dta"),
        (
            "council/council_membership.csv",
            b"country_org,start_year\nFrance,abc\n",
            r"council_membership\.csv",
        ),
    ],
)
def test_corrupt_source_fails_and_leaves_previous_database_untouched(
    built_db, data_dir, tmp_path, path, corrupt, message
):
    target = tmp_path / "kb.duckdb"
    target.write_bytes(built_db.read_bytes())
    before = _digest(target)
    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=(path,))
    (mirror / path).write_bytes(corrupt)
    with pytest.raises(SourceError, match=message):
        build(mirror, target)
    assert _digest(target) == before
    assert not list(tmp_path.glob(".kb.duckdb.building-*"))
    with Database(target) as database:
        assert database.scalar("SELECT count(*) FROM resolutions") > 2700


def test_missing_source_file_is_named(data_dir, tmp_path):
    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=("votes",))
    (mirror / "votes/unsc_vetoes_1946_sept2022.csv").unlink()
    with pytest.raises(
        SourceError, match=r"unsc_vetoes_1946_sept2022\.csv.*missing.*--allow-missing"
    ):
        build(mirror, tmp_path / "kb.duckdb")
    assert not (tmp_path / "kb.duckdb").exists()


def test_allow_missing_builds_and_lists_the_gap(data_dir, tmp_path):
    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=("votes",))
    (mirror / "votes/unsc_vetoes_1946_sept2022.csv").unlink()
    report = build(mirror, tmp_path / "kb.duckdb", allow_missing=True)
    assert report.missing_sources == ("vetoes",)
    conn = duckdb.connect(str(tmp_path / "kb.duckdb"), read_only=True)
    assert conn.execute("SELECT status FROM sources WHERE name = 'vetoes'").fetchall() == [
        ("missing",)
    ]
    conn.close()


def test_every_source_fits_the_schema(data_dir):
    from tests.conftest import assert_fits_schema

    from peaceops.sources import SOURCES

    for source in SOURCES:
        tables = source.load(data_dir)
        assert set(tables) <= {*source.tables, "data_issues"}, source.name
        assert_fits_schema(tables).close()


@pytest.mark.issue(27)
def test_issue27_is_interrupt_tells_duckdbs_answer_to_ctrl_c_from_other_errors():
    import threading
    import time

    import duckdb

    from peaceops.store.database import is_interrupt

    conn = duckdb.connect()
    threading.Thread(target=lambda: (time.sleep(0.2), conn.interrupt())).start()
    with pytest.raises(duckdb.Error) as caught:
        conn.execute("SELECT count(*) FROM range(100000000000) a, range(10) b").fetchall()
    assert is_interrupt(caught.value)
    assert is_interrupt(RuntimeError("Query interrupted"))
    assert not is_interrupt(RuntimeError("a span does not select its quote"))
    assert not is_interrupt(duckdb.BinderException("Cannot compare VARCHAR and DOUBLE"))
