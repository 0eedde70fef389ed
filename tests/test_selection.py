"""Nested rule selection (#32): rules kept or dropped on training folds only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peaceops.coding.crossval import read_golds, read_lockbox
from peaceops.coding.selection import _gold_numbers, rule_effects, select

pytestmark = pytest.mark.issue(32)


def _effects(rows: dict[str, list[float]]) -> pd.DataFrame:
    frames = [
        pd.DataFrame({"rule": rule, "fold": range(1, len(effects) + 1), "effect": effects})
        for rule, effects in rows.items()
    ]
    return pd.concat(frames, ignore_index=True)


def test_a_rule_is_dropped_only_when_the_training_folds_say_it_hurts():
    effects = _effects(
        {
            "helps": [0.02, 0.01, 0.0, 0.03, 0.01],
            "neutral": [0.0, 0.0, 0.0, 0.0, 0.0],
            "hurts": [-0.01, -0.02, 0.0, -0.01, 0.005],
            "hurts_on_5_only": [0.0, 0.0, 0.0, 0.0, -0.2],
            "mixed": [0.01, -0.03, 0.0, 0.0, 0.0],
        }
    )
    assert select(effects, [1, 2, 3, 4, 5]) == ["hurts", "hurts_on_5_only", "mixed"]
    # outer fold 5 held out: what hurts only there is not seen, so it is kept
    assert select(effects, [1, 2, 3, 4]) == ["hurts", "mixed"]
    # outer fold 2 held out: "mixed" then helps on the folds it is chosen on
    assert select(effects, [1, 3, 4, 5]) == ["hurts", "hurts_on_5_only"]
    nan = _effects({"unscored": [float("nan"), -0.01, 0.0, 0.0, 0.0]})
    assert select(nan, [1]) == [] and select(nan, [1, 2]) == ["unscored"]


@pytest.fixture(scope="module")
def golds(data_dir: Path) -> dict[str, pd.DataFrame]:
    return read_golds(data_dir / "mandates/pema-dev")


def test_the_selection_codes_no_lockbox_resolution(golds):
    numbers = set(_gold_numbers(golds))
    raw = golds["raw_v2"]
    sealed = set(raw.loc[raw["mission"].isin(read_lockbox()), "resolution"].astype(int))
    assert numbers and not numbers & sealed


def test_a_rule_the_coder_needs_shows_a_positive_effect_on_every_fold(db, golds):
    effects = rule_effects(db, golds, ["designator.acronym", "address.watched"], workers=1)
    acronym = effects[effects["rule"] == "designator.acronym"]
    assert len(acronym) == 5 and (acronym["effect"] > 0.1).all()
    watched = effects.loc[effects["rule"] == "address.watched", "with"]
    assert acronym["with"].tolist() == watched.tolist()  # one baseline for every rule
    assert "designator.acronym" not in select(effects, [1, 2, 3, 4, 5])
