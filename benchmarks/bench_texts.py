"""Benchmark (issue #17): `peaceops add` of one text, and `data fetch --texts` of 20 texts.

* **add**: a knowledge base built from the real data, with the text of S/RES/2227 (2015)
  (MINUSMA's renewal) taken out of a copy; the text is added back with
  :func:`peaceops.pipeline.add.add_text` (read, identify, copy the store, code, recompute the
  measures of the missions it mandates, swap). Rounds on fresh copies; target: under 1 s. The
  wall time of the command (`peaceops add`, a new Python process importing peaceops) is
  recorded too.
* **fetch 20**: 20 texts of the data directory (MINUSMA, MONUSCO, UNMISS, MINUSCA, UNAMA
  mandates of 2012-2015) written as PDFs in the UN's layout (tests/unpdf.py) and served by a
  local HTTP server playing the UN Digital Library (record page, then PDF); their texts are taken
  out of a copy of the store and :func:`peaceops.pipeline.texts.fetch_and_add` downloads and adds
  them, with no delay between requests (the command's default of 1 s would add 2 s per text).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from peaceops.measures import compute_measures
from peaceops.pipeline import build
from peaceops.pipeline.add import add_text
from peaceops.pipeline.texts import fetch_and_add
from peaceops.store import Database
from peaceops.store.derive import derive_resolutions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from unpdf import resolution_pdf

TARGET_ADD_SECONDS = 1.0
NUMBER = 2227
MISSIONS = ("MINUSMA", "MONUSCO", "UNMISS", "MINUSCA", "UNAMA")


def _without(source: Path, target: Path, numbers: list[int]) -> Path:
    shutil.copy(source, target)
    with Database(target, read_only=False) as db:
        db.execute_write(
            "DELETE FROM resolution_texts WHERE number IN (SELECT unnest(?::INTEGER[]))", [numbers]
        )
        db.execute_write("DELETE FROM resolutions")
        derive_resolutions(db)
        for table in ("codes", "chapter_vii", "targets", "paragraphs"):
            db.execute_write(
                f"DELETE FROM {table} WHERE resolution IN (SELECT unnest(?::INTEGER[]))", [numbers]
            )
        compute_measures(db)
    return target


def _lines(text: str) -> list[str]:
    body = text.split("The Security Council,", 1)[-1]
    ascii_ = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    return [
        line.strip().translate(ascii_).encode("latin-1", "replace").decode("latin-1")
        for line in body.split("\n")
        if line.strip()
    ]


def bench_add(kb: Path, tmp: Path, rounds: int) -> dict:
    with Database(kb) as db:
        text = db.scalar("SELECT text FROM resolution_texts WHERE number = ? AND preferred",
                         [NUMBER])  # fmt: skip
    source = tmp / "2227.txt"
    source.write_text(text)
    library, command = [], []
    for i in range(rounds):
        store = _without(kb, tmp / f"add-{i}.duckdb", [NUMBER])
        start = time.perf_counter()
        result = add_text(store, source, folder=tmp / f"texts-{i}")
        library.append(round(time.perf_counter() - start, 3))
        assert result.status == "added" and result.codes_after > 0
        store = _without(kb, tmp / f"cli-{i}.duckdb", [NUMBER])
        env = {**os.environ, "PEACEOPS_TEXTS": str(tmp / f"cli-texts-{i}")}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "peaceops", "add", str(source), "--db", str(store)],
                       check=True, env=env, stdout=subprocess.DEVNULL)  # fmt: skip
        command.append(round(time.perf_counter() - start, 3))
        print(f"add round {i + 1}: {library[-1]:.2f} s (command {command[-1]:.2f} s)",
              file=sys.stderr)  # fmt: skip
    median = statistics.median(library)
    return {
        "benchmark": "peaceops add: one text (S/RES/2227) on a built knowledge base",
        "rounds_seconds": library,
        "median_seconds": round(median, 3),
        "command_wall_seconds": command,
        "command_median_seconds": round(statistics.median(command), 3),
        "target_seconds": TARGET_ADD_SECONDS,
        "meets_target": median < TARGET_ADD_SECONDS,
    }


class _Library(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    pdfs: dict[int, bytes]  # set on the subclass made per run

    def log_message(self, format, *args):
        """Quiet."""

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        number = int(parts[1]) - 700000
        if len(parts) == 2:
            body = f'<a href="/record/{parts[1]}/files/S_RES_{number}-EN.pdf">EN</a>'.encode()
            kind = "text/html"
        else:
            body, kind = self.pdfs[number], "application/pdf"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def bench_fetch(kb: Path, tmp: Path) -> dict:
    with Database(kb) as db:
        rows = db.rows(
            "SELECT DISTINCT r.number, r.year, r.date, r.text FROM resolutions r "
            "JOIN mission_resolutions mr USING (number) WHERE r.has_text AND r.year BETWEEN 2012 "
            "AND 2015 AND mr.acronym IN (SELECT unnest(?::VARCHAR[])) ORDER BY r.number LIMIT 20",
            [list(MISSIONS)],
        )
    pdfs = {}
    for row in rows:
        lines = _lines(row["text"])
        first = next(i for i, line in enumerate(lines) if line.startswith("1. "))
        path = resolution_pdf(
            tmp / f"{row['number']}.pdf", number=row["number"], year=row["year"],
            adopted=row["date"].strftime("%d %B %Y").lstrip("0"), meeting="7000th",
            preamble=lines[:first], operative=lines[first:],
        )  # fmt: skip
        pdfs[row["number"]] = path.read_bytes()
    numbers = sorted(pdfs)
    data = tmp / "data"
    table = data / "resolutions" / "cr-unsc-meta" / "UNSC_Record-Table_2722.csv"
    table.parent.mkdir(parents=True)
    table.write_text("res_no,url_record\n" + "".join(
        f"{n},https://digitallibrary.un.org/record/{700000 + n}\n" for n in numbers
    ))  # fmt: skip
    handler = type("Handler", (_Library,), {"pdfs": pdfs})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store = _without(kb, tmp / "fetch.duckdb", numbers)
    try:
        start = time.perf_counter()
        report = fetch_and_add(
            store, numbers, data, folder=tmp / "fetched",
            base_url=f"http://127.0.0.1:{server.server_address[1]}", delay=0,
        )  # fmt: skip
        seconds = time.perf_counter() - start
    finally:
        server.shutdown()
        server.server_close()
    added = [r for r in report.added if r.status == "added"]
    print(f"fetch 20: {seconds:.2f} s, {len(added)} added, {len(report.failed)} failed",
          file=sys.stderr)  # fmt: skip
    return {
        "benchmark": "peaceops data fetch --texts: 20 PDFs from a local server, downloaded and "
        "added (delay 0)",
        "resolutions": numbers,
        "seconds": round(seconds, 2),
        "added": len(added),
        "failed": report.failed,
        "codes": sum(r.codes_after for r in added),
        "pdf_bytes": sum(len(b) for b in pdfs.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=Path("benchmarks/results.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        os.environ["PEACEOPS_TEXTS"] = str(tmp / "user-texts")  # never the user's own folder
        kb = tmp / "kb.duckdb"
        build(args.data_dir.resolve(), kb)
        result = {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "add": bench_add(kb, tmp, args.rounds),
            "fetch": bench_fetch(kb, tmp),
        }
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    existing["texts"] = result
    args.output.write_text(json.dumps(existing, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
