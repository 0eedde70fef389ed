"""Rolling-origin backtest of the forecast against honest baselines, and today's forecast.

Data flow::

    knowledge base --load_snapshot, panel--> mission-months 1948..last origin + 12 months
    for each origin t (1 January of each year, 1995-2023 by default):
        train = months whose 12-month outcome window had closed by t (outcome known at t)
        test  = the missions at risk at t (begun, not ended, no host request yet)
        hazard model (all features), mandate-blind model (no feature coded from the texts),
        base rate (the training months' share with the outcome), and, if asked, the
        simulation's probability from a store truncated at t (peaceops.forecast.truncate)
    pooled forecasts --score--> Brier, log loss, AUC, reliability bins; the Brier difference
        to each baseline with a bootstrap interval over missions (seeded)
    competing risks (peaceops.forecast.competing): a multinomial month model (forced out, ended
        otherwise, neither) fitted on the months known at t; its forced-exit incidence over
        each horizon is scored beside the hazard model (``competing_risks``)
    the same models and ablations at 6 and 24 months (peaceops.forecast.horizons: each horizon
        its own label and fit, scored once its window has closed in the record) --> the same
        scores per horizon (``horizons`` in the document)

Today's forecast is :mod:`peaceops.forecast.outlook`.

Example::

    with Database("out/peaceops.duckdb", read_only=True) as db:
        report = backtest(db)
    print(report.to_markdown())
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd

from peaceops.errors import ForecastError
from peaceops.forecast.competing import (
    IGNORING_OTHER_ENDS,
    CompetingModel,
    competition_effect,
    ended_otherwise,
    fit_competing,
    month_known_on,
    month_outcomes,
)
from peaceops.forecast.horizons import HORIZONS, horizon_scores, horizon_summary, relabel
from peaceops.forecast.model import MIN_EVENTS, MODEL_VERSION, C, HazardModel, fit
from peaceops.forecast.outlook import record_end
from peaceops.forecast.panel import (
    FEATURE_NAMES,
    HORIZON_MONTHS,
    MANDATE_FEATURES,
    PANEL_VERSION,
    load_snapshot,
    panel,
)
from peaceops.forecast.simulated import simulated
from peaceops.forecast.skill import (
    auc,
    brier,
    brier_skill,
    difference_interval,
    event_table,
    log_loss,
    reliability,
    top_k,
)
from peaceops.store import Database

FIRST_ORIGIN, LAST_ORIGIN = 1995, 2023
BLIND_FEATURES = tuple(f for f in FEATURE_NAMES if f not in MANDATE_FEATURES)
MODELS = ("hazard", "competing_risks", "mandate_blind", "base_rate", "simulation")
#: Other specifications tried after the primary one (C = 0.05, every feature) was first scored;
#: reported beside it in docs/forecast.md, never silently swapped in. Each is also fitted without
#: its mandate features, so its own mandate-blind comparison is fair.
TRIALS: dict[str, tuple[tuple[str, ...], float, str]] = {
    "parsimonious": (
        ("partiality", "stabilization", "named_targets", "consent_events_12m",
         "partner_present", "fragmentation", "regime_change_24m", "log_age", "pko"),
        C,
        "the paper's mechanism only: partiality, stabilization, named targets, recent consent "
        "events, an alternative partner, fragmentation, coups, age, type",
    ),
    "strong_penalty": (FEATURE_NAMES, 0.01, "every feature, five times the penalty (C = 0.01)"),
    "weak_penalty": (FEATURE_NAMES, 0.5, "every feature, a tenth of the penalty (C = 0.5)"),
}  # fmt: skip
#: Tried after the competing-risks model (C = 0.05, as the hazard model) was first scored: a
#: month row carries about a twelfth of a 12-month window's events, so the same C shrinks it
#: far harder. Scored at 12 months, reported with the other trials.
COMPETING_TRIALS: dict[str, tuple[tuple[str, ...], float, str]] = {
    "competing_weak_penalty": (
        FEATURE_NAMES, 0.6, "the competing-risks model with twelve times less penalty (C = 0.6: "
        "about the hazard model's penalty per 12-month window)",
    ),
}  # fmt: skip
#: The ablations that matter (#31), each scored like the models: without the curated consent
#: events (recorded with hindsight), and the mandate features alone.
ABLATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "no_consent_events": (
        tuple(f for f in FEATURE_NAMES if f not in ("consent_events", "consent_events_12m")),
        "every feature but the curated consent events (recorded with hindsight)",
    ),
    "mandate_only": (MANDATE_FEATURES, "the features coded from the mandate texts only"),
}


def _split(rows: pd.DataFrame, origin: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    train = rows[(rows["outcome_known_on"] <= origin) & (rows["date"] < origin)]
    test = rows[rows["date"] == origin]
    return train, test


# -- the backtest ------------------------------------------------------------------------------


@dataclass
class BacktestReport:
    """The pooled forecasts of every origin and their scores.

    Attributes:
        forecasts: one row per (origin, mission at risk): outcome and each model's probability.
        origins: per origin: missions at risk, events in the window, training events, fallback.
        sim_seeds: runs per mission of the simulation baseline (0: not run).
        resamples, seed: the bootstrap of the Brier differences.
        horizons: per horizon in months (:data:`HORIZONS`), the forecasts of the models and
            ablations with that horizon's outcome; 12 is ``forecasts``' own.
        horizon_fallbacks: per horizon, the origins whose model fell back to the base rate.
    """

    forecasts: pd.DataFrame
    origins: pd.DataFrame
    sim_seeds: int
    resamples: int
    seed: int
    coverage: dict[str, date | None] = field(default_factory=dict)
    horizons: dict[int, pd.DataFrame] = field(default_factory=dict)
    horizon_fallbacks: dict[int, int] = field(default_factory=dict)

    def scores(self, frame: pd.DataFrame | None = None) -> dict[str, dict]:
        """Brier, log loss and AUC of each model over ``frame`` (default: all forecasts)."""
        frame = self.forecasts if frame is None else frame
        y = frame["outcome"].to_numpy(dtype=float)
        out = {}
        for model in MODELS:
            if model not in frame or frame[model].isna().any():
                continue
            p = frame[model].to_numpy(dtype=float)
            out[model] = {"brier": brier(p, y), "log_loss": log_loss(p, y), "auc": auc(p, y)}
            if model != "base_rate":
                out[model].update(self._skill(frame, model))
        return out

    def _skill(self, frame: pd.DataFrame, column: str) -> dict:
        """Brier skill against the base rate with its interval (``brier_skill``, low, high)."""
        found = brier_skill(frame, column, resamples=self.resamples, seed=self.seed)
        return {"brier_skill": found["brier_skill"],
                "brier_skill_interval": [found["low"], found["high"]]}  # fmt: skip

    def ablations(self) -> list[dict]:
        """Each ablation's scores, skill, and Brier difference to the hazard model (95%)."""
        f = self.forecasts
        y = f["outcome"].to_numpy(dtype=float)
        out = []
        for name, (features, description) in ABLATIONS.items():
            column = f"ablation:{name}"
            if column not in f:
                continue
            p = f[column].to_numpy(dtype=float)
            diff, low, high = difference_interval(
                f, "hazard", column, resamples=self.resamples, seed=self.seed
            )
            out.append(
                {
                    "ablation": name,
                    "description": description,
                    "features": list(features),
                    "brier": brier(p, y),
                    "log_loss": log_loss(p, y),
                    "auc": auc(p, y),
                    **self._skill(f, column),
                    "top_k": top_k(self._events, column),
                    "hazard_minus_this": {"difference": diff, "low": low, "high": high},
                }
            )
        return out

    @cached_property
    def _events(self) -> list[dict]:
        """The per-event table (:func:`event_table`), computed once per report."""
        columns = [c for c in (*MODELS, *(f"ablation:{a}" for a in ABLATIONS))
                   if c in self.forecasts and not self.forecasts[c].isna().any()]  # fmt: skip
        return event_table(self.forecasts, columns)

    def differences(self, frame: pd.DataFrame | None = None) -> dict[str, dict]:
        """Brier of the hazard model minus each baseline's, with its 95% interval."""
        frame = self.forecasts if frame is None else frame
        out: dict[str, dict] = {}
        for baseline in ("base_rate", "mandate_blind", "competing_risks", "simulation"):
            if baseline not in frame or frame[baseline].isna().any():
                continue
            diff, low, high = difference_interval(
                frame, "hazard", baseline, resamples=self.resamples, seed=self.seed
            )
            out[baseline] = {"difference": diff, "low": low, "high": high}
        return out

    def trials(self) -> list[dict]:
        """Each other specification's scores, and its Brier difference to two baselines.

        The baselines are the base rate and the trial's own mandate-blind fit (negative: the
        trial scores better), each with a 95% interval.
        """
        f = self.forecasts
        y = f["outcome"].to_numpy(dtype=float)
        out = []
        for name, (features, c, description) in {**TRIALS, **COMPETING_TRIALS}.items():
            column = f"trial:{name}"
            if column not in f:
                continue
            p = f[column].to_numpy(dtype=float)
            row = {
                "trial": name,
                "description": description,
                "features": list(features),
                "c": c,
                "brier": brier(p, y),
                "log_loss": log_loss(p, y),
                "auc": auc(p, y),
            }
            for baseline in ("base_rate", f"{column}:blind"):
                diff, low, high = difference_interval(
                    f, column, baseline, resamples=self.resamples, seed=self.seed
                )
                key = "vs_base_rate" if baseline == "base_rate" else "vs_own_blind"
                row[key] = {"difference": diff, "low": low, "high": high}
            out.append(row)
        return out

    def sim_subset(self) -> pd.DataFrame:
        """The forecasts for which the simulation gave a probability."""
        if "simulation" not in self.forecasts:
            return self.forecasts.iloc[0:0]
        return self.forecasts[self.forecasts["simulation"].notna()]

    def to_dict(self) -> dict:
        """The report as JSON-ready data."""
        f = self.forecasts
        sim = self.sim_subset()
        events = self._events
        return {
            "model": MODEL_VERSION,
            "panel": PANEL_VERSION,
            "horizon_months": HORIZON_MONTHS,
            "origins": [int(o) for o in self.origins["origin"].dt.year],
            "forecasts": len(f),
            "event_count": int(f["outcome"].sum()),
            "missions_with_event": sorted(f.loc[f["outcome"] == 1, "mission"].unique().tolist()),
            "scores": self.scores(),
            "brier_difference": self.differences(),
            "reliability": reliability(f["hazard"].to_numpy(), f["outcome"].to_numpy()),
            "simulation": {
                "seeds": self.sim_seeds,
                "forecasts": len(sim),
                "event_count": int(sim["outcome"].sum()) if len(sim) else 0,
                "scores": self.scores(sim) if len(sim) else {},
                "brier_difference": self.differences(sim) if len(sim) else {},
            },
            "per_origin": [
                {
                    "origin": r.origin.date().isoformat(),
                    "at_risk": int(r.at_risk),
                    "events": int(r.events),
                    "training_events": int(r.training_events),
                    "fallback": bool(r.fallback),
                }
                for r in self.origins.itertuples(index=False)
            ],
            "trials": self.trials(),
            "ablations": self.ablations(),
            "top_k": {m: top_k(events, m) for m in MODELS if m in f and not f[m].isna().any()},
            "events": events,
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "level": 0.95},
            "horizons": self.horizon_scores(),
        }

    def horizon_scores(self) -> dict[str, dict]:
        """Each horizon's forecasts, events and scores (#31), keyed ``"6"``, ``"12"``, ``"24"``.

        Per model and ablation: Brier, log loss, AUC, Brier skill against the base rate with
        its interval, and top-k hits.
        """
        out = {}
        for months, frame in sorted(self.horizons.items()):
            ablations = {name: f"ablation:{name}" for name in ABLATIONS}
            scores = horizon_scores(
                frame, {**{m: m for m in HORIZON_COLUMNS if m in MODELS}, **ablations},
                months=months, resamples=self.resamples, seed=self.seed,
            )  # fmt: skip
            # the hazard model's Brier minus the mandate-blind model's: negative, the texts help
            diff, low, high = difference_interval(
                frame, "hazard", "mandate_blind", resamples=self.resamples, seed=self.seed
            )
            out[str(months)] = {
                "horizon_months": months,
                **horizon_summary(frame, fallback_origins=self.horizon_fallbacks.get(months, 0)),
                "models": {m: s for m, s in scores.items() if m not in ablations},
                "ablations": {m: s for m, s in scores.items() if m in ablations},
                "competition": competition_effect(frame),
                "mandate_features": {"difference": diff, "low": low, "high": high},
            }
        return out


def backtest(
    db: Database,
    *,
    first: int = FIRST_ORIGIN,
    last: int = LAST_ORIGIN,
    sim_seeds: int = 0,
    resamples: int = 1000,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> BacktestReport:
    """Run the rolling-origin backtest with origins on 1 January of ``first`` .. ``last``.

    Args:
        db: the knowledge base (its file is copied and truncated for the simulation baseline).
        first: the first origin's year.
        last: the last origin's year. At every horizon a forecast is scored only once its
            window has closed by the end of the record (the last vote in the store).
        sim_seeds: runs per mission and origin of the simulation baseline (0: skip it).
        resamples: bootstrap resamples of the Brier differences (over missions).
        seed: the bootstrap's seed.
        progress: called as ``progress(done, total)`` after each origin.

    Raises:
        ForecastError: origins out of order or outside the data.
    """
    if last < first:
        raise ForecastError(f"the last origin ({last}) is before the first ({first})")
    if first < 1950 or last > date.today().year:
        raise ForecastError(f"origins must lie between 1950 and this year, got {first}-{last}")
    snapshot = load_snapshot(db)
    rows = panel(snapshot, start=date(1948, 1, 1), end=date(last, 12, 1))
    # a forecast is scored once its window has closed in the record (#31: 24 months from 2023)
    known_to = pd.Timestamp(record_end(db))
    labelled = {m: relabel(rows, m) for m in HORIZONS if m != HORIZON_MONTHS}
    # competing risks (#31): each month's outcome (forced out, ended otherwise, neither)
    ends = dict(zip(snapshot.missions["acronym"], snapshot.missions["end"], strict=True))
    month_class, month_known = month_outcomes(rows, ends), month_known_on(rows)
    horizon_frames: dict[int, list[pd.DataFrame]] = {m: [] for m in HORIZONS}
    fallbacks = dict.fromkeys(HORIZONS, 0)
    forecasts, per_origin = [], []
    origins = list(range(first, last + 1))
    with tempfile.TemporaryDirectory(prefix="peaceops-backtest-") as tmp:
        for k, year in enumerate(origins):
            origin = pd.Timestamp(year, 1, 1).as_unit("ns")
            train, test = _split(rows, origin)
            test = test[test["outcome_known_on"] <= known_to]
            seen = (month_known <= origin) & (rows["date"] < origin).to_numpy()
            competing = fit_competing(rows[seen], month_class[seen], FEATURE_NAMES)
            frame, full = _models_at(train, test, origin, competing, HORIZON_MONTHS)
            for name, (features, c, _) in TRIALS.items():
                frame[f"trial:{name}"] = fit(train, features, c=c).predict(test)
                own_blind = tuple(f for f in features if f not in MANDATE_FEATURES)
                frame[f"trial:{name}:blind"] = fit(train, own_blind, c=c).predict(test)
            for name, (features, c, _) in COMPETING_TRIALS.items():
                own_blind = tuple(f for f in features if f not in MANDATE_FEATURES)
                for column, chosen in (
                    (f"trial:{name}", features),
                    (f"trial:{name}:blind", own_blind),
                ):
                    tried = fit_competing(rows[seen], month_class[seen], chosen, c=c)
                    frame[column] = tried.incidence(test, HORIZON_MONTHS)
            if sim_seeds:
                frame["simulation"] = simulated(db, Path(tmp), origin.date(), test, sim_seeds)
            forecasts.append(frame)
            for months in HORIZONS:  # the same models, each horizon its own label (#31)
                part, fitted = frame, full
                if months != HORIZON_MONTHS:
                    h_train, h_test = _split(labelled[months], origin)
                    h_test = h_test[h_test["outcome_known_on"] <= known_to]
                    part, fitted = _models_at(h_train, h_test, origin, competing, months)
                part = part.assign(other_end=ended_otherwise(part, ends, months))
                horizon_frames[months].append(part[[*_KEYS, *HORIZON_COLUMNS, "other_end"]])
                fallbacks[months] += fitted.fallback
            per_origin.append(
                {
                    "origin": origin,
                    "at_risk": len(test),
                    "events": int(test["outcome"].sum()),
                    "training_events": full.events,
                    "fallback": full.fallback,
                }
            )
            if progress:
                progress(k + 1, len(origins))
    return BacktestReport(
        forecasts=pd.concat(forecasts, ignore_index=True),
        origins=pd.DataFrame(per_origin),
        sim_seeds=sim_seeds,
        resamples=resamples,
        seed=seed,
        coverage=snapshot.coverage,
        horizons={m: pd.concat(f, ignore_index=True) for m, f in horizon_frames.items()},
        horizon_fallbacks=fallbacks,
    )


_KEYS = ("mission", "date", "origin", "outcome", "event_date")
#: The columns scored at every horizon: the models and the ablations (the trials and the
#: simulation are scored at 12 months only).
HORIZON_COLUMNS = ("hazard", "competing_risks", "mandate_blind", "base_rate",
                   *(f"ablation:{name}" for name in ABLATIONS), IGNORING_OTHER_ENDS)  # fmt: skip


def _models_at(
    train: pd.DataFrame,
    test: pd.DataFrame,
    origin: pd.Timestamp,
    competing: CompetingModel,
    months: int,
) -> tuple[pd.DataFrame, HazardModel]:
    """The forecasts of the models and ablations at one origin, and the full model fitted.

    ``competing`` is the month model fitted at the origin; its forced-exit incidence over
    ``months`` is the ``competing_risks`` forecast (and, the other ends ignored, a diagnostic).
    """
    full = fit(train, FEATURE_NAMES)
    frame = test[["mission", "date", "outcome", "event_date"]].copy()
    frame["origin"] = origin
    frame["hazard"] = full.predict(test)
    frame["competing_risks"] = competing.incidence(test, months)
    frame[IGNORING_OTHER_ENDS] = competing.incidence(test, months, competing=False)
    frame["mandate_blind"] = fit(train, BLIND_FEATURES).predict(test)
    frame["base_rate"] = full.base_rate
    for name, (features, _) in ABLATIONS.items():
        frame[f"ablation:{name}"] = fit(train, features).predict(test)
    return frame, full


__all__ = [
    "ABLATIONS",
    "BLIND_FEATURES",
    "MIN_EVENTS",
    "BacktestReport",
    "auc",
    "backtest",
    "brier",
    "log_loss",
    "reliability",
]
