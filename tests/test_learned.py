"""The learned task proposer (issue #32): what it proposes, where, with what evidence, and what
it may never see while fitting (lockbox and held-out missions)."""

from pathlib import Path

import pandas as pd
import pytest

from peaceops.coding import learned_features
from peaceops.coding.learned import (
    LEARNED_BASE,
    TaskProposer,
    fit_fold,
    learned_codes,
    learned_name,
)
from peaceops.coding.learned_features import (
    LOCKBOX,
    Corpus,
    clauses,
    gold_labels,
    paragraph_units,
    read_corpus,
)
from peaceops.coding.pema import read_pema_gold
from peaceops.errors import CodingError

pytestmark = pytest.mark.issue(32)
RULES = "peaceops.rule_coder.v0+feedc0de"

# invented paragraphs: the rules code the ceasefire; PEMA also codes reconciliation where
# the Council asks for dialogue between communities, which no rule reads
DIALOGUE = (
    "1. Requests the Mission to monitor the ceasefire between the parties and to promote "
    "national dialogue and reconciliation among all communities;"
)
BORDER = "2. Requests the Mission to monitor the ceasefire along the border and to report on it;"
CALLS = (
    "3. Calls upon the parties to promote national dialogue and reconciliation among all "
    "communities;"
)


def _resolution(number: int, paragraphs: list[str], coded: list[int]):
    """Text, paragraph rows and rule codes (Ceasefire in paragraphs ``coded``) of one text."""
    text, rows, codes = "The Security Council,\n\n", [], []
    for i, body in enumerate(paragraphs, start=1):
        start = len(text)
        text += body + "\n\n"
        rows.append((number, "operative", str(i), None, start, start + len(body)))
        if i in coded:
            at = text.index("monitor the ceasefire", start)
            codes.append((number, str(i), "Ceasefire", "Monitor", "requests", [], at, at + 21,
                          text[at : at + 21], "neutral", RULES, "MISSION"))  # fmt: skip
    return text, rows, codes


def _corpus(resolutions: dict[int, tuple[list[str], list[int]]]) -> Corpus:
    texts, rows, codes = {}, [], []
    for number, (paragraphs, coded) in resolutions.items():
        texts[number], r, c = _resolution(number, paragraphs, coded)
        rows += r
        codes += c
    columns = ["resolution", "paragraph", "task", "modality", "verb", "strength", "start", "end",
               "quote", "partiality", "coder", "mission"]  # fmt: skip
    return Corpus(
        texts,
        pd.DataFrame(rows, columns=["resolution", "kind", "label", "parent", "start", "end"]),
        pd.DataFrame(codes, columns=columns),
        RULES,
    )


def _gold(labels: dict[tuple[int, str], list[str]], mission: str = "MISSION") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "release": "pema_raw_v2",
                "mission": mission,
                "resolution": r,
                "year": 2000,
                "task": t,
                "modality": "Assist",
                "paragraph": p,
                "document": pd.NA,
                "inherited": False,
                "source_resolution": pd.NA,
                "cell_text": p,
            }
            for (r, p), tasks in labels.items()
            for t in tasks
        ]
    ).astype({"paragraph": "string", "document": "string", "task": "string"})


@pytest.fixture(scope="module")
def trained():
    """A proposer fitted on 12 invented resolutions; two more to code."""
    train = {n: ([DIALOGUE, BORDER], [1, 2]) for n in range(1, 13)}
    gold = _gold(
        {**{(n, "1"): ["Ceasefire", "Reconcil"] for n in train},
         **{(n, "2"): ["Ceasefire"] for n in train}}
    )  # fmt: skip
    corpus = _corpus({**train, 100: ([BORDER, DIALOGUE], [1, 2]), 101: ([DIALOGUE, BORDER], [2])})
    units = paragraph_units(corpus, list(train)).assign(mission="MISSION")
    proposer = TaskProposer(seed=0).fit(units, gold_labels(units, gold), rules=RULES)
    return corpus, proposer


def _propose(corpus, proposer, numbers, threshold=0.5):
    units = paragraph_units(corpus, numbers)
    return proposer.propose(units, corpus.texts, corpus.paragraphs, threshold=threshold)


def test_it_proposes_a_task_the_rules_miss_in_a_paragraph_they_coded(trained):
    corpus, proposer = trained
    codes = _propose(corpus, proposer, [100])
    assert codes[["paragraph", "task", "mission"]].values.tolist() == [["2", "Reconcil", "MISSION"]]
    code = codes.iloc[0]
    assert code["coder"] == learned_name(RULES) == f"{LEARNED_BASE}+feedc0de"
    assert code["modality"] == "Assist" and code["partiality"] == "even-handed"
    assert "reconciliation" in code["quote"]  # the clause with the task's heaviest words
    assert "Ceasefire" not in set(codes["task"])  # the rules coded it already


def test_it_never_proposes_for_a_paragraph_the_rules_did_not_address(trained):
    corpus, proposer = trained
    # S/RES/101's paragraph 1 has the dialogue words but no rule code (not addressed)
    assert _propose(corpus, proposer, [101]).empty
    units = paragraph_units(corpus, [101])
    assert proposer.predict_proba(units.iloc[[0]])[0, list(proposer.tasks).index("Reconcil")] > 0.5
    # a paragraph that addresses the parties only: coded by no rule, so nothing proposed
    extra = _corpus({200: ([BORDER, CALLS], [1])})
    assert _propose(extra, proposer, [200]).empty


def test_every_proposed_span_selects_its_quote(trained):
    corpus, proposer = trained
    codes = _propose(corpus, proposer, [100, 101], threshold=0.01)
    assert len(codes)
    for row in codes.itertuples():
        assert corpus.texts[row.resolution][row.start : row.end] == row.quote
        assert row.quote == row.quote.strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a; b: c. d", ["a;", "b:", "c.", "d"]),
        ("  lead (a) x;\n(b) y  ", ["lead (a) x;", "(b) y"]),
        ("   ", ["   "]),  # nothing to trim to: the span itself
    ],
)
def test_clauses_are_trimmed_spans_of_the_text(text, expected):
    assert [text[a:b] for a, b in clauses(text, 0, len(text))] == expected


def test_the_same_seed_gives_the_same_codes(trained):
    corpus, proposer = trained
    train = list(range(1, 13))
    units = paragraph_units(corpus, train).assign(mission="MISSION")
    labels = [frozenset({"Ceasefire", "Reconcil"}) if u == "1" else frozenset({"Ceasefire"})
              for u in units["top"]]  # fmt: skip
    again = TaskProposer(seed=0).fit(units, labels, rules=RULES)
    first = _propose(corpus, proposer, [100, 101], threshold=0.2)
    second = _propose(corpus, again, [100, 101], threshold=0.2)
    pd.testing.assert_frame_equal(first, second)


@pytest.mark.parametrize("mission", sorted(LOCKBOX))
def test_fitting_refuses_a_lockbox_mission(trained, mission):
    corpus, _ = trained
    units = paragraph_units(corpus, [1, 2]).assign(mission=["MISSION"] * 2 + [mission] * 2)
    labels = [frozenset({"Ceasefire"})] * 4
    with pytest.raises(CodingError, match="lockbox and held-out missions may not be trained on"):
        TaskProposer().fit(units, labels)


def test_fitting_refuses_a_held_out_mission(trained):
    corpus, _ = trained
    units = paragraph_units(corpus, [1, 2, 3, 4]).assign(mission="MISSION")
    labels = [frozenset({"Ceasefire"}), frozenset()] * 4
    TaskProposer().fit(units, labels, held_out=["OTHER"])
    with pytest.raises(CodingError, match=r"\['MISSION'\]"):
        TaskProposer().fit(units, labels, held_out=["MISSION"])


def test_the_lockbox_is_the_sealed_file():
    path = Path(learned_features.__file__).with_name("lockbox.csv")
    assert set(pd.read_csv(path)["mission"]) == LOCKBOX and len(LOCKBOX) == 11


def test_labels_match_a_sub_paragraph_to_its_top_level_paragraph(trained):
    corpus, _ = trained
    units = paragraph_units(corpus, [1])
    gold = _gold({(1, "1(a)(ii)"): ["Gender"], (1, "2"): ["Demining"]})
    other = gold.assign(document="S/2000/1")  # a paragraph of a report: no label
    assert gold_labels(units, gold) == [frozenset({"Gender"}), frozenset({"Demining"})]
    assert gold_labels(units, other) == [frozenset(), frozenset()]


def test_learned_codes_add_the_proposals_of_a_model_fitted_without_the_held_out_missions():
    # five invented missions, one per fold, four resolutions each; the rules never code
    # Reconcil, which PEMA codes in every dialogue paragraph
    missions = {f"M{k}": range(10 * k, 10 * k + 4) for k in range(1, 6)}
    corpus = _corpus({n: ([DIALOGUE, BORDER], [1, 2]) for ns in missions.values() for n in ns})
    corpus = Corpus(corpus.texts, corpus.paragraphs, corpus.codes.assign(mission=None), RULES)
    gold = pd.concat(
        [_gold({**{(n, "1"): ["Ceasefire", "Reconcil"] for n in ns},
                **{(n, "2"): ["Ceasefire"] for n in ns}}, mission=m)
         for m, ns in missions.items()], ignore_index=True,
    )  # fmt: skip
    folds = pd.DataFrame({"mission": list(missions), "fold": range(1, 6)})
    codes = learned_codes(corpus, gold, ["M1"], folds=folds)
    proposed = codes[codes["coder"] == learned_name(RULES)]
    assert sorted(proposed["resolution"]) == list(missions["M1"])  # none in training texts
    assert set(proposed["task"]) == {"Reconcil"} and set(proposed["paragraph"]) == {"1"}
    assert len(codes) == len(corpus.codes) + len(proposed)
    model = fit_fold(corpus, gold, ["M1"], folds=folds)
    assert model.inner[(model.C, model.threshold)] > model.inner["rules"]
    assert set(model.missions) == {"M2", "M3", "M4", "M5"}


@pytest.mark.slow
def test_a_fold_model_never_sees_its_held_out_missions(db, data_dir):
    gold = read_pema_gold(data_dir / "mandates" / "pema-dev" / "pema_raw_v2_dev.csv")
    corpus = read_corpus(db)
    held_out = ["MONUSCO", "UNTAC"]
    model = fit_fold(corpus, gold, held_out, c_grid=(1.0,), thresholds=(0.9,),
                     propose_nothing=False)  # fmt: skip
    sealed = LOCKBOX | set(held_out)
    assert model.missions and not set(model.missions) & sealed
    assert model.proposer is not None and not model.proposer.missions & sealed
    unseen = set(gold.loc[gold["mission"].isin(sealed), "resolution"])
    assert unseen and not model.resolutions & unseen
    codes = model.propose(corpus)
    assert set(codes["coder"]) <= {learned_name(corpus.rules)}
    assert not set(codes["resolution"]) & model.resolutions
    for row in codes.itertuples():
        assert corpus.texts[row.resolution][row.start : row.end] == row.quote
