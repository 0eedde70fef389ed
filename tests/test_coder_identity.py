"""The coder as a package of registered rules (#32) gives coder v8.1's codes, code for code.

``golden/codes-v8.1.tsv.gz`` holds every code coder v8.1 (``coder.py`` before #32) gave when it
coded all the stored texts: resolution, paragraph, task, modality, verb, strength, span and
mission. A change of rules that is meant to change codes rewrites it in the same commit
(``write_golden`` below), with the reason in the commit message.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from peaceops.coding.coder import CODER, RuleCoder
from peaceops.coding.rules import CODER_BASE, RuleSet
from peaceops.coding.run import code_in_memory

GOLDEN = Path(__file__).parent / "golden" / "codes-v8.1.tsv.gz"
_COLUMNS = ["resolution", "paragraph", "task", "modality", "verb", "strength", "start", "end",
            "mission"]  # fmt: skip


def _lines(codes: pd.DataFrame) -> list[str]:
    """One tab-separated line per code, in the golden file's layout."""
    out = []
    for row in codes[_COLUMNS].itertuples(index=False):
        r, p, t, m, v, s, a, b, mi = row
        strength = "|".join(s) if s is not None and len(s) else ""
        out.append("\t".join(map(str, (r, p, t, m, _text(v), strength, a, b, _text(mi)))))
    return out


def _text(value: object) -> str:
    """A nullable text column as the golden file writes it ("" for NULL)."""
    return "" if value is None or pd.isna(value) else str(value)


def _golden() -> list[str]:
    return gzip.decompress(GOLDEN.read_bytes()).decode().splitlines()[1:]


def _differences(expected: list[str], got: list[str]) -> str:
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    return (
        f"{len(missing)} codes of v8.1 missing, {len(extra)} new; first missing: "
        f"{missing[:5]}; first new: {extra[:5]}"
    )


def write_golden(codes: pd.DataFrame) -> None:  # pragma: no cover - run by hand, see above
    header = "\t".join(_COLUMNS)
    data = "\n".join([header, *_lines(codes)]) + "\n"
    with gzip.GzipFile(GOLDEN, "wb", mtime=0) as f:
        f.write(data.encode())


@pytest.mark.issue(32)
def test_issue32_coding_all_texts_gives_the_codes_of_v8_1(db):
    got = _lines(db.execute("SELECT * FROM codes"))
    expected = _golden()
    assert sorted(got) == sorted(expected), _differences(expected, got)
    assert len(got) == len(expected) == 5641


@pytest.mark.issue(32)
def test_issue32_the_codes_come_in_v8_1s_order(db):
    """Coding in memory (one process) gives the stored codes in the order v8.1 gave them."""
    codes = code_in_memory(db, workers=1)
    assert _lines(codes) == _golden()
    assert set(codes["coder"]) == {CODER}


def test_every_stored_code_records_the_version_of_the_rule_set(db):
    assert db.scalar("SELECT count(DISTINCT coder) FROM codes") == 1
    assert db.scalar("SELECT min(coder) FROM codes") == CODER == RuleSet.full().version
    assert CODER.startswith(CODER_BASE + "+")
    assert db.scalar("SELECT min(coder) FROM coding_runs") == CODER


def test_a_coder_without_rules_records_another_version():
    coder = RuleCoder().initialize(missions=["UNTEST"], without=["scope.condemned"])
    assert coder.name != CODER and coder.name.startswith(CODER_BASE + "+")
    assert "scope.condemned" not in coder.rules and "scope.praised" in coder.rules
    result = coder.predict(
        1, "The Security Council,\n\n1. Requests UNTEST to monitor the ceasefire;\n"
    )
    assert {c.coder for c in result.codes} == {coder.name}
