"""The mission report (#14, first slice): one self-contained HTML file that opens offline and
never shows carried-forward or simulated figures as observed."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.errors import NotFound, UsageError
from peaceops.report import mission_report

runner = CliRunner()


@pytest.fixture(scope="module")
def minusma(db) -> str:
    return mission_report(db, "minusma", seeds=6)


def test_the_report_is_self_contained(minusma):
    assert minusma.count("<svg") == 4  # timeline, impartiality, strength, simulation
    assert not re.search(r"""(src|href)=["']https?:""", minusma)  # nothing fetched
    # the one link is an empty inline icon (no request for /favicon.ico)
    assert re.findall(r"<link[^>]*>", minusma) == ['<link rel="icon" href="data:,">']
    assert "<script" not in minusma.lower()
    assert "@import" not in minusma


def _words(html: str) -> str:
    return " ".join(html.split())


def test_carried_forward_years_and_simulations_are_marked(minusma):
    minusma = _words(minusma)
    assert "7 of 11 mission-years rest on codes carried forward" in minusma  # 2023: #28
    assert "2016, 2017, 2018, 2019, 2020, 2021" in minusma
    assert "no text: codes carried forward" in minusma  # the index figure's legend
    assert 'class="carried"' in minusma  # the rows of the numbers behind the figure
    assert "SIMULATED: 6 runs" in minusma and "Simulated, not observed" in minusma
    assert "recorded end 2023-12-31" in minusma


def test_every_resolution_and_citation_is_a_numbered_source(minusma):
    sources = re.findall(r'<li id="src-(\d+)">([^<]*)</li>', minusma)
    assert [int(n) for n, _ in sources] == list(range(1, len(sources) + 1))
    texts = [t for _, t in sources]
    assert any(t.startswith("S/RES/2100 (2013), establish") and "text in the" in t for t in texts)
    assert any(t.startswith("S/RES/2295 (2016)") and "no text" in t for t in texts)
    assert any("S/RES/2690" in t for t in texts)
    cited = {int(n) for n in re.findall(r'<a href="#src-(\d+)">', minusma)}
    assert cited <= {int(n) for n, _ in sources}


def test_personnel_gaps_are_said(minusma):
    assert "The personnel series cover 2013-07 to 2017-03" in _words(minusma)


def test_the_same_inputs_give_the_same_bytes(db, minusma):
    assert mission_report(db, "MINUSMA", seeds=6) == minusma


def test_unknown_mission_is_a_clear_error(db):
    with pytest.raises(NotFound, match="MINUSMAA"):
        mission_report(db, "MINUSMAA", seeds=0)


def test_report_command_writes_and_refuses_to_overwrite(built_db, tmp_path):
    out = tmp_path / "unama.html"
    args = ["report", "mission", "UNAMA", "-o", str(out), "--seeds", "3", "--db", str(built_db)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


def test_resolution_report_highlights_every_span_keyed_to_its_evidence(db):
    from peaceops.report import resolution_report
    from peaceops.store.queries import resolution_codes

    html = resolution_report(db, "S/RES/2098 (2013)")
    document = resolution_codes(db, 2098)
    evidence = re.findall(r'<tr id="ev-(\d+)">', html)
    expected = len(document["codes"]) + len(document["targets"]) + 1  # + Chapter VII
    assert len(evidence) == expected
    keyed = {int(k) for keys in re.findall(r'data-keys="([\d ]+)"', html) for k in keys.split()}
    assert keyed == set(range(1, expected + 1))  # every span highlighted somewhere
    assert '<mark class="chapter7"' in html
    assert "NeutralizeGroups / Security (MONUSCO)" in html  # the mission it is given to
    assert not re.search(r"""(src|href)=["']https?:""", html)


def test_resolution_report_of_a_resolution_without_text_says_so(db):
    from peaceops.report import resolution_report

    html = resolution_report(db, 2690)
    assert "not in the data directory: nothing could be coded" in " ".join(html.split())


def test_comparison_report_marks_carried_years_and_counts_consent_events(db):
    from peaceops.report import comparison_report
    from peaceops.store.queries import compare_missions

    html = comparison_report(db, ["MINUSMA", "unama"])
    words = _words(html)
    assert "MINUSMA: 7 of 11 years rest on carried-forward codes" in words  # 2023: #28
    assert html.count("<svg") == 1 and 'class="carried"' in html
    document = compare_missions(db, ["MINUSMA"])
    counts = document["missions"][0]["consent_counts"]
    assert counts["withdrawal_request"] == 1
    assert f"<td>MINUSMA</td><td>{counts['access_denial']}</td>" in html
    with pytest.raises(UsageError):
        compare_missions(db, [])
