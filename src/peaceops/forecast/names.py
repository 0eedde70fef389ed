"""The forecast's features in a few words, for tables (the CLI's, the explorer's).

The labels in full are in ``forecast.panel.FEATURES`` (the JSON, docs/forecast.md); these
are short enough for a table cell, and never a raw name cut at an underscore (#30).
"""

from __future__ import annotations

#: Each feature of the forecast in a few words, for the table (the labels in full are in
#: ``forecast.panel.FEATURES``). A test checks that it covers them all.
FEATURE_NAMES = {
    "partial_terms": "partial terms",
    "evenhanded_terms": "even-handed terms",
    "partiality": "partiality of the mandate",
    "stabilization": "stabilization task",
    "offensive": "offensive task",
    "named_targets": "named armed groups",
    "chapter_vii": "Chapter VII",
    "log_strength": "uniformed strength",
    "strength_change": "strength change, 12 m",
    "log_fatalities_12m": "peacekeepers killed, 12 m",
    "regime_change_24m": "coups, 24 m",
    "partner_present": "outside security partner",
    "consent_events": "consent events",
    "consent_events_12m": "consent events, 12 m",
    "fragmentation": "Council fragmentation",
    "vetoes_on_host_24m": "vetoes on the host, 24 m",
    "log_age": "mission age",
    "pko": "peacekeeping operation",
}


def feature_name(feature: str) -> str:
    """A feature in a few words (#30: the table cut names at their first underscore)."""
    return FEATURE_NAMES.get(feature, feature.replace("_", " "))


def carried_text(features: list[str]) -> str:
    """The carried-forward features in words, the mandate's terms as one item."""
    from peaceops.forecast.panel import MANDATE_FEATURES  # pandas: only when there is one

    mandate = [f for f in features if f in MANDATE_FEATURES]
    if len(mandate) < 2:
        return "; ".join(feature_name(f) for f in features)
    others = [feature_name(f) for f in features if f not in MANDATE_FEATURES]
    return "; ".join([f"the mandate's terms ({len(mandate)} features)", *others])
