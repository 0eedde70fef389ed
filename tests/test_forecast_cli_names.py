"""The forecast table in words (#30): feature names whole, values beside their log-odds."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.forecast.names import FEATURE_NAMES, carried_text, feature_name
from peaceops.forecast.panel import FEATURES, MANDATE_FEATURES


def test_every_feature_has_a_name_in_words():
    assert set(FEATURE_NAMES) == {f.name for f in FEATURES}
    assert all("_" not in name for name in FEATURE_NAMES.values())
    assert feature_name("a_new_feature") == "a new feature"  # never cut at an underscore


def test_the_mandate_terms_carried_read_as_one_item():
    mandate = list(MANDATE_FEATURES)
    assert carried_text([*mandate, "log_fatalities_12m"]) == (
        f"the mandate's terms ({len(mandate)} features); peacekeepers killed, 12 m"
    )
    assert carried_text(["chapter_vii"]) == "Chapter VII"  # one mandate feature: by its name


def test_the_table_shows_no_raw_feature_name(built_db):
    args = ["forecast", "--as-of", "2025-06-30", "--resamples", "0", "--db", str(built_db)]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    raw = {f.name for f in FEATURES if "_" in f.name}
    assert not raw & set(re.findall(r"[a-z]+(?:_[a-z0-9]+)+", result.output))
    assert re.search(r"= [-0-9.e]+ \([+-]\d\.\d\d\)", result.output)  # value (log-odds)
