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


# -- #27: reliability round 2 -----------------------------------------------------------------

NO_MISSION = 1325  # women, peace and security (2000): mandates no mission


@pytest.mark.issue(27)
def test_issue27_a_resolution_that_mandates_no_mission_is_added_and_coded(db, built_db, tmp_path):
    store = _without_text(built_db, tmp_path / "kb.duckdb", NO_MISSION)
    path = tmp_path / "1325.txt"
    path.write_text(db.scalar("SELECT text FROM resolutions WHERE number = ?", [NO_MISSION]))
    assert db.scalar("SELECT count(*) FROM mission_resolutions WHERE number = ?", [NO_MISSION]) == 0
    added = add_text(store, path, folder=tmp_path / "texts")
    assert added.status == "added" and added.missions == {}
    with Database(store) as after:
        assert after.scalar("SELECT has_text FROM resolutions WHERE number = ?", [NO_MISSION])
        paragraphs = after.scalar(
            "SELECT count(*) FROM paragraphs WHERE resolution = ?", [NO_MISSION]
        )
        # as many paragraphs as the full build segments from the same text
        assert paragraphs == db.scalar(
            "SELECT count(*) FROM paragraphs WHERE resolution = ?", [NO_MISSION]
        )
        assert paragraphs > 10
        assert after.scalar(
            "SELECT count(*) FROM impartiality_resolution WHERE resolution = ?", [NO_MISSION]
        ) == db.scalar(
            "SELECT count(*) FROM impartiality_resolution WHERE resolution = ?", [NO_MISSION]
        )


@pytest.mark.issue(27)
def test_issue27_two_adds_never_lose_a_text(built_db, tmp_path, text_file, monkeypatch):
    """A (another process) adds while B is between its check and its swap: no text is lost.

    Either A is told another process is writing (B holds the lock from its check to its swap)
    and B's text is stored, or A's text is stored and B is told to pass --replace; never A
    reported as added and then silently replaced by B.
    """
    import peaceops.pipeline.add as add_module

    store = _without_text(built_db, tmp_path / "kb.duckdb", NUMBER)
    mine = tmp_path / "other.txt"
    mine.write_text(text_file.read_text() + "\n30. Decides to remain seized of the matter.\n")
    real = add_module.changed_database
    other: list[subprocess.CompletedProcess] = []

    def another_add_meanwhile(path, **kwargs):
        env = {**os.environ, "PEACEOPS_TEXTS": str(tmp_path / "texts")}
        other.append(subprocess.run(
            [sys.executable, "-m", "peaceops", "add", str(text_file), "--db", str(store)],
            env=env, capture_output=True, text=True, timeout=120,
        ))  # fmt: skip
        return real(path, **kwargs)

    monkeypatch.setattr(add_module, "changed_database", another_add_meanwhile)
    try:
        add_module.add_text(store, mine, folder=tmp_path / "texts")
        refused = False
    except UsageError as exc:
        assert "--replace" in str(exc)
        refused = True
    with Database(store) as after:
        stored = after.scalar(
            "SELECT text FROM resolution_texts WHERE number = ? AND preferred", [NUMBER]
        )
    (a,) = other
    if a.returncode == 0:  # A's add went through: B must not have replaced it
        assert refused and stored == text_file.read_text()
    else:
        assert "another peaceops process is writing" in a.stderr
        assert not refused and stored == mine.read_text()
    assert (tmp_path / "texts" / f"S-RES-{NUMBER}(2015).txt").read_text() == stored


@pytest.mark.issue(27)
def test_issue27_a_texts_folder_that_cannot_be_written_leaves_the_store(
    built_db, tmp_path, text_file
):
    store = _without_text(built_db, tmp_path / "kb.duckdb", NUMBER)
    before = _sha(store)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the texts folder should be")
    with pytest.raises(OSError):
        add_text(store, text_file, folder=blocked)
    assert _sha(store) == before
    with Database(store) as after:
        assert not after.scalar("SELECT has_text FROM resolutions WHERE number = ?", [NUMBER])


@pytest.mark.issue(27)
def test_issue27_a_failed_swap_puts_the_texts_folder_back(
    built_db, tmp_path, text_file, monkeypatch
):
    import peaceops.store.files as files

    store = _without_text(built_db, tmp_path / "kb.duckdb", NUMBER)
    folder = tmp_path / "texts"
    folder.mkdir()
    kept = folder / f"S-RES-{NUMBER}(2015).txt"
    real = os.replace

    def disk_full_at_the_swap(src, dst):  # the store's rename fails, as on a full disk
        if Path(dst) == store:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", disk_full_at_the_swap)
    before = _sha(store)
    with pytest.raises(OSError, match="No space"):
        add_text(store, text_file, folder=folder)
    assert _sha(store) == before
    assert not kept.exists()  # the text written before the swap was taken back
    # and a text that was there before is put back as it was
    kept.write_text("an earlier text\n")
    with pytest.raises(OSError, match="No space"):
        add_text(store, text_file, folder=folder)
    assert kept.read_text() == "an earlier text\n"


def _headed(number: int, year: int, body: str = "") -> str:
    return (
        f"United Nations\nS/RES/{number} ({year})\nSecurity Council\n\n"
        f"Resolution {number} ({year})\n"
        f"Adopted by the Security Council at its 9999th meeting, on 1 June {year}\n\n"
        "The Security Council,\n\nRecalling its resolution 2098 (2013),\n\n"
        f"1. Decides to remain seized of the matter.\n{body}"
    )


@pytest.mark.issue(27)
@pytest.mark.parametrize(
    ("number", "year", "needle"),
    [
        (2790, 9999, "impossible"),  # after today
        (2790, 1900, "impossible"),  # before the Council
        (2790, 2010, "around it"),  # before its neighbours' years in the record
        (2300, 2017, "has it in 2016"),  # the record's year for a known number
    ],
)
def test_issue27_a_year_must_be_the_councils(built_db, tmp_path, number, year, needle):
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    before = _sha(store)
    path = tmp_path / "text.txt"
    path.write_text(_headed(number, year))
    with pytest.raises(UsageError, match=needle):
        add_text(store, path, folder=tmp_path / "texts")
    assert _sha(store) == before
    assert not (tmp_path / "texts").exists()


@pytest.mark.issue(27)
def test_issue27_the_councils_year_is_accepted(built_db, tmp_path):
    """The check flips: the same text with the record's year is added."""
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    path = tmp_path / "text.txt"
    path.write_text(_headed(2790, 2025))
    assert add_text(store, path, folder=tmp_path / "texts").status == "added"


@pytest.mark.issue(27)
def test_issue27_a_build_skips_an_added_text_with_an_impossible_year(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "S-RES-2790(9999).txt").write_text(_headed(2790, 9999))
    (folder / "S-RES-2791(2025).txt").write_text(_headed(2791, 2025))
    (folder / "S-RES-2792(2025).txt").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (folder / "S-RES-2793(2025).txt").write_text(_headed(2795, 2025))  # heading != name
    (folder / "S-RES-2794(2025).txt").write_text("x" * 2_100_000)  # over the text limit
    issues: list[dict] = []
    rows = load_added_texts(folder, issues)
    assert [r["number"] for r in rows] == [2791]
    assert sorted(i["item"] for i in issues) == [
        "S-RES-2790(9999).txt",
        "S-RES-2792(2025).txt",
        "S-RES-2793(2025).txt",
        "S-RES-2794(2025).txt",
    ]
    assert all(i["action"].startswith("skipped") for i in issues)


@pytest.mark.issue(27)
def test_issue27_only_the_heading_names_the_document(db):
    text = db.scalar("SELECT text FROM resolutions WHERE number = 2098")
    body = text[text.index("The Security Council,") :]
    # a text without its own symbol: the preamble's "Recalling its resolution 2086 (2013)"
    # (and any other resolution it cites) is not its name
    assert identify(body)[:2] == (None, None)
    assert identify("Resolution 2098 (2013)\n\n" + body)[:2] == (2098, 2013)


@pytest.mark.issue(27)
def test_issue27_a_text_without_its_symbol_needs_resolution(built_db, tmp_path, db):
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    text = db.scalar("SELECT text FROM resolutions WHERE number = 2098")
    path = tmp_path / "no-symbol.txt"
    path.write_text("Adopted on 28 March 2013\n" + text[text.index("The Security Council,") :])
    with pytest.raises(UsageError, match="--resolution"):
        add_text(store, path, folder=tmp_path / "texts")


@pytest.mark.issue(27)
def test_issue27_special_files_and_texts_that_are_no_resolution_are_refused(built_db, tmp_path):
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    before = _sha(store)
    link = tmp_path / "passwd.txt"
    link.symlink_to("/etc/passwd")
    for path in (link, Path("/proc/self/status")):
        with pytest.raises(SourceError, match="The Security Council"):
            add_text(store, path, resolution=2301, folder=tmp_path / "texts")
    with pytest.raises(SourceError, match="folder"):
        add_text(store, tmp_path, resolution=2301, folder=tmp_path / "texts")
    assert _sha(store) == before
    assert not (tmp_path / "texts").exists()


@pytest.mark.issue(27)
def test_issue27_a_fifo_is_refused_without_blocking(built_db, tmp_path):
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    fifo = tmp_path / "text.txt"
    os.mkfifo(fifo)
    env = {**os.environ, "PEACEOPS_TEXTS": str(tmp_path / "texts")}
    for args in (["add", str(fifo), "-r", "2301", "--db", str(store)],
                 ["status", "--db", str(fifo)]):  # fmt: skip
        result = subprocess.run([sys.executable, "-m", "peaceops", *args], env=env,
                                capture_output=True, text=True, timeout=60)  # fmt: skip
        assert result.returncode == 1, result.stderr
        assert "not a regular file" in result.stderr or "not a database file" in result.stderr


@pytest.mark.issue(27)
def test_issue27_control_characters_are_stripped_on_the_way_in_and_out(built_db, tmp_path):
    from typer.testing import CliRunner

    from peaceops.cli import app

    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    path = tmp_path / "escape.txt"
    hostile = "\x1b[2J\x1b]0;pwned\x07\x9b31m"
    path.write_text(_headed(2790, 2025, f"2. Requests the {hostile}Secretary-General.\n"))
    add_text(store, path, folder=tmp_path / "texts")
    with Database(store) as after:
        stored = after.scalar("SELECT text FROM resolution_texts WHERE number = 2790")
    assert "Requests the [2J]0;pwned31mSecretary-General" in stored
    assert not any(c in stored for c in "\x1b\x07\x9b")
    shown = CliRunner().invoke(app, ["show", "resolution", "2790", "--db", str(store)])
    assert shown.exit_code == 0 and "\x1b" not in shown.output
    # a hostile file name in an error is shown without its control characters
    named = tmp_path / f"evil{hostile}.txt"
    refused = CliRunner().invoke(app, ["add", str(named), "--db", str(store)])
    assert refused.exit_code == 1
    assert "evil" in refused.stderr and not any(c in refused.stderr for c in "\x1b\x07\x9b")


@pytest.mark.issue(27)
def test_issue27_add_errors_do_not_point_at_the_data_readme(built_db, tmp_path):
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(SourceError) as caught:
        add_text(store, empty, folder=tmp_path / "texts")
    assert "data README" not in str(caught.value) and "peaceops add" in str(caught.value)


@pytest.mark.issue(27)
def test_issue27_added_texts_are_saved_with_the_umask(built_db, tmp_path):
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    path = tmp_path / "text.txt"
    path.write_text(_headed(2790, 2025))
    old = os.umask(0o022)
    try:
        add_text(store, path, folder=tmp_path / "texts")
    finally:
        os.umask(old)
    saved = tmp_path / "texts" / "S-RES-2790(2025).txt"
    assert saved.stat().st_mode & 0o777 == 0o644


@pytest.mark.slow
@pytest.mark.issue(27)
def test_issue27_ctrl_c_during_add_gives_one_line_130_and_the_truth(built_db, tmp_path, text_file):
    """At every moment, Ctrl-C (once or twice) ends with one line that says what happened."""
    outcomes = set()
    # from 0.3 s after Python catches SIGINT: before our main() runs, only runpy could answer
    for delay in (0.3, 0.6, 1.0, 1.4, 1.8, 2.4, 3.0):
        for presses in (1, 2):
            store = _without_text(built_db, tmp_path / f"kb-{delay}-{presses}.duckdb", NUMBER)
            before = _sha(store)
            env = {**os.environ, "PEACEOPS_TEXTS": str(tmp_path / f"texts-{delay}-{presses}")}
            proc = subprocess.Popen(
                [sys.executable, "-m", "peaceops", "add", str(text_file), "--db", str(store)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
            )  # fmt: skip
            _wait_for_the_interpreter(proc.pid)
            time.sleep(delay)
            for _ in range(presses):
                proc.send_signal(signal.SIGINT)
                time.sleep(0.05)
            _, stderr = proc.communicate(timeout=120)
            changed = _sha(store) != before
            assert "Traceback" not in stderr, stderr
            if proc.returncode == 0:  # it had finished before the signal
                assert changed
                outcomes.add("finished")
                continue
            assert proc.returncode == 130, (proc.returncode, stderr)
            assert len(stderr.strip().splitlines()) == 1, stderr
            if changed:
                assert "after the change was made" in stderr
                outcomes.add("made")
            else:
                assert "were not changed" in stderr or "nothing was changed" in stderr
                outcomes.add("not made")
    assert "not made" in outcomes  # at least one interrupt came in time


def _wait_for_the_interpreter(pid: int) -> None:
    """Wait until the process catches SIGINT: before that Python has not started and no program
    can answer Ctrl-C (the kernel ends it)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return
        caught = int(next(x for x in status.splitlines() if x.startswith("SigCgt:")).split()[1], 16)
        if caught & (1 << (signal.SIGINT - 1)):
            return
        time.sleep(0.005)
