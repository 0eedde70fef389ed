import json
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from peaceops.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_status_json_has_the_documented_shape(built_db):
    result = run("status", "--db", built_db, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["resolutions"]["total"] >= 2700
    assert document["resolutions"]["with_text"] == 2297
    assert 2690 in document["resolutions"]["without_text"]
    assert set(document["votes"]) == {"member_votes", "drafts"}
    assert document["missions"]["pko"] >= 80 and document["missions"]["spm"] >= 20
    assert document["actors"] > 0 and document["events"] > 0
    assert document["missing_sources"] == []


def test_show_resolution_json(built_db):
    result = run("show", "resolution", "2098", "--db", built_db, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["number"], doc["year"], doc["date"]) == (2098, 2013, "2013-03-28")
    assert doc["text_source"] == "pvs-texts"
    assert "Forces Démocratiques" in doc["text"]
    assert (doc["vote"]["yes"], doc["vote"]["no"], doc["vote"]["abstain"]) == (15, 0, 0)
    assert {"number", "year", "date", "title", "text", "text_source", "vote"} <= set(doc)


def test_show_resolution_without_text_still_has_date_and_vote(built_db):
    doc = json.loads(
        run("show", "resolution", "S/RES/2690 (2023)", "--db", built_db, "--json").stdout
    )
    assert doc["date"] == "2023-06-30"
    assert doc["text"] is None
    assert doc["vote"]["yes"] == 15


def test_show_mission_json(built_db):
    result = run("show", "mission", "minusma", "--db", built_db, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["acronym"] == "MINUSMA"
    assert doc["host_iso3"] == "MLI"
    assert (doc["start"], doc["end"]) == ("2013-04-25", "2023-12-31")
    numbers = {r["number"]: r["role"] for r in doc["resolutions"]}
    assert numbers[2100] == "establish" and numbers[2690] == "terminate"
    assert doc["events"]


def test_active_mission_has_null_end(built_db):
    doc = json.loads(run("show", "mission", "UNMISS", "--db", built_db, "--json").stdout)
    assert doc["end"] is None


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("show", "resolution", "9999"), "Did you mean: 2781"),
        (("show", "mission", "MINUSM"), "Did you mean: MINUSMA"),
        (("show", "resolution", "abc"), "not a resolution number"),
        (("sql", "DELETE FROM resolutions"), "read-only"),
        (("sql", "DROP TABLE votes"), "error"),
        (("export", "resolution", "--format", "csv"), "Did you mean: resolutions"),
        (("export", "resolutions", "--format", "xlsx"), "unknown format"),
    ],
)
def test_bad_input_gives_a_clear_error_and_nonzero_exit(built_db, args, needle):
    result = run(*args, "--db", built_db)
    assert result.exit_code == 1
    assert needle in result.stderr


def test_sql_is_read_only_and_answers_queries(built_db):
    result = run("sql", "SELECT count(*) AS n FROM member_votes", "--db", built_db, "--json")
    assert json.loads(result.stdout) == [{"n": 29929}]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "dta"])
def test_export_round_trips(built_db, tmp_path, fmt):
    out = tmp_path / f"missions.{fmt}"
    result = run("export", "missions", "--format", fmt, "--output", out, "--db", built_db)
    assert result.exit_code == 0, result.output
    frame = {"csv": pd.read_csv, "parquet": pd.read_parquet, "dta": pd.read_stata}[fmt](out)
    assert "MINUSMA" in set(frame["acronym"])
    assert len(frame) >= 100


def test_export_long_texts_to_stata(built_db, tmp_path):
    out = tmp_path / "resolutions.dta"
    assert (
        run("export", "resolutions", "--format", "dta", "-o", out, "--db", built_db).exit_code == 0
    )
    frame = pd.read_stata(out)
    assert frame.loc[frame["number"] == 2098, "text"].iloc[0].startswith("United Nations")


def test_build_fails_cleanly_on_a_missing_data_dir(tmp_path):
    result = run("build", "--data-dir", tmp_path / "nope", "--db", tmp_path / "x.duckdb")
    assert result.exit_code == 1
    assert "data directory not found" in result.stderr


def test_console_script_runs_as_a_module(built_db):
    proc = subprocess.run(
        [sys.executable, "-m", "peaceops", "status", "--db", str(built_db), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["votes"]["member_votes"] == 29929


def test_data_verify_accepts_the_real_data(data_dir):
    result = run("data", "verify", "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    assert "3540 ok" in result.stdout


def test_data_fetch_from_a_mirror_writes_checked_files(data_dir, tmp_path):
    result = run(
        "data", "fetch", "--dest", tmp_path, "--base-url", data_dir.as_uri(), "--only", "council/"
    )
    assert result.exit_code == 0, result.output
    fetched = tmp_path / "council/council_membership.csv"
    assert fetched.read_bytes() == (data_dir / "council/council_membership.csv").read_bytes()


def test_data_fetch_reports_failures_with_nonzero_exit(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "council").mkdir(parents=True)
    (mirror / "council/council_membership.csv").write_text("tampered\n")
    result = run(
        "data", "fetch", "--dest", tmp_path / "dest", "--base-url", mirror.as_uri(),
        "--only", "council/council_membership.csv",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "council/council_membership.csv" in result.stderr
    assert not (tmp_path / "dest/council/council_membership.csv").exists()
