"""The coder's cost grows linearly with a paragraph's length (issue #27, item 11).

Before #27, 100 / 200 / 400 KB in one operative paragraph took 4.8 / 15.4 / 57.7 s: several
rules searched backwards from every task word to the paragraph's (or the clause's) start. The
texts here are built from mandate sentences in the words of S/RES/2098 (2013) and similar
resolutions, repeated into one paragraph; CPU time (not wall time: the machine is shared) of a
paragraph ten times longer must be at most about ten times higher.
"""

import re
import time

import pytest

from peaceops.coding.coder import RuleCoder

#: sentences of a mandate, as the Council writes them (S/RES/2098 (2013) paragraph 12 and
#: others), with the words the rules read: Council acts, designators, task words, statements,
#: reports, cooperation, named and generic armed groups
SENTENCES = (
    "Requests MONUSCO to ensure, within its area of operations, effective protection of "
    "civilians under threat of physical violence, including civilians gathered in displacement "
    "and refugee camps, humanitarian personnel and human rights defenders.",
    "Decides that MONUSCO shall carry out targeted offensive operations through the "
    "Intervention Brigade to neutralize armed groups, including the FDLR and the M23, and to "
    "disarm them;",
    "Stresses that the Government bears the primary responsibility for security sector reform "
    "and the disarmament, demobilization and reintegration of former combatants.",
    "Calls upon all parties to cooperate fully with MONUSCO in monitoring the implementation of "
    "the arms embargo, and to ensure the safety and freedom of movement of United Nations "
    "personnel;",
    "Strongly condemns the ADF and all armed groups for attacks against civilians, and requests "
    "the Secretary-General to report on the progress of the Mission, with the support of "
    "MONUSCO, in the electoral process.",
    "Encourages the Government, with the support of MONUSCO, to implement the action plan to "
    "prevent sexual violence, to promote human rights and to build the capacity of the police.",
)


def _coder():
    return RuleCoder().initialize(
        missions=["MONUSCO"],
        group_aliases=[("FDLR", "fdlr"), ("M23", "m23"), ("ADF", "adf")],
    )


def _sentences(length):
    body = " ".join(SENTENCES)
    return (body + " ") * (length // len(body) + 1)


def _one_sentence(length):
    """The same words with no full stop, semicolon, colon or comma: one clause."""
    return re.sub(r"[.;:,]", "", _sentences(length))


def _resolution(body, length):
    """A resolution with one operative paragraph of about ``length`` characters."""
    paragraph = body(length)[:length].rstrip()
    return f"The Security Council,\n\nRecalling its resolutions,\n\n1. {paragraph}.\n"


def _cpu_seconds(coder, text, repeats):
    """The least CPU time of ``repeats`` codings of ``text`` (robust to a busy machine)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        result = coder.predict(1, text)
        best = min(best, time.process_time() - started)
    assert result.segmentation.ok
    assert len(result.segmentation.operative()) == 1
    return best


@pytest.mark.issue(27)
@pytest.mark.parametrize("body", [_sentences, _one_sentence], ids=["sentences", "one-sentence"])
def test_issue27_coding_time_grows_linearly_with_paragraph_length(body):
    coder = _coder()
    coder.predict(1, _resolution(body, 2_000))  # warm the compiled-pattern caches
    short = _cpu_seconds(coder, _resolution(body, 20_000), repeats=3)
    long = _cpu_seconds(coder, _resolution(body, 200_000), repeats=2)
    # linear: 10x; a quadratic coder gives about 100x (it did before #27)
    assert long / short < 15, f"20 KB: {short:.3f} s, 200 KB: {long:.3f} s"
