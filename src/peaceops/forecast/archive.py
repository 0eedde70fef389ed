"""A prospective record (#31): forecasts archived when made, scored later against the outcomes.

Data flow::

    forecast(db, as_of) --archive_document--> {as_of, made_on, model, panel, horizon,
        inputs_sha256 (the data the forecast read), store (build time, peaceops version),
        missions: probability, interval, drivers}  -> DIR/forecast-<as_of>.json
    DIR/*.json + the outcomes known now (mission_ends: the host's first request, or a forced
        end) --score_archive--> per forecast: resolved (window closed or event seen) or pending;
        per archive: Brier over the resolved missions, events, and hits (events among the
        archive's top 3 and top 5)

A forecast is scored only on what was knowable after it: an outcome inside its window
(``as_of`` .. ``as_of`` + horizon). A window that has not closed and holds no event yet is
*pending*, never scored as a miss. The archive file is the forecast as it was: scoring never
rewrites it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pandas as pd

from peaceops.errors import ForecastError
from peaceops.forecast.model import MODEL_VERSION
from peaceops.forecast.outlook import Forecast, record_end
from peaceops.forecast.panel import HORIZON_MONTHS, PANEL_VERSION, Snapshot, load_snapshot
from peaceops.store import Database

ARCHIVE_VERSION = "peaceops.forecast.archive.v1"
#: An archive file larger than this is not a forecast archive (a hostile or wrong file).
MAX_ARCHIVE_BYTES = 5_000_000


def inputs_sha256(snapshot: Snapshot) -> str:
    """SHA-256 of every frame the forecast read (order-independent within a frame)."""
    digest = hashlib.sha256()
    for name in ("missions", "outcomes", "mandates", "strength", "fatalities", "events",
                 "partners", "vetoes"):  # fmt: skip
        frame: pd.DataFrame = getattr(snapshot, name)
        rows = pd.util.hash_pandas_object(frame.astype(str), index=False).sort_values()
        digest.update(name.encode())
        digest.update(rows.to_numpy().tobytes())
    digest.update(json.dumps(sorted(snapshot.fragmentation.items())).encode())
    return digest.hexdigest()


def archive_document(db: Database, result: Forecast, snapshot: Snapshot, made_on: date) -> dict:
    """The forecast as archived: what was forecast, when, by which model, on which data."""
    built = (db.rows("SELECT built_at, peaceops_version FROM build_info")
             if "build_info" in db.tables() else [])  # fmt: skip
    return {
        "archive": ARCHIVE_VERSION,
        "kind": "forecast (model output, not observed), archived when made",
        "made_on": made_on.isoformat(),
        "inputs_sha256": inputs_sha256(snapshot),
        "store": {
            "built_at": str(built[0]["built_at"]) if built else None,
            "peaceops_version": built[0]["peaceops_version"] if built else None,
        },
        "panel": PANEL_VERSION,
        **result.to_dict(),
    }


def archive_name(as_of: date) -> str:
    """``forecast-<as_of>.json``: one archived forecast per as-of date and directory."""
    return f"forecast-{as_of.isoformat()}.json"


def _load(path: Path) -> dict:
    """An archived forecast, checked.

    Raises:
        ForecastError: not a readable forecast archive (what is wrong, and which file).
    """
    if not path.is_file():
        raise ForecastError(f"{path} is not a file")
    if path.stat().st_size > MAX_ARCHIVE_BYTES:
        raise ForecastError(f"{path} is larger than {MAX_ARCHIVE_BYTES:,} bytes: not an archive")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ForecastError(f"{path} is not a JSON forecast archive: {exc}") from exc
    if not isinstance(document, dict) or document.get("archive") != ARCHIVE_VERSION:
        raise ForecastError(f"{path} is not a forecast archive of {ARCHIVE_VERSION}")
    try:
        date.fromisoformat(document["as_of"])
        for m in document["missions"]:
            if not (isinstance(m["mission"], str) and 0 <= float(m["probability"]) <= 1):
                raise ValueError(f"bad row {m!r}"[:200])
    except (KeyError, TypeError, ValueError) as exc:
        raise ForecastError(f"{path} has a malformed forecast: {exc}") from exc
    return document


def score_archive(db: Database, directory: Path) -> dict:
    """Score every archived forecast in ``directory`` against the outcomes known now.

    Raises:
        ForecastError: no archive in the directory, or a malformed one (named).
    """
    if not directory.is_dir():
        raise ForecastError(f"{directory} is not a directory of archived forecasts")
    paths = sorted(directory.glob("forecast-*.json"))
    if not paths:
        raise ForecastError(f"no forecast-*.json in {directory}: archive one with "
                            "'peaceops forecast --archive DIR'")  # fmt: skip
    snapshot = load_snapshot(db)
    events = {a: pd.Timestamp(d) for a, d in zip(snapshot.outcomes["acronym"],
              snapshot.outcomes["event_date"], strict=True) if pd.notna(d)}  # fmt: skip
    known_to = pd.Timestamp(record_end(db))
    out = []
    for path in paths:
        document = _load(path)
        as_of = pd.Timestamp(document["as_of"])
        horizon = int(document.get("horizon_months", HORIZON_MONTHS))
        closes = as_of + pd.DateOffset(months=horizon)
        rows = []
        ranked = sorted(document["missions"], key=lambda m: -float(m["probability"]))
        for rank, m in enumerate(ranked, start=1):
            event = events.get(m["mission"])
            inside = event is not None and as_of < event <= closes
            status = "event" if inside else "no event" if known_to >= closes else "pending"
            rows.append({"mission": m["mission"], "probability": float(m["probability"]),
                         "rank": rank, "status": status,
                         "event_date": event.date().isoformat() if inside else None})  # fmt: skip
        resolved = [r for r in rows if r["status"] != "pending"]
        outcome = [1.0 if r["status"] == "event" else 0.0 for r in resolved]
        brier = (sum((r["probability"] - y) ** 2 for r, y in zip(resolved, outcome, strict=True))
                 / len(resolved)) if resolved else None  # fmt: skip
        hits = [r for r in rows if r["status"] == "event"]
        out.append({
            "file": path.name, "as_of": document["as_of"], "model": document.get("model"),
            "inputs_sha256": document.get("inputs_sha256"), "window_closes":
            closes.date().isoformat(), "forecasts": len(rows), "resolved": len(resolved),
            "pending": len(rows) - len(resolved), "events": len(hits), "brier": brier,
            "top_3": sum(r["rank"] <= 3 for r in hits), "top_5": sum(r["rank"] <= 5 for r in hits),
            "missions": rows,
        })  # fmt: skip
    return {
        "scored_on": known_to.date().isoformat(),
        "model_now": MODEL_VERSION,
        "kind": "archived model outputs scored against the record",
        "archives": out,
    }


__all__ = ["ARCHIVE_VERSION", "archive_document", "archive_name", "inputs_sha256", "score_archive"]
