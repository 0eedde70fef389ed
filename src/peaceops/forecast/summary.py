"""The backtest's skill, machine-readable (#31): the line every forecast is shown beside.

Data flow::

    peaceops forecast backtest --summary PATH
        BacktestReport.to_dict() + the content identity of the data it read (the archive's
        ``inputs_sha256``) --summary_document--> PATH (JSON)
    the packaged copy, src/peaceops/forecast/backtest-summary.json, is written by the same run
        that writes docs/forecast.md (``--markdown docs/forecast.md --summary ... --force``)
    backtest_summary() --> that document as a dict (None: missing, or not a summary)
    skill_line(summary) --> one plain sentence for the CLI, the explorer and the reports

The dict's keys are stable (the explorer and the reports read them):

* ``generated_at`` (ISO time), ``store_hash`` (SHA-256 of the data the backtest read, as
  :func:`peaceops.forecast.archive.inputs_sha256`), ``model_version``, ``panel_version``,
  ``horizon_months`` (12), ``origins`` ([first, last] year), ``forecasts``, ``events``,
  ``missions_with_event``;
* ``models``: per model (``hazard``, ``competing_risks``, ``mandate_blind``, ``base_rate``)
  ``brier``, ``log_loss``, ``auc``, and except for the base rate ``brier_skill`` {value, low,
  high, level} and ``beats_base_rate`` (the interval lies above 0) and ``top_k``;
* ``beats_base_rate``: the hazard model's (the forecast's own model);
* ``mandate_features_add_skill``: {value (bool: the hazard model's Brier is lower than the
  mandate-blind model's and the interval excludes 0), difference, low, high, level, measure};
* ``horizons``: per ``"6"``, ``"12"``, ``"24"``: forecasts, events,
  ``mandate_features_add_skill`` (as above, at that horizon), and per model brier,
  brier_skill and beats_base_rate;
* ``source``: ``"docs/forecast.md"``, the page with every figure and its doubts.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

SUMMARY_VERSION = "peaceops.forecast.summary.v1"
#: The packaged summary, written with docs/forecast.md by ``peaceops forecast backtest``.
SUMMARY_PATH = Path(__file__).with_name("backtest-summary.json")
SOURCE = "docs/forecast.md"
#: A summary larger than this is not one (a wrong or hostile file).
MAX_SUMMARY_BYTES = 1_000_000
_REQUIRED = ("generated_at", "store_hash", "model_version", "forecasts", "events", "models",
             "beats_base_rate", "mandate_features_add_skill", "source")  # fmt: skip


def _skill(score: dict, level: float) -> dict:
    low, high = score.get("brier_skill_interval") or (None, None)
    return {"value": score.get("brier_skill"), "low": low, "high": high, "level": level}


def _beats(score: dict) -> bool:
    """The skill's interval lies wholly above 0: better than the base rate, demonstrated."""
    low = (score.get("brier_skill_interval") or (None, None))[0]
    return low is not None and low > 0


def _mandate(blind: dict | None, level: float) -> dict:
    """Whether the mandate features add skill: the Brier difference's interval lies below 0."""
    blind = blind or {}
    return {
        "value": bool(blind and blind["high"] < 0),
        "difference": blind.get("difference"),
        "low": blind.get("low"),
        "high": blind.get("high"),
        "level": level,
        "measure": "Brier(hazard) - Brier(mandate_blind) over missions resampled; negative: "
        "the mandate features lower (improve) the Brier score",
    }


def summary_document(doc: dict, *, store_hash: str, generated_at: datetime | None = None) -> dict:
    """The summary of a backtest document (:meth:`BacktestReport.to_dict`).

    Raises:
        ValueError: the document has no hazard model or no base rate.
    """
    if "hazard" not in doc.get("scores", {}) or "base_rate" not in doc.get("scores", {}):
        raise ValueError("the backtest document has no hazard model or base rate to summarise")
    level = doc.get("bootstrap", {}).get("level", 0.95)
    models = {}
    for name, score in doc["scores"].items():
        entry = {"brier": score["brier"], "log_loss": score["log_loss"], "auc": score["auc"]}
        if name != "base_rate":
            entry |= {"brier_skill": _skill(score, level), "beats_base_rate": _beats(score)}
        if name in doc.get("top_k", {}):
            entry["top_k"] = doc["top_k"][name]
        models[name] = entry
    mandate = _mandate(doc["brier_difference"].get("mandate_blind"), level)
    horizons = {
        key: {
            "forecasts": h["forecasts"],
            "events": h["event_count"],
            "mandate_features_add_skill": _mandate(h.get("mandate_features"), level),
            "models": {
                name: {"brier": s["brier"]}
                | (
                    {"brier_skill": _skill(s, level), "beats_base_rate": _beats(s)}
                    if name != "base_rate"
                    else {}
                )
                for name, s in h["models"].items()
            },
        }
        for key, h in doc.get("horizons", {}).items()
    }
    origins = doc.get("origins") or []
    return {
        "summary": SUMMARY_VERSION,
        "kind": "backtest: model outputs scored against the record",
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "store_hash": store_hash,
        "model_version": doc["model"],
        "panel_version": doc.get("panel"),
        "horizon_months": doc.get("horizon_months", 12),
        "origins": [origins[0], origins[-1]] if origins else [],
        "forecasts": doc["forecasts"],
        "events": doc["event_count"],
        "missions_with_event": doc.get("missions_with_event", []),
        "models": models,
        "beats_base_rate": models["hazard"]["beats_base_rate"],
        "mandate_features_add_skill": mandate,
        "horizons": horizons,
        "source": SOURCE,
    }


def backtest_summary(path: Path | None = None) -> dict | None:
    """The packaged backtest summary (or the one at ``path``); None if missing or malformed.

    A malformed file is logged, never raised: the forecast is still shown, without its skill.
    """
    path = SUMMARY_PATH if path is None else Path(path)
    try:
        if path.stat().st_size > MAX_SUMMARY_BYTES:
            logger.warning("%s is larger than %s bytes: not a backtest summary", path,
                           f"{MAX_SUMMARY_BYTES:,}")  # fmt: skip
            return None
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        logger.warning("cannot read the backtest summary %s: %s", path, exc)
        return None
    if not isinstance(document, dict) or document.get("summary") != SUMMARY_VERSION:
        logger.warning("%s is not a backtest summary of %s", path, SUMMARY_VERSION)
        return None
    missing = [k for k in _REQUIRED if k not in document]
    models = document.get("models")
    hazard = models.get("hazard") if isinstance(models, dict) else None
    if missing or not isinstance(hazard, dict) or "brier_skill" not in hazard:
        logger.warning("the backtest summary %s lacks %s", path, ", ".join(missing) or "hazard")
        return None
    return document


def _number(value: float) -> str:
    """Two decimals with a true minus sign (U+2212), as in print."""
    return f"{value:.2f}".replace("-", "\u2212")


def skill_line(summary: dict | None, *, model: str = "hazard") -> str:
    """One plain sentence: the backtest's Brier skill against the base rate, and its verdict.

    ``summary`` is :func:`backtest_summary`'s dict; None gives a sentence saying the skill is
    not available (never a blank).
    """
    if not summary:
        return ("Backtested skill: not available here ('peaceops forecast backtest --summary' "
                f"writes it; see {SOURCE}).")  # fmt: skip
    source = summary.get("source", SOURCE)
    score = summary.get("models", {}).get(model, {})
    skill = score.get("brier_skill") or {}
    origins = summary.get("origins") or []
    span = f"{origins[0]}\u2013{origins[-1]}" if origins else "of past origins"
    head = f"Backtest {span}, {summary.get('horizon_months', 12)}-month horizon"
    if skill.get("value") is None:
        return f"{head}: no Brier skill could be computed. See {source}."
    level = round(100 * skill.get("level", 0.95))
    interval = (
        f" ({level}% CI {_number(skill['low'])} to {_number(skill['high'])})"
        if skill.get("low") is not None and skill.get("high") is not None
        else ""
    )
    verdict = "beats" if score.get("beats_base_rate") else "does not beat"
    return (f"{head}: Brier skill {_number(skill['value'])}{interval} against the base rate; "
            f"the model {verdict} the base rate. See {source}.")  # fmt: skip


__all__ = [
    "SUMMARY_PATH",
    "SUMMARY_VERSION",
    "backtest_summary",
    "skill_line",
    "summary_document",
]
