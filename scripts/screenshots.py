"""Screenshots of the web explorer at desktop and phone widths, for docs/screenshots/.

Builds nothing: it serves an existing knowledge base (``--db``, default like the Makefile's
``DB``: ``$PEACEOPS_DB`` or ``out/peaceops.duckdb``) with the real server (``peaceops serve``
on a free port), opens each page of ``PAGES`` in headless Chromium (Playwright, Debian's
``/usr/bin/chromium``) at each width of ``WIDTHS`` and writes one PNG per page and width,
named ``<name>-<width>.png`` (``mission-MINUSMA-390.png``). Full pages are clipped to
``MAX_HEIGHT`` pixels and saved in 256 colours to keep the files small. Run it with
``make screenshots``, then look at every picture before calling a page done (issue #30).

Usage::

    python scripts/screenshots.py [--db out/peaceops.duckdb] [--out docs/screenshots]
        [--only mission-MINUSMA,council]
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from peaceops.web.server import spawn

#: (file name stem, path): the pages to photograph. Other pages add their line here.
PAGES: list[tuple[str, str]] = [
    ("index", "/"),
    ("index-facets", "/?type=pko&region=africa,asia&sort=-start"),
    ("mission-MINUSMA", "/missions/MINUSMA"),
    ("mission-UNAMA", "/missions/UNAMA"),
    ("report-MINUSMA", "/missions/MINUSMA/report.html"),
    ("compare", "/compare?missions=MINUSMA,MONUSCO,UNMISS,UNAMA"),
    ("council", "/council"),
    ("search-wagner", "/search?q=Wagner"),
    ("search-brigade", "/search?q=%22Intervention+Brigade%22"),
    ("resolution-2098", "/resolutions/2098"),
    ("resolutions", "/resolutions"),
    ("groups", "/groups"),
    ("group-m23", "/groups/m23"),
    ("forecast", "/forecast"),
    ("api-docs", "/api/docs"),
    ("paper", "/paper"),
]
WIDTHS = (1280, 390)
MAX_HEIGHT = 2400
CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
LOG = logging.getLogger("screenshots")


def _serve(db: Path, folder: Path) -> tuple[subprocess.Popen, str]:
    """Start ``peaceops serve`` on a free port; wait until it answers (at most 60 s)."""
    try:
        return spawn(db, log_dir=folder)
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from exc


def _shrink(path: Path) -> None:
    """Keep a screenshot small: 256 colours (text and flat charts lose nothing visible)."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def take(url: str, out: Path, pages: list[tuple[str, str]]) -> list[Path]:
    """Photograph each page at each width; return the files written."""
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            for name, path in pages:
                page.goto(url + path, timeout=120_000)
                height = page.evaluate("document.documentElement.scrollHeight")
                sideways = page.evaluate("document.documentElement.scrollWidth")
                target = out / f"{name}-{width}.png"
                page.screenshot(
                    path=target,
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": min(height, MAX_HEIGHT)},
                )
                _shrink(target)
                written.append(target)
                LOG.info(
                    "%s: %d px high, %d px wide%s%s", target.name, height, sideways,
                    " (SCROLLS SIDEWAYS)" if sideways > width else "",
                    f"; console errors: {errors}" if errors else "",
                )  # fmt: skip
                errors.clear()
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Serve ``--db`` and photograph every page of ``PAGES`` (or of ``--only``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_db = os.environ.get("PEACEOPS_DB") or "out/peaceops.duckdb"
    parser.add_argument("--db", type=Path, default=Path(default_db))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", default="", help="comma-separated page names of PAGES")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # a script, not the library
    if not args.db.is_file():
        parser.error(f"no knowledge base at {args.db}: build it first (make demo)")
    if not CHROMIUM.exists():
        parser.error(f"screenshots need Debian's chromium at {CHROMIUM}: apt-get install chromium")
    wanted = {n for n in args.only.split(",") if n}
    unknown = wanted - {name for name, _ in PAGES}
    if unknown:
        parser.error(f"unknown page(s) {sorted(unknown)}: use names of PAGES")
    pages = [(name, path) for name, path in PAGES if not wanted or name in wanted]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        process, url = _serve(args.db.resolve(), Path(folder))
        try:
            take(url, args.out, pages)
        finally:
            process.terminate()
            process.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
