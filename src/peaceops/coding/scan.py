"""Look-backs and look-aheads of the coder's rules in time linear in a paragraph (#27).

The rules ask, for every task word found at offset ``at``: what was the last clause break, the
last statement ("Stresses that"), the last action verb before ``at``; is there a hand-over or a
"report of the Secretary-General on" between an earlier point and ``at``; where does the clause
end after ``at``. Asked with ``pattern.finditer(text, start, at)`` or ``pattern.search(text, a,
at)``, each question re-reads the paragraph from its start: quadratic, 57.7 s for a 400 KB
paragraph (issue #27, item 11). Here a pattern's matches over a whole range are found once,
and each question is answered from them by bisection, plus a re-scan of at most :data:`TAIL`
characters before ``at``, the only part where cutting the text at ``at`` can change a match.

Data flow: the coder builds a :class:`Scan` or :class:`Starts` once per paragraph span (or
clause) and pattern, when a task word first needs it, and asks it for each task word.

The answers are those of the original calls whenever no match attempt of the pattern reads
more than :data:`TAIL` characters past where it starts. The patterns asked here read a few
words (at most some 250 characters, in ``_HANDED_OVER``), unless a word or a run of blanks
alone is longer than that, which no real text has; the coding of every real text is unchanged
(``benchmarks/bench_coding.py``: the same ``codes_sha256``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import cache

#: how far past its start a match attempt of the patterns asked here may read (see above)
TAIL = 400


class Scan:
    """The matches of ``pattern`` in ``text[pos:endpos]``, found once (#27).

    Answers ``last_before(at)`` as the last match of ``pattern.finditer(text, pos, at)`` and
    ``first_from(at)`` as ``pattern.search(text, at, endpos)``.
    """

    __slots__ = ("_endpos", "_ends", "_found", "_pattern", "_pos", "_starts", "_text")

    def __init__(self, pattern: re.Pattern[str], text: str, pos: int, endpos: int) -> None:
        self._pattern, self._text, self._pos, self._endpos = pattern, text, pos, endpos
        self._found = list(pattern.finditer(text, pos, endpos))
        self._starts = [m.start() for m in self._found]
        self._ends = [m.end() for m in self._found]

    def last_before(self, at: int) -> re.Match[str] | None:
        """The last match of ``pattern.finditer(text, pos, at)``."""
        cut = at - TAIL
        if cut <= self._pos:
            return _last(self._pattern.finditer(self._text, self._pos, at))
        # the matches that end by ``cut`` are those of the text cut at ``at``; after them the
        # scan is resumed where the cut can make a difference
        i = bisect_right(self._ends, cut)
        last = self._found[i - 1] if i else None
        resume = cut
        if i < len(self._found) and self._starts[i] < cut:
            resume = self._starts[i]  # a match over ``cut``: the scan was inside it
        return _last(self._pattern.finditer(self._text, resume, at)) or last

    def first_from(self, at: int) -> re.Match[str] | None:
        """``pattern.search(text, at, endpos)``."""
        i = bisect_left(self._starts, at)
        if i and self._ends[i - 1] > at:
            # ``at`` inside a match: a search from ``at`` may find what the scan skipped
            return self._pattern.search(self._text, at, self._endpos)
        return self._found[i] if i < len(self._found) else None


class Starts:
    """Every offset where ``pattern`` matches in ``text[pos:endpos]``, found once (#27).

    Answers ``any_between(a, at)`` as ``pattern.search(text, a, at) is not None`` and lists
    the offsets in a range (``between``).
    """

    __slots__ = ("_pattern", "_pos", "_starts", "_text")

    def __init__(self, pattern: re.Pattern[str], text: str, pos: int, endpos: int) -> None:
        self._pattern, self._text, self._pos = pattern, text, pos
        self._starts = [m.start() for m in _anywhere(pattern).finditer(text, pos, endpos)]

    def between(self, a: int, b: int) -> list[int]:
        """The offsets in ``[a, b)`` where a match starts."""
        return self._starts[bisect_left(self._starts, a) : bisect_left(self._starts, b)]

    def any_between(self, a: int, at: int) -> bool:
        """Whether ``pattern.search(text, a, at)`` finds a match (``a >= pos``)."""
        cut = at - TAIL
        if a < cut:
            i = bisect_left(self._starts, a)
            if i < len(self._starts) and self._starts[i] < cut:
                return True
            a = cut
        return self._pattern.search(self._text, a, at) is not None


class Ranges:
    """Half-open ranges, merged, for membership tests by bisection (#27)."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(r for r in ranges if r[0] < r[1]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def contain(self, at: int) -> bool:
        """True when some range holds ``at``."""
        i = bisect_right(self._starts, at) - 1
        return i >= 0 and at < self._ends[i]


@cache
def _anywhere(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` as a lookahead: ``finditer`` then yields every offset where it matches."""
    return re.compile(f"(?=(?:{pattern.pattern}))", pattern.flags)


def _last(matches: Iterator[re.Match[str]]) -> re.Match[str] | None:
    """The last of ``matches`` (None if there are none)."""
    last = None
    for match in matches:
        last = match
    return last
