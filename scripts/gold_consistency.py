"""How consistently PEMA codes a paragraph the Council repeats word for word (issue #16).

A mission's resolutions often repeat an operative paragraph verbatim (dates and numbers
aside). For each such paragraph coded with a task at least once, this counts how often PEMA
codes that task in some repetitions and not in others: a floor on the disagreement any coder
that reads only the words must have with PEMA on those paragraphs.

    .venv/bin/python scripts/gold_consistency.py [--db out/peaceops.duckdb] [--release raw_v2]

Only the resolutions the store has a text for, and only gold cells that cite a paragraph of
the resolution itself, are read; the figures are printed, not stored.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict

from peaceops.coding import crossval
from peaceops.coding.evaluate import PARTIALITY_TASKS
from peaceops.sources.base import resolve_data_dir
from peaceops.store.database import Database

_NUMBERS = re.compile(r"\d+")
_LABEL = re.compile(r"^\s*\d+\.\s*")


def _normal(text: str) -> str:
    """The paragraph's words without its number, digits or layout."""
    return " ".join(_NUMBERS.sub("#", _LABEL.sub("", text)).lower().split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="out/peaceops.duckdb")
    parser.add_argument("--release", default="raw_v2", choices=["raw_v2", "v1.2"])
    args = parser.parse_args()
    gold = crossval.read_golds(resolve_data_dir() / "mandates" / "pema-dev")[args.release]
    gold = gold[~gold["inherited"].astype(bool) & gold["document"].isna()]
    gold = gold[gold["paragraph"].notna()]
    with Database(args.db) as db:
        texts = dict(db.tuples("SELECT number, text FROM resolutions WHERE has_text"))
        rows = db.tuples(
            "SELECT resolution, label, start, \"end\" FROM paragraphs WHERE kind = 'operative' "
            "AND depth = 0"
        )
    mission_of = gold.groupby("resolution")["mission"].first().to_dict()
    number = gold["paragraph"].astype(str).str.extract(r"^(\d+)")[0]
    coded = defaultdict(set)  # (resolution, paragraph number) -> tasks PEMA codes there
    for r, n, task in zip(gold["resolution"], number, gold["task"], strict=True):
        coded[(int(r), n)].add(task)
    groups = defaultdict(list)  # (mission, words) -> [(resolution, number)]
    for r, label, start, end in rows:
        if r in mission_of and r in texts:
            words = _normal(texts[r][start:end])
            if len(words) > 80:  # a substantive paragraph, not "Decides to remain seized"
                groups[(mission_of[r], words)].append((r, label))
    repeated = {key: places for key, places in groups.items() if len(places) > 1}
    print(f"{args.release}: {len(repeated)} paragraphs repeated verbatim within a mission")
    for name, tasks in (("partiality tasks", set(PARTIALITY_TASKS)), ("all tasks", None)):
        split = total = 0
        examples = []
        for (mission, _), places in repeated.items():
            seen = [coded.get((r, label), set()) for r, label in places]
            for task in set().union(*seen):
                if tasks is not None and task not in tasks:
                    continue
                total += 1
                if not all(task in s for s in seen):
                    split += 1
                    where = [
                        f"{r}{'+' if task in s else '-'}"
                        for (r, _), s in zip(places, seen, strict=True)
                    ]
                    examples.append(f"{mission} {task}: {' '.join(where)}")
        share = split / total if total else float("nan")
        print(
            f"  {name}: {total} (paragraph, task) pairs coded at least once; PEMA codes "
            f"{split} ({share:.0%}) in some repetitions and not in others"
        )
        for line in examples[:12]:
            print("    ", line)


if __name__ == "__main__":
    main()
