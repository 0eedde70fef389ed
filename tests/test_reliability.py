"""Reliability and security (#13): bounded work, safe files, atomic writes, determinism.

Every test here names the hole it closes; docs/reliability.md lists the guarantees and the
limits a user can change.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from tests.conftest import mirror_data_dir
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.errors import DatabaseError, SensitivityError, SweepError
from peaceops.pipeline import recode
from peaceops.settings import SETTINGS
from peaceops.sim.sensitivity import parse_sensitivity
from peaceops.sim.sweep import parse_sweep
from peaceops.store import Database, new_database
from peaceops.store.files import temp_path
from test_regression import CODES

runner = CliRunner()
PEACEOPS = Path(sys.executable).with_name("peaceops")
DOCS = Path(__file__).resolve().parents[1] / "docs"


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def _copy_db(built_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "kb.duckdb"
    shutil.copyfile(built_db, copy)
    return copy


def _kill_and_check_no_survivor(proc: subprocess.Popen) -> None:
    """SIGKILL ``proc`` (no clean-up of its own) and check that none of its children outlive it."""
    children = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    _, alive = psutil.wait_procs(children, timeout=15)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], "workers survived"


# -- bounded work -------------------------------------------------------------------------------


def _sweep(**head) -> dict:
    return {"sweep": {"mission": "MINUSMA", **head}, "parameters": {}}


@pytest.mark.issue(13)
@pytest.mark.parametrize(
    ("document", "needle"),
    [
        (_sweep(replicates=10**9), "replicates must be at most 1,000,000"),
        (_sweep(base_seed=2**63 - 2, replicates=5), "above the largest seed"),
        (_sweep(months=10**9), "months must be at most 1,200"),
        (
            {
                "sweep": {"mission": "MINUSMA"},
                "parameters": {
                    "legitimacy_rate": {"low": 0.01, "high": 0.4, "steps": 1000},
                    "partner_uptake": {"low": 0.0, "high": 1.0, "steps": 1000},
                    "violence_rate": {"low": 0.01, "high": 0.5, "steps": 1000},
                },
            },
            "1,000,000,000 runs is more than the 1,000,000 allowed",
        ),
        (
            {
                "sweep": {"mission": "MINUSMA"},
                "parameters": {"partner_uptake": {"low": 0.0, "high": 1.0, "steps": 10**9}},
            },
            "more than the 1,000,000 allowed",
        ),
    ],
)
def test_issue13_sweep_sizes_are_bounded_before_anything_is_built(document, needle):
    started = time.monotonic()
    with pytest.raises(SweepError, match=needle):
        parse_sweep(document)
    assert time.monotonic() - started < 5  # refused at once, not after building 10^9 runs


@pytest.mark.issue(13)
def test_issue13_a_bound_can_be_raised_by_its_setting(monkeypatch):
    document = _sweep(replicates=2_000_000)
    with pytest.raises(SweepError, match=r"\$PEACEOPS_MAX_RUNS"):
        parse_sweep(document)
    monkeypatch.setenv("PEACEOPS_MAX_RUNS", "3000000")
    assert parse_sweep(document).count() == 2_000_000


@pytest.mark.issue(13)
def test_issue13_sensitivity_sizes_and_seeds_are_bounded():
    document = {
        "sensitivity": {"mission": "MINUSMA", "samples": 2**24, "replicates": 100},
        "parameters": {"partner_uptake": "bounds"},
    }
    with pytest.raises(SensitivityError, match="more than the 1,000,000 allowed"):
        parse_sensitivity(document)
    document["sensitivity"].update(samples=4, replicates=2, seed=2**40)
    with pytest.raises(SensitivityError, match="above the largest seed"):
        parse_sensitivity(document)


@pytest.mark.issue(13)
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--seeds", "1000000000"], "seeds must be at most 100,000"),
        (["--seed", str(2**62)], "choose a smaller seed"),
    ],
)
def test_issue13_simulate_seeds_are_bounded(built_db, args, needle):
    result = run("simulate", "MINUSMA", *args, "--db", built_db)
    assert result.exit_code == 1
    assert needle in result.stderr


@pytest.mark.issue(13)
def test_issue13_sweep_runs_are_listed_lazily():
    spec = parse_sweep(_sweep(replicates=1_000_000))
    runs = spec.iter_runs(skip=lambda i: i < 999_998)
    assert [r["run_id"] for r in runs] == [999_998, 999_999]
    assert spec.count() == 1_000_000


@pytest.mark.issue(13)
def test_issue13_sql_has_a_time_limit(built_db):
    started = time.monotonic()
    result = run(
        "sql",
        "SELECT count(*) FROM range(100000000) a, range(100000) b",
        "--db",
        built_db,
        env={"PEACEOPS_SQL_TIMEOUT_SECONDS": "1"},
    )
    assert result.exit_code == 1
    assert "longer than 1 s and was stopped" in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.issue(13)
def test_issue13_sql_stops_on_ctrl_c(built_db):
    proc = subprocess.Popen(
        [
            PEACEOPS,
            "sql",
            "SELECT count(*) FROM range(100000000) a, range(100000) b",
            "--db",
            str(built_db),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(3)  # the query is running
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err


@pytest.mark.issue(13)
def test_issue13_sql_memory_limit_is_set_and_checked(built_db):
    result = run(
        "sql",
        "SELECT current_setting('memory_limit') AS m",
        "--db",
        built_db,
        "--json",
        env={"PEACEOPS_SQL_MEMORY_LIMIT": "512MB"},
    )
    assert result.exit_code == 0, result.output
    assert "488.2 MiB" in result.stdout or "512" in result.stdout
    bad = run("sql", "SELECT 1", "--db", built_db, env={"PEACEOPS_SQL_MEMORY_LIMIT": "lots"})
    assert bad.exit_code == 1 and "no DuckDB size" in bad.stderr


def test_every_setting_is_documented():
    text = (DOCS / "reliability.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env}`" in text, setting.name


# -- export ---------------------------------------------------------------------------------------


@pytest.mark.issue(13)
def test_issue13_export_paths_are_never_sql(built_db, tmp_path):
    db = _copy_db(built_db, tmp_path)
    before = db.read_bytes()
    tricky = tmp_path / "it's (a) [test]; DROP TABLE x.csv"
    result = run("export", "missions", "-o", tricky, "--db", db)
    assert result.exit_code == 0, result.output
    assert tricky.read_text(encoding="utf-8").startswith('"acronym"')
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["kb.duckdb", tricky.name])


@pytest.mark.issue(13)
def test_issue13_export_never_replaces_the_knowledge_base(built_db, tmp_path):
    db = _copy_db(built_db, tmp_path)
    before = db.read_bytes()
    for args in (["-o", db], ["-o", db, "--force"], ["--format", "csv", "-o", db]):
        result = run("export", "missions", *args, "--db", db)
        assert result.exit_code == 1
        assert "is the knowledge base" in result.stderr
    assert db.read_bytes() == before


@pytest.mark.issue(13)
def test_issue13_export_refuses_to_overwrite_and_cleans_up(built_db, tmp_path):
    out = tmp_path / "m.csv"
    out.write_text("keep me", encoding="utf-8")
    refused = run("export", "missions", "-o", out, "--db", built_db)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert run("export", "missions", "-o", out, "--force", "--db", built_db).exit_code == 0
    assert out.read_text(encoding="utf-8") != "keep me"
    folder = run("export", "missions", "-o", tmp_path, "--db", built_db)
    assert folder.exit_code == 1 and "is a folder" in folder.stderr
    nested = tmp_path / "new" / "deeper" / "m.parquet"
    assert run("export", "missions", "-o", nested, "--db", built_db).exit_code == 0
    assert not list(tmp_path.rglob("*.part"))


# -- malformed texts ----------------------------------------------------------------------------


@pytest.mark.issue(13)
def test_issue13_a_text_with_nul_bytes_is_repaired_and_recorded(data_dir, tmp_path):
    from peaceops.sources.resolutions import load_resolution_texts

    mirror = mirror_data_dir(data_dir, tmp_path / "data", copy=("resolutions/texts",))
    target = mirror / "resolutions/texts/S-RES-1000(1995).txt"
    raw = target.read_bytes()
    target.write_bytes(raw[:200] + b"\x00\x00\x07" + raw[200:] + b"\x81")
    loaded = load_resolution_texts(mirror)
    text = (
        loaded["resolution_texts"]
        .set_index(["number", "text_source"])
        .loc[(1000, "pvs-texts"), "text"]
    )
    assert "\x00" not in text and "\x07" not in text
    issues = loaded["data_issues"]
    mine = issues[issues["item"] == "S-RES-1000(1995).txt"]
    assert set(mine["action"]) == {
        "removed",
        "kept as U+FFFD; check the file against the UN's text",
    }
    assert mine["issue"].str.contains("U+0000", regex=False).any()


# -- writers: atomic, exclusive, no leftovers, readers never locked out --------------------------


@pytest.mark.issue(13)
def test_issue13_a_second_writer_gets_a_clear_message(built_db, tmp_path):
    db = _copy_db(built_db, tmp_path)
    before = db.read_bytes()
    with new_database(db), pytest.raises(DatabaseError, match="another peaceops process"):
        recode(db, ["2098"], workers=1)
    assert db.read_bytes() != before  # the first writer (an empty new database) won
    with Database(db) as database:
        assert database.tables()  # one valid store


@pytest.mark.issue(13)
def test_issue13_stale_temporary_files_are_removed(built_db, tmp_path):
    db = _copy_db(built_db, tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f".kb.duckdb.building-{dead}"
    stale.write_bytes(b"half a database")
    recode(db, ["2098"], workers=1)
    assert not stale.exists()
    assert not temp_path(db).exists()


@pytest.mark.issue(13)
def test_issue13_readers_keep_reading_while_code_runs(built_db, tmp_path):
    db = _copy_db(built_db, tmp_path)
    proc = subprocess.Popen(
        [PEACEOPS, "code", "--db", str(db), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    reads = 0
    try:
        while proc.poll() is None:
            with Database(db) as database:  # never "Could not set lock"
                assert database.scalar("SELECT count(*) FROM codes") == CODES
            reads += 1
    finally:
        proc.wait(timeout=300)
    assert proc.returncode == 0
    assert reads > 3


@pytest.mark.issue(13)
@pytest.mark.slow
def test_issue13_a_killed_code_leaves_the_store_and_no_process(built_db, tmp_path):
    db = _copy_db(built_db, tmp_path)
    before = db.read_bytes()
    proc = subprocess.Popen(
        [PEACEOPS, "code", "--db", str(db), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(parent.children(recursive=True)) < 2:
        time.sleep(0.2)
    time.sleep(2)  # coding in the workers
    _kill_and_check_no_survivor(proc)
    assert db.read_bytes() == before
    recode(db, ["2098"], workers=1)  # the next writer clears the dead one's temporary file
    assert [p.name for p in tmp_path.iterdir() if "building" in p.name] == []


# -- determinism --------------------------------------------------------------------------------

TIMESTAMPS = {"built_at", "run_at", "seconds", "applied_at"}


def _hashes(path: Path) -> dict[str, str]:
    with Database(path) as database:
        return {
            table: database.content_hash(table, exclude=TIMESTAMPS) for table in database.tables()
        }


@pytest.mark.issue(13)
@pytest.mark.slow
def test_issue13_builds_are_identical_whatever_the_hash_seed_and_workers(
    data_dir, built_db, tmp_path
):
    other = tmp_path / "other.duckdb"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    script = (
        "import sys; from pathlib import Path; from peaceops.pipeline import build; "
        "from peaceops.report.views import draw_views; "
        "build(Path(sys.argv[1]), Path(sys.argv[2]), workers=1, "
        "finish=lambda db: draw_views(db, workers=1))"
    )
    subprocess.run([sys.executable, "-c", script, str(data_dir), str(other)], env=env, check=True)
    assert _hashes(other) == _hashes(built_db)  # the session's build: another seed, 2 workers


# -- sweeps: concurrent, killed and resumed --------------------------------------------------

SWEEP_FILE = """
[sweep]
mission = "MINUSMA"
replicates = 6
base_seed = 3
months = 60

[parameters]
partner_uptake = [0.1, 0.4]
"""


def _sweep_files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.issue(13)
def test_issue13_two_sweeps_into_one_folder_do_not_collide(built_db, tmp_path):
    spec = tmp_path / "sweep.toml"
    spec.write_text(SWEEP_FILE, encoding="utf-8")
    shared, alone = tmp_path / "shared", tmp_path / "alone"
    command = [PEACEOPS, "sweep", str(spec), "--db", str(built_db), "--out"]
    procs = [
        subprocess.Popen([*command, str(shared)], stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    subprocess.run([*command, str(alone)], check=True, capture_output=True)
    assert _sweep_files(shared) == _sweep_files(alone)


@pytest.mark.issue(13)
@pytest.mark.slow
def test_issue13_a_killed_sweep_leaves_no_worker_and_resumes_to_the_same_bytes(built_db, tmp_path):
    spec = tmp_path / "sweep.toml"
    # 80 runs: the kill must land while runs are still missing, even on a busy machine (with
    # 12 runs, a loaded CI machine once finished them all before the kill)
    spec.write_text(
        SWEEP_FILE.replace("months = 60", "months = 140").replace(
            "replicates = 6", "replicates = 40"
        ),
        encoding="utf-8",
    )
    killed, alone = tmp_path / "killed", tmp_path / "alone"
    command = [PEACEOPS, "sweep", str(spec), "--db", str(built_db), "--out"]
    proc = subprocess.Popen([*command, str(killed), "--workers", "2"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(killed.glob("run_id=*/part-0.parquet")):
        time.sleep(0.1)
    _kill_and_check_no_survivor(proc)
    written = len(list(killed.glob("run_id=*/part-0.parquet")))
    assert 0 < written < 80
    time.sleep(1)  # a worker that outlived its parent would still be writing
    assert len(list(killed.glob("run_id=*/part-0.parquet"))) == written
    subprocess.run([*command, str(killed)], check=True, capture_output=True)
    subprocess.run([*command, str(alone)], check=True, capture_output=True)
    finished = {
        k: v for k, v in _sweep_files(killed).items() if not k.split("/")[-1].startswith(".")
    }
    assert finished == _sweep_files(alone)


# -- builds: killed, and read while they run --------------------------------------------------


@pytest.mark.issue(13)
@pytest.mark.slow
@pytest.mark.parametrize("stage", ["loading", "coding"])
def test_issue13_a_killed_build_leaves_the_store_and_no_process(
    data_dir, built_db, tmp_path, stage
):
    db = _copy_db(built_db, tmp_path)
    before = db.read_bytes()
    proc = subprocess.Popen(
        [PEACEOPS, "build", "--data-dir", str(data_dir), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    if stage == "loading":
        while time.monotonic() < deadline and not temp_path_of(db, proc.pid).exists():
            time.sleep(0.05)
        time.sleep(1)
    else:  # the coder's workers are running
        while time.monotonic() < deadline and len(parent.children(recursive=True)) < 2:
            time.sleep(0.1)
        time.sleep(1)
    _kill_and_check_no_survivor(proc)
    assert db.read_bytes() == before
    with Database(db) as database:
        assert database.scalar("SELECT count(*) FROM codes") == CODES


def temp_path_of(target: Path, pid: int) -> Path:
    return target.parent / f".{target.name}.building-{pid}"


@pytest.mark.issue(13)
@pytest.mark.slow
def test_issue13_readers_never_fail_nor_see_a_partial_store_during_a_build(
    data_dir, built_db, tmp_path
):
    db = _copy_db(built_db, tmp_path)
    proc = subprocess.Popen(
        [PEACEOPS, "build", "--data-dir", str(data_dir), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    reads = 0
    try:
        while proc.poll() is None:
            with Database(db) as database:
                counts = database.table_counts()
            assert counts["codes"] == CODES and counts["resolutions"] > 2700, counts
            reads += 1
    finally:
        proc.wait(timeout=300)
    assert proc.returncode == 0
    assert reads > 5
