"""`peaceops add` (#17): a new text is stored, coded and measured, atomically; rebuilds keep it."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peaceops.errors import SourceError, UsageError
from peaceops.measures import compute_measures
from peaceops.pipeline.add import add_text
from peaceops.sources.added import identify, load_added_texts
from peaceops.store import Database
from peaceops.store.derive import derive_resolutions
from unpdf import resolution_pdf

pytestmark = pytest.mark.issue(17)
NUMBER = 2227  # MINUSMA's renewal of 2015: its text is in the data


def _without_text(built_db: Path, target: Path, number: int) -> Path:
    """A copy of the knowledge base in which ``number`` has no text (as if it were missing)."""
    shutil.copy(built_db, target)
    with Database(target, read_only=False) as db:
        db.execute_write("DELETE FROM resolution_texts WHERE number = ?", [number])
        db.execute_write("DELETE FROM resolutions")
        derive_resolutions(db)
        for table in ("codes", "chapter_vii", "targets", "paragraphs"):
            db.execute_write(f"DELETE FROM {table} WHERE resolution = ?", [number])
        compute_measures(db)
    return target


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def text_file(db, tmp_path) -> Path:
    path = tmp_path / "minusma-2015.txt"
    path.write_text(db.scalar("SELECT text FROM resolutions WHERE number = ?", [NUMBER]))
    return path


def test_identify_reads_the_heading(db):
    number, year, adopted = identify(db.scalar("SELECT text FROM resolutions WHERE number = 2098"))
    assert (number, year, str(adopted)) == (2098, 2013, "2013-03-28")
    assert identify("no heading at all") == (None, None, None)


def test_adding_a_missing_text_codes_it_and_changes_the_missions_years(db, built_db, tmp_path,
                                                                     text_file):  # fmt: skip
    store = _without_text(built_db, tmp_path / "kb.duckdb", NUMBER)
    with Database(store) as copy:
        carried = copy.rows(
            "SELECT year, basis FROM impartiality_mission_year WHERE mission = 'MINUSMA' "
            "AND year = 2015"
        )
    assert carried[0]["basis"] != "coded"
    folder = tmp_path / "texts"
    result = add_text(store, text_file, folder=folder)
    assert (result.number, result.year, result.status) == (NUMBER, 2015, "added")
    original = db.rows(
        "SELECT paragraph, task, modality FROM codes WHERE resolution = ? ORDER BY start, task",
        [NUMBER],
    )
    assert [(c["paragraph"], c["task"], c["modality"]) for c in result.codes] == [
        (c["paragraph"], c["task"], c["modality"]) for c in original
    ]
    assert result.codes_before == 0 and result.codes_after == len(original)
    change = result.missions["MINUSMA"]["index_years_changed"]
    assert change[2015]["after"]["basis"] == "coded"
    with Database(store) as copy:
        assert (
            copy.scalar("SELECT text_source FROM resolutions WHERE number = ?", [NUMBER])
            == "user-added"
        )
    assert (folder / f"S-RES-{NUMBER}(2015).txt").read_text() == text_file.read_text()
    # the same file again changes nothing
    before = _sha(store)
    assert add_text(store, text_file, folder=folder).status == "unchanged"
    assert _sha(store) == before


def test_another_text_for_a_stored_resolution_needs_replace(built_db, tmp_path, text_file):
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    changed = tmp_path / "changed.txt"
    changed.write_text(text_file.read_text() + "\n30. Decides to remain seized of the matter.\n")
    before = _sha(store)
    with pytest.raises(UsageError, match="--replace"):
        add_text(store, changed, folder=tmp_path / "texts")
    assert _sha(store) == before
    assert add_text(store, changed, replace=True, folder=tmp_path / "texts").status == "replaced"


def test_contradictions_and_bad_files_are_refused(built_db, tmp_path, text_file):
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    before = _sha(store)
    with pytest.raises(UsageError, match="not of S/RES/2100"):
        add_text(store, text_file, resolution=2100, folder=tmp_path / "t")
    headless = tmp_path / "headless.txt"
    headless.write_text("1. Decides to extend the mandate of the mission.\n")
    with pytest.raises(UsageError, match="--resolution"):
        add_text(store, headless, folder=tmp_path / "t")
    wrong_year = tmp_path / "wrong.txt"
    wrong_year.write_text(text_file.read_text().replace("(2015)", "(2014)"))
    with pytest.raises(UsageError, match="2015"):
        add_text(store, wrong_year, folder=tmp_path / "t")
    for name, content in (("empty.txt", b"  \n"), ("binary.txt", b"\x00\x01\x02"),
                          ("scan.pdf", b"%PDF-1.4")):  # fmt: skip
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(SourceError):
            add_text(store, path, folder=tmp_path / "t")
    with pytest.raises(SourceError):
        add_text(store, tmp_path / "nowhere.txt", folder=tmp_path / "t")
    assert _sha(store) == before
    assert not (tmp_path / "t").exists()


@pytest.mark.slow
def test_a_killed_add_leaves_the_store_as_it_was(built_db, tmp_path, text_file):
    store = _without_text(built_db, tmp_path / "kb.duckdb", NUMBER)
    before = _sha(store)
    # its own texts folder: an add killed after it kept the text must not leave it in the
    # session's folder, which every later build of the suite reads
    env = {**os.environ, "PEACEOPS_TEXTS": str(tmp_path / "texts")}
    for delay in (0.3, 0.8, 1.3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "peaceops", "add", str(text_file), "--db", str(store)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if _sha(store) != before:  # the kill came after the swap: the add finished
            with Database(store) as db:
                assert db.scalar("SELECT has_text FROM resolutions WHERE number = ?", [NUMBER])
            return
        with Database(store) as db:  # as it was, and readable
            assert not db.scalar("SELECT has_text FROM resolutions WHERE number = ?", [NUMBER])


def test_added_texts_survive_a_rebuild(data_dir, tmp_path, text_file, monkeypatch):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "S-RES-2295(2016).txt").write_text(
        "United Nations\nS/RES/2295 (2016)\nSecurity Council\n\nResolution 2295 (2016)\n"
        "Adopted by the Security Council at its 7727th meeting, on 29 June 2016\n\n"
        "The Security Council,\n\n1. Decides to extend the mandate of MINUSMA until "
        "30 June 2017;\n"
    )
    monkeypatch.setenv("PEACEOPS_TEXTS", str(folder))
    rows = load_added_texts()
    assert [(r["number"], r["year"], r["text_source"]) for r in rows] == [
        (2295, 2016, "user-added")
    ]
    from peaceops.pipeline import build

    store = tmp_path / "kb.duckdb"
    build(data_dir, store, code=False)
    with Database(store) as db:
        row = db.rows("SELECT has_text, text_source FROM resolutions WHERE number = 2295")[0]
    assert row == {"has_text": True, "text_source": "user-added"}


PDF_NUMBER = 2640  # MINUSMA's renewal of 2022: an adopted draft's text is in the data
_ASCII = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def _paragraph_lines(db, number: int) -> list[str]:
    text = db.scalar("SELECT text FROM resolutions WHERE number = ?", [number])
    body = text.split("The Security Council,", 1)[1]
    return [line.strip().translate(_ASCII) for line in body.split("\n") if line.strip()]


def test_a_pdf_in_the_uns_layout_is_coded_like_its_text(db, built_db, tmp_path):
    """The official layout (heading, running heads, job numbers, wrapped lines, headings,
    paragraphs broken across pages) read back from a PDF gives the codes of the same words as a
    plain text, and those of the adopted draft in the data."""
    lines = _paragraph_lines(db, PDF_NUMBER)
    first_operative = next(i for i, line in enumerate(lines) if line.startswith("1. "))
    pdf = resolution_pdf(
        tmp_path / "S_RES_2640(2022)-EN.pdf",
        number=PDF_NUMBER, year=2022, adopted="29 June 2022", meeting="9087th",
        preamble=lines[:first_operative], operative=lines[first_operative:], job="22-09852",
    )  # fmt: skip
    plain = tmp_path / "2640.txt"
    plain.write_text(
        "S/RES/2640 (2022)\nAdopted by the Security Council at its 9087th meeting, on 29 June "
        "2022\nThe Security Council,\n" + "\n".join(lines) + "\n"
    )
    from_text = add_text(
        _without_text(built_db, tmp_path / "a.duckdb", PDF_NUMBER), plain, folder=tmp_path / "a"
    )
    store = _without_text(built_db, tmp_path / "kb.duckdb", PDF_NUMBER)
    result = add_text(store, pdf, folder=tmp_path / "texts")
    assert (result.number, result.year, result.status) == (PDF_NUMBER, 2022, "added")
    codes = [(c["paragraph"], c["task"], c["modality"]) for c in result.codes]
    assert len(codes) > 50
    assert codes == [(c["paragraph"], c["task"], c["modality"]) for c in from_text.codes]
    # the draft in the data is hard-wrapped in places; the tasks found are nearly the same
    original = set(db.tuples("SELECT task, modality FROM codes WHERE resolution = ?", [2640]))
    found = {(task, modality) for _, task, modality in codes}
    assert len(found & original) / len(found | original) > 0.9
    with Database(store) as copy:
        reading = copy.scalar("SELECT text FROM resolutions WHERE number = ?", [PDF_NUMBER])
        pages = copy.scalar(
            "SELECT text FROM resolution_texts WHERE number = ? AND preferred", [PDF_NUMBER]
        )
        for s, e, quote in copy.tuples(
            'SELECT start, "end", quote FROM codes WHERE resolution = ?', [PDF_NUMBER]
        ):
            assert reading[s:e] == quote
    assert "22-09852 (E)" in pages and "22-09852" not in reading  # kept as found, read without
    assert (tmp_path / "texts" / "S-RES-2640(2022).txt").read_text() == pages
    # the same PDF again is a no-op
    assert add_text(store, pdf, folder=tmp_path / "texts").status == "unchanged"


def test_pdfs_that_cannot_be_read_are_refused_with_what_to_do(built_db, tmp_path):
    from fpdf import FPDF

    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    before = _sha(store)
    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 150, style="F")  # a page without text, like a scan
    scan.output(str(tmp_path / "scan.pdf"))
    locked = FPDF()
    locked.set_encryption(owner_password="owner", user_password="secret")  # noqa: S106
    locked.add_page()
    locked.set_font("Helvetica", size=11)
    locked.cell(0, 10, "S/RES/2295 (2016)")
    locked.output(str(tmp_path / "locked.pdf"))
    (tmp_path / "cut.pdf").write_bytes((tmp_path / "scan.pdf").read_bytes()[:300])
    for name, message in (("scan.pdf", "no text layer"), ("locked.pdf", "encrypted"),
                          ("cut.pdf", "not a readable PDF|no text layer")):  # fmt: skip
        with pytest.raises(SourceError, match=message):
            add_text(store, tmp_path / name, folder=tmp_path / "t")
    assert _sha(store) == before
    assert not (tmp_path / "t").exists()


def test_an_add_writes_what_a_full_recomputation_writes(built_db, tmp_path, text_file):
    """`add` derives one resolution and recomputes only the missions it mandates; the rows are
    those of deriving and computing everything again."""
    store = _without_text(built_db, tmp_path / "kb.duckdb", NUMBER)
    add_text(store, text_file, folder=tmp_path / "texts")
    tables = ("resolutions", "impartiality_terms", "impartiality_resolution",
              "mandate_inheritance", "impartiality_mission_year")  # fmt: skip
    with Database(store) as db:
        partial = {table: db.content_hash(table) for table in tables}
        changed = db.scalar(
            "SELECT count(*) FROM impartiality_mission_year WHERE mission = 'MINUSMA' "
            "AND basis = 'coded' AND year = 2015"
        )
    assert changed == 1
    with Database(store, read_only=False) as db:
        db.execute_write("DELETE FROM resolutions")
        derive_resolutions(db)
        compute_measures(db)
        assert {table: db.content_hash(table) for table in tables} == partial
