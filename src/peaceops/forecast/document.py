"""docs/forecast.md: the backtest's figures, the reliability diagram and a forecast, as Markdown.

Data flow: a :class:`~peaceops.forecast.backtest.BacktestReport` and a
:class:`~peaceops.forecast.backtest.Forecast` --markdown()--> the page ``peaceops forecast
backtest`` writes (with the diagram's SVG file beside it, drawn by the report layer).
"""

from __future__ import annotations

from peaceops.forecast.backtest import BacktestReport
from peaceops.forecast.model import MIN_EVENTS, MODEL_VERSION, C
from peaceops.forecast.outlook import Forecast
from peaceops.forecast.panel import FEATURES, HORIZON_MONTHS, PANEL_VERSION, SOURCE_FEATURES

_NAMES = {
    "hazard": "hazard model (all features)",
    "competing_risks": "competing-risks model (forced out, ended otherwise or neither, by month)",
    "mandate_blind": "mandate-blind model (no feature coded from the texts)",
    "base_rate": "base rate (training months' share)",
    "simulation": "simulation (`p` of a host request, store cut at the origin)",
}


def _f(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _scores_table(scores: dict, differences: dict) -> list[str]:
    lines = [
        "| model | Brier | log loss | AUC | Brier minus the hazard model's (95% interval) |",
        "|---|---|---|---|---|",
    ]
    for name, s in scores.items():
        d = differences.get(name)
        diff = (
            "-" if d is None else f"{-d['difference']:+.5f} ({-d['high']:+.5f} to {-d['low']:+.5f})"
        )
        lines.append(
            f"| {_NAMES[name]} | {_f(s['brier'], 5)} | {_f(s['log_loss'])} | {_f(s['auc'], 3)} "
            f"| {diff} |"
        )
    return lines


def _interval(d: dict) -> str:
    return f"{d['difference']:+.5f} ({d['low']:+.5f} to {d['high']:+.5f})"


def _verdict(differences: dict, baseline: str) -> str:
    d = differences.get(baseline)
    if d is None:
        return f"no comparison with the {_NAMES[baseline]}"
    if d["high"] < 0:
        return f"**beats** the {_NAMES[baseline]} (the interval excludes 0)"
    if d["difference"] < 0:
        return (
            f"scores better than the {_NAMES[baseline]}, but the interval includes 0: "
            "**not a demonstrated gain**"
        )
    return f"**does not beat** the {_NAMES[baseline]}"


def _skill_cell(score: dict) -> str:
    if score.get("brier_skill") is None:
        return "-"
    low, high = score["brier_skill_interval"]
    return f"{score['brier_skill']:+.3f} ({low:+.3f} to {high:+.3f})"


def _hits(hits: dict) -> str:
    return (f"{hits['top_3']}/{hits['events']} | {hits['top_5']}/{hits['events']} | "
            f"{_f(hits['mean_rank'], 1)}")  # fmt: skip


def _skill_section(doc: dict) -> list[str]:
    """Brier skill against the base rate, top-k hits and the ablations (#31)."""
    lines = [
        "### Skill, hits and ablations",
        "",
        "Brier skill = 1 - Brier / Brier of the base rate (positive: better than the base rate), "
        "with a 95% interval over missions. Hits: events whose mission was among the 3 (5) "
        "highest probabilities of the missions at risk at its last origin before the event (a "
        "tie that spans past k is no hit, so the base rate, which ties everyone, never hits). "
        "The ablations drop the curated consent events (recorded with hindsight) or keep the "
        "mandate features only.",
        "",
        "| model | Brier | Brier skill (95%) | top 3 | top 5 | mean rank | hazard's Brier minus "
        "this (95%) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, score in doc["scores"].items():
        hits = doc["top_k"].get(name)
        lines.append(f"| {_NAMES[name]} | {_f(score['brier'], 5)} | {_skill_cell(score)} | "
                     f"{_hits(hits) if hits else '- | - | -'} | - |")  # fmt: skip
    for a in doc["ablations"]:
        lines.append(f"| ablation `{a['ablation']}`: {a['description']} | {_f(a['brier'], 5)} | "
                     f"{_skill_cell(a)} | {_hits(a['top_k'])} | "
                     f"{_interval(a['hazard_minus_this'])} |")  # fmt: skip
    lines += ["", "### Each event", "",
              "Its probability and rank (among the missions at risk) at every origin in the 24 "
              "months before it; model outputs, not observations.", "",
              "| mission | event | origin | at risk | hazard p (rank) | mandate-blind p (rank) |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for e in doc["events"]:
        for o in e["origins"]:
            cells = [f"{o[m]['probability']:.4f} ({o[m]['rank']}"
                     + (f", tied {o[m]['tied']})" if o[m]["tied"] > 1 else ")")
                     for m in ("hazard", "mandate_blind")]  # fmt: skip
            lines.append(f"| {e['mission']} | {e['event_date']} | {o['origin']} | "
                         f"{o['at_risk']} | {cells[0]} | {cells[1]} |")  # fmt: skip
    return [*lines, ""]


def _horizons_section(doc: dict) -> list[str]:
    """The same models and ablations scored 6, 12 and 24 months ahead (#31)."""
    horizons = doc.get("horizons") or {}
    if not horizons:
        return []
    lines = [
        "### Horizons: 6, 12 and 24 months",
        "",
        "The same models refitted for each horizon on its own outcome (a host-forced exit within "
        "6, 12 or 24 months of the month start), at the same origins, each fitted only on months "
        "whose window had closed by the origin and scored only once its own window had closed in "
        "the record. The origins are 1 January of each year, so a 6-month forecast sees only the "
        "events of January to June (the others are non-events of every 6-month forecast) and a "
        "24-month forecast sees each event from two origins. Top-k reads each event at the last "
        "origin whose window holds it.",
        "",
        "| horizon | forecasts | with the outcome (missions) | model | Brier | Brier skill (95%) "
        "| log loss | AUC | top 3 | top 5 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for key, h in horizons.items():
        rows = [(_NAMES.get(m, m), s) for m, s in h["models"].items()]
        rows += [(f"ablation `{a}`", s) for a, s in h["ablations"].items()]
        for k, (name, s) in enumerate(rows):
            head = (f"{key} months | {h['forecasts']} | {h['event_count']} "
                    f"({len(h['missions_with_event'])})" if k == 0 else " | | ")  # fmt: skip
            lines.append(f"| {head} | {name} | {_f(s['brier'], 5)} | {_skill_cell(s)} | "
                         f"{_f(s['log_loss'])} | {_f(s['auc'], 3)} | "
                         f"{s['top_k']['top_3']}/{s['top_k']['events']} | "
                         f"{s['top_k']['top_5']}/{s['top_k']['events']} |")  # fmt: skip
        verdicts.append(f"{key} months: {_skill_verdict(h['models'].get('hazard', {}))}")
    return [*lines, "", "The hazard model against the base rate, by horizon: "
            + "; ".join(verdicts) + ".", ""]  # fmt: skip


def _competing_section(doc: dict) -> list[str]:
    """The competing-risks model beside the binary one, and what the competition changes."""
    horizons = doc.get("horizons") or {}
    if not horizons or "competing_risks" not in doc["scores"]:
        return []
    lines = [
        "### Competing risks",
        "",
        "The hazard model above labels each month 1 if the host forces the mission out within "
        "the window and 0 otherwise, so a mission that completes or hands over to a successor "
        "inside the window is silently a 0. The competing-risks model (`peaceops.forecast."
        "competing`) gives each mission-month one of three outcomes from the corrected end "
        "registry: forced out within the month (the same event), ended otherwise within the "
        "month (completed, transition, ended by the Council, other), or neither; a multinomial "
        f"logistic regression (scikit-learn, lbfgs, the hazard model's C = {C}, fixed before "
        "it was scored) on the months whose outcome was known at the origin. Its forecast is "
        "the cumulative incidence of a forced exit over the horizon, "
        "sum over k < h of (1 - p_exit - p_other)^k p_exit, the month's probabilities held at "
        "the origin's features. The last two columns are the same model with the other ends "
        "ignored: what counting them as competing outcomes changes.",
        "",
        "| horizon | forecasts ended otherwise in the window (missions) | hazard Brier | "
        "competing Brier | competing skill (95%) | AUC hazard / competing | top 3 hazard / "
        "competing | mean p (other ends ignored) | p lowered by (at most) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, h in horizons.items():
        hz, cr, eff = h["models"]["hazard"], h["models"]["competing_risks"], h["competition"]
        lines.append(
            f"| {key} months | {eff['ended_otherwise']} ({eff['missions_ended_otherwise']}) | "
            f"{_f(hz['brier'], 5)} | {_f(cr['brier'], 5)} | {_skill_cell(cr)} | "
            f"{_f(hz['auc'], 3)} / {_f(cr['auc'], 3)} | {hz['top_k']['top_3']} / "
            f"{cr['top_k']['top_3']} of {cr['top_k']['events']} | "
            f"{eff['mean_probability']:.4f} ({eff['mean_probability_ignoring_other_ends']:.4f}) | "
            f"{eff['reduction']:.1%} ({eff['max_reduction']:.0%}) |"
        )
    return [*lines, "", "**Does it change anything?** " + _competing_verdict(doc), ""]


def _mandate_section(doc: dict) -> list[str]:
    """The closing note on the paper's question: do the mandate features add skill? (#31)."""
    horizons = {k: h for k, h in (doc.get("horizons") or {}).items() if "mandate_features" in h}
    if not horizons:
        return []
    lines = [
        "### Do the mandate features add skill?",
        "",
        "The hazard model's Brier score minus the mandate-blind model's (the same model without "
        "the features coded from the texts), 95% interval over missions: negative means the "
        "mandate features improve the forecast.",
        "",
        "| horizon | hazard minus mandate-blind Brier (95%) | the mandate features |",
        "|---|---|---|",
    ]
    verdicts = {}
    for key, h in horizons.items():
        d = h["mandate_features"]
        verdicts[key] = ("add skill" if d["high"] < 0 else "make it worse" if d["low"] > 0
                         else "no demonstrated difference")  # fmt: skip
        lines.append(f"| {key} months | {_interval(d)} | {verdicts[key]} |")
    tried = [f"`{t['trial']}` {_interval(t['vs_own_blind'])}" for t in doc.get("trials", [])]
    only = next((a for a in doc.get("ablations", []) if a["ablation"] == "mandate_only"), None)
    adds = [k for k, v in verdicts.items() if v == "add skill"]
    worse = [k for k, v in verdicts.items() if v == "make it worse"]
    plainly = (
        f"they add skill at {', '.join(k + ' months' for k in adds)}" if adds
        else "they add skill at no horizon"
    ) + (f", and make the forecast worse at {', '.join(k + ' months' for k in worse)}"
         if worse else "")  # fmt: skip
    lines += [
        "",
        f"**Plainly: {plainly}.** "
        + (f"The mandate features alone (ablation `mandate_only`) score a Brier skill of "
           f"{_skill_cell(only)} against the base rate at 12 months. " if only else "")
        + ("Each other specification tried, against its own fit without the mandate features "
           "(negative: the mandate features help): " + "; ".join(tried) + "." if tried else ""),
        "",
    ]  # fmt: skip
    return lines


def _beats(score: dict) -> bool:
    return (score.get("brier_skill_interval") or [0.0])[0] > 0


def _compared(mine: float | None, theirs: float | None) -> str:
    if mine is None or theirs is None or mine == theirs:
        return "no better"
    return "better" if mine > theirs else "worse"


def _competing_verdict(doc: dict) -> str:
    """What counting the other ends as competing outcomes changed, in plain words."""
    horizons = doc["horizons"]
    out = []
    twelve = horizons.get("12")
    if twelve:
        eff, models = twelve["competition"], twelve["models"]
        hz, cr = models["hazard"], models["competing_risks"]
        out.append(
            f"At 12 months the other ends lower the month model's forced-exit probabilities by "
            f"{eff['reduction']:.1%} on average (its Brier score "
            f"{eff['brier_ignoring_other_ends']:.5f} -> {eff['brier']:.5f}). Beside the binary "
            f"hazard model it ranks the events {_compared(cr['auc'], hz['auc'])} (AUC "
            f"{_f(cr['auc'], 3)} against {_f(hz['auc'], 3)}; top 3: {cr['top_k']['top_3']} "
            f"against {hz['top_k']['top_3']} of {cr['top_k']['events']})."
        )
        base = models.get("base_rate", {}).get("brier")
        if base and abs(cr["brier"] / base - 1) < 0.05:
            out.append(
                f"Its Brier score, {cr['brier']:.5f}, is close to the base rate's {base:.5f}: with "
                "the same penalty on month rows, which carry about a twelfth of a window's "
                "events, it stays near the base rate."
            )
    d = doc["brier_difference"].get("competing_risks")
    if d:
        which = ("the competing-risks model scores better (the interval excludes 0)"
                 if d["low"] > 0 else "the hazard model scores better (the interval excludes 0)"
                 if d["high"] < 0 else "no demonstrated difference")  # fmt: skip
        out.append(f"The hazard model's Brier minus the competing-risks model's: {_interval(d)}, "
                   f"{which}.")  # fmt: skip
    beats = [k for k, h in horizons.items() if _beats(h["models"]["competing_risks"])]
    anyone = [f"{m} at {k} months" for k, h in horizons.items()
              for m, s in {**h["models"], **h["ablations"]}.items() if _beats(s)]  # fmt: skip
    if beats:
        out.append("It beats the base rate at " + ", ".join(f"{k} months" for k in beats) + ".")
    elif anyone:
        out.append("It beats the base rate at no horizon (" + ", ".join(anyone) + " does).")
    else:
        out.append("It beats the base rate at no horizon, and no model or ablation here does at "
                   "any horizon: the competing outcomes move the probabilities, not the "
                   "conclusion.")  # fmt: skip
    return " ".join(out)


def _skill_verdict(score: dict) -> str:
    """Whether a Brier skill's interval lies above 0 (beats the base rate), below, or across."""
    if score.get("brier_skill") is None:
        return "no skill score"
    low, high = score["brier_skill_interval"]
    cell = _skill_cell(score)
    if low > 0:
        return f"skill {cell}, **beats** the base rate"
    if high < 0:
        return f"skill {cell}, **worse than** the base rate"
    return f"skill {cell}, **not distinguishable** from the base rate"


def markdown(report: BacktestReport, today: Forecast, *, figure: str | None) -> str:
    """The page, with ``figure`` (a file name beside it) as the reliability diagram."""
    doc = report.to_dict()
    sim = doc["simulation"]
    origins = doc["origins"]
    lines = [
        "# Forecast: a host-forced exit within 12 months",
        "",
        "Generated by `peaceops forecast backtest` (model "
        f"`{MODEL_VERSION}`, panel `{PANEL_VERSION}`); do not edit by hand. Every probability "
        "on this page is a **model output, not an observation**. The same run writes the skill "
        "machine-readable to `src/peaceops/forecast/backtest-summary.json` (`--summary`), read "
        "by `peaceops.forecast.summary` for the line shown beside every forecast.",
        "",
        "## What is forecast",
        "",
        f"For each UN peacekeeping operation and special political mission at risk at the start "
        f"of a month, the probability that its host government forces it out within the next "
        f"{HORIZON_MONTHS} months: the host's first formal request that the mission leave or end "
        "(`mission_ends.host_request_date`), or, for a mission forced out without a request "
        "(UNMEE, Eritrea's restrictions), the end of its mandate. A mission leaves the risk set at "
        "that event; missions still deployed after their host asked (MONUSCO since September "
        "2023, UNAMI since May 2024) are listed apart, not forecast. The outcomes and their "
        "sources are in [mission-ends.md](mission-ends.md).",
        "",
        "## How",
        "",
        "A discrete-time hazard model: L2-regularised logistic regression (scikit-learn, "
        f"C = {C}, fixed before the backtest; features standardised on the training months) on "
        "mission-months. Each month's features are read from rows dated on or before its first "
        "day (yearly Council figures: the previous complete year); `tests/test_forecast.py` cuts "
        "the store at an origin (`peaceops.forecast.truncate`) and gets identical features. "
        "Sources that stopped (personnel 2017, fatalities 2015, the text of most renewals after "
        "2016) are carried forward from their last month and marked in every output.",
        "",
        "| feature | group | meaning |",
        "|---|---|---|",
        *[f"| `{f.name}` | {f.group} | {f.label} |" for f in FEATURES],
        "",
        f"**Rolling origin.** Origins on 1 January of {origins[0]}-{origins[-1]}. At each origin "
        "the models are fitted only on months whose 12-month outcome window had closed by then, "
        "and forecast the missions at risk on that day. With fewer than "
        f"{MIN_EVENTS} missions forced out among the training months, a model cannot be "
        "estimated and predicts the base rate (origins marked *fallback* below). Baselines: the "
        "base rate; the same model without the mandate features (mandate-blind); and the "
        "simulation's probability of a first host request in the window, run on a copy of the "
        f"store cut at the origin ({sim['seeds']} runs per mission and origin).",
        "",
        "## Backtest",
        "",
        f"**{doc['forecasts']} forecasts** (mission x origin), **{doc['event_count']} with the "
        f"outcome**, from {len(doc['missions_with_event'])} missions: "
        f"{', '.join(doc['missions_with_event'])}. The evidence is thin: a handful of events, "
        "so every difference below comes with a bootstrap interval over missions "
        f"({report.resamples} resamples, seed {report.seed}); read the intervals, not the "
        "point estimates.",
        "",
        *_scores_table(doc["scores"], doc["brier_difference"]),
        "",
        f"The hazard model {_verdict(doc['brier_difference'], 'base_rate')}; it "
        f"{_verdict(doc['brier_difference'], 'mandate_blind')}. A negative difference in the last "
        "column means the baseline scores worse than the hazard model.",
        "",
    ]
    if sim["forecasts"] == doc["forecasts"]:
        lines += [
            "The simulation gave a probability for every forecast (its row above).",
            "",
        ]
    elif sim["forecasts"]:
        lines += [
            f"**Against the simulation**, on the {sim['forecasts']} forecasts where a scenario "
            "exists and the mission is not one the simulation was calibrated on (MINUSMA, "
            f"MONUSCO, UNAMA: left out) ({sim['event_count']} with the outcome):",
            "",
            *_scores_table(sim["scores"], sim["brier_difference"]),
            "",
            f"The hazard model {_verdict(sim['brier_difference'], 'simulation')}.",
            "",
        ]
    lines += _skill_section(doc)
    lines += _horizons_section(doc)
    lines += _competing_section(doc)
    lines += _mandate_section(doc)
    lines += [
        "### Other specifications tried",
        "",
        "The primary specification above was fixed and scored first. These were tried after, "
        "and are reported here whatever they gave; none replaces it (choosing the best of them "
        "on this backtest would score the choice on the data that made it).",
        "",
        "| trial | what | Brier | AUC | minus base rate's Brier (95%) | "
        "minus its own mandate-blind fit's (95%) |",
        "|---|---|---|---|---|---|",
        *[
            f"| {t['trial']} | {t['description']} | {_f(t['brier'], 5)} | {_f(t['auc'], 3)} | "
            f"{_interval(t['vs_base_rate'])} | {_interval(t['vs_own_blind'])} |"
            for t in doc["trials"]
        ],
        "",
        "Negative: the trial's Brier score is lower (better) than the comparison's.",
        "",
        "### Reliability",
        "",
    ]
    if figure:
        lines += [f"![Reliability diagram of the hazard model]({figure})", ""]
    lines += [
        "| forecast bin | forecasts | mean forecast | observed share | 95% interval (Wilson) "
        "| events |",
        "|---|---|---|---|---|---|",
        *[
            f"| {b['bin']} | {b['forecasts']} | {_f(b['mean_forecast'])} | "
            f"{_f(b['observed'])} | {_f(b.get('observed_low'))}-{_f(b.get('observed_high'))} | "
            f"{b['events']} |"
            for b in doc["reliability"]
        ],
        "",
        "The interval treats a bin's forecasts as independent; a mission's forecasts are not, so "
        "the true uncertainty is wider.",
        "",
        "### Per origin",
        "",
        "| origin | missions at risk | events in the next 12 months | missions forced out in "
        "training | model |",
        "|---|---|---|---|---|",
        *[
            f"| {o['origin']} | {o['at_risk']} | {o['events']} | {o['training_events']} | "
            f"{'fallback (base rate)' if o['fallback'] else 'fitted'} |"
            for o in doc["per_origin"]
        ],
        "",
        *_forecast_section(today),
        "## Doubts",
        "",
        "- Nine or so events in three decades: no model can be judged precisely on them, and the "
        "intervals above say how little is known.",
        "- The consent events (`events.csv`) were curated for the paper's missions, with "
        "hindsight; missions that ended badly have more recorded events. A feature built from "
        "them can look informative because of who was curated, which no truncation can remove.",
        "- Personnel and fatality series end in 2017 and 2015, and most renewals after 2016 have "
        "no text in the data: recent months carry old values (marked `carried`).",
        "- The outcome is a formal request; pressure that never became one (South Sudan, Mali "
        "before 2023) is an outcome of 0.",
        "",
    ]
    return "\n".join(lines)


def _forecast_section(today: Forecast) -> list[str]:
    lines = [
        f"## Forecast on {today.as_of.isoformat()}",
        "",
        f"Features as of {today.month.isoformat()}; fitted on {today.training_rows} months "
        f"({today.training_events} missions forced out); 90% interval from refits on resampled "
        "missions. The drivers are the three largest contributions in log-odds relative to an "
        "average training month (+ raises the risk). *Model output, not observed.*",
        "",
        "| mission | probability (12 months) | 90% interval | drivers | carried forward |",
        "|---|---|---|---|---|",
    ]
    for m in today.missions:
        drivers = "; ".join(f"`{d['feature']}` {d['log_odds']:+.2f}" for d in m.drivers) or "-"
        carried = (
            ", ".join(s for s, fs in SOURCE_FEATURES.items() if set(fs) & set(m.carried)) or "-"
        )
        lines.append(
            f"| {m.mission} | {m.probability:.3f} | {m.low:.3f}-{m.high:.3f} | {drivers} | "
            f"{carried} |"
        )
    if today.requested:
        asked = ", ".join(f"{r['mission']} ({r['host_request_date']})" for r in today.requested)
        lines += ["", f"Host already asked the mission to leave (not forecast): {asked}."]
    return [*lines, ""]
