"""Split a resolution into preamble and operative paragraphs with exact character offsets.

Data flow: :func:`segment` takes the stored text of one resolution and returns a
:class:`~peaceops.coding.records.Segmentation` whose paragraphs all satisfy
``text[p.start:p.end] == p.text``. It never raises on bad input: a text it cannot read ends as
a segmentation with ``error`` set to the reason (empty text, no operative part, ...).

The texts come in three layouts (see the data README):

* PVS texts (``resolutions/texts``): one paragraph per line, with page furniture in the middle
  of paragraphs (job numbers ``13-27381``, page numbers, running heads ``S/RES/2098 (2013)``);
* CR-UNSC gold texts: hard-wrapped lines, paragraphs separated by blank lines, and a closing
  "Adopted at the 2963rd meeting by 12 votes to 2 ..." line;
* adopted drafts (``texts-post2015``): one paragraph per line, no heading.

The text is first cut into *blocks*: a block starts at a numbered or lettered marker, or at a
line that follows the end of a paragraph (a line ending in ``,``, ``;``, ``:`` or ``.``; in
hard-wrapped texts only after a blank line). "The Security Council" may end its line without a
comma (S/RES/7 (1946)). Page furniture never starts or ends a block.
Blocks after "The Security Council," are preamble until the first operative paragraph:
``1.`` (numbers must then run in order, allowing an OCR gap of up to two), or, in the early
resolutions without numbers, the first block that opens with a verb in the third person
("Decides", "Calls upon") rather than a participle ("Noting", "Having considered").
Sub-paragraphs ``(a)``, ``(b)`` ... ``(aa)`` and ``(i)``, ``(ii)`` nest under the current
paragraph; ``(i)`` after ``(h)`` is a letter, under a letter it is a roman numeral.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass

from peaceops.coding.records import Paragraph, Segmentation
from peaceops.sources.layout import ANCHOR, FURNITURE

SEGMENTER = "peaceops.segmenter.v2"

_ANCHOR = ANCHOR
# "1." - and "l." / "L." / "I.", OCR's readings of "1." in the CR-UNSC texts (S/RES/273)
# and "1," (S/RES/20, 232)
_NUMBER = re.compile(r"(\d{1,3}|[lLI](?=\.\s+[A-Z]))\s*(?:\.|,(?=\s+[A-Z]))\s+(?=\S)")
_SUB = re.compile(r"\(([a-z]{1,2}|[ivxl]{1,6})\)\s*(?=\S)")
# the closing line of the CR-UNSC texts ("Adopted at the 2963rd meeting by 12 votes ..."),
# after a blank line; lower-case "adopted unanimously by the General Assembly" is text
_TRAILER = re.compile(
    r"Adopted\s+(?:unanimously\s+)?(?:at\s+the|without\s+(?:a\s+)?vote|by\s+(?:\d+|[a-z]+)\s+votes)"
)
# Page furniture (job numbers, page numbers, running heads): never starts or ends a block.
_FURNITURE = FURNITURE
# a paragraph ends in , ; : or . - possibly followed by quotes and a footnote number ("of
# Mali, 18" in the CR-UNSC texts)
_TERMINATOR = re.compile(r"[,;:.][\"'’”)\]]*(?:\s*\d{1,3}/?|\*+)*$")
# Words that open a preamble paragraph (participles and adjectives), and verbs that open an
# operative one in the early unnumbered resolutions.
_PREAMBLE_OPENERS = re.compile(
    r"(?:[A-Z][a-z]+ing|Having|Mindful|Aware|Conscious|Convinced|Determined|Bearing|Desirous|"
    r"Anxious|Alarmed|Concerned|Disturbed|Satisfied|Cognizant|Appreciative|Encouraged|"
    r"Heartened|Shocked|Outraged|Guided|In\s+view|With\s+a\s+view)\b"
)
_PARTICIPLE = re.compile(r"[A-Z][a-z]+(?:ing|ed)\b")
_OPERATIVE_VERB = re.compile(r"(?:[A-Z][a-z]+(?:s|es)\b(?<!ing)|It\s+is\s+resolved)")
# leading adverbs: "Hereby resolves", "Further requests", "Deeply deplores" (operative) but
# "Deeply concerned", "Further recalling" (preamble) - the word after them decides
_ADVERB = re.compile(
    r"(?:(?:Hereby|Therefore|Accordingly|Further|Also|Again|Now|Finally|[A-Z]?[a-z]+ly),?\s+)+"
)
_ROMAN = (
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "vi",
    "vii",
    "viii",
    "ix",
    "x",
    "xi",
    "xii",
    "xiii",
    "xiv",
    "xv",
    "xvi",
    "xvii",
    "xviii",
    "xix",
    "xx",
)
_LETTERS = tuple("abcdefghijklmnopqrstuvwxyz") + tuple(c * 2 for c in "abcdefghijklmnopqrstuvwxyz")
_MAX_OCR_GAP = 2
_FLAT_LINE = 150


@dataclass
class _Block:
    start: int
    end: int
    first_line: str


def _lines(text: str, start: int) -> list[tuple[int, int, str]]:
    """(start, end, stripped content) of each line from ``start``; empty content for blanks."""
    out = []
    for match in re.finditer(r"[^\n]*", text[start:]):
        if match.start() > 0 and text[start + match.start() - 1] != "\n":
            continue  # finditer yields an empty match after each line; skip it
        raw = match.group(0)
        left = len(raw) - len(raw.lstrip())
        content = raw.strip()
        s = start + match.start() + left
        out.append((s, s + len(content), content))
    return out


# Where a text is flattened onto one line (S/RES/1248, 1275), paragraphs still begin after
# ", " or "; " with a marker, a participle or a known operative verb.
_INLINE_START = re.compile(
    r"[,;:.] +(?=(?:\d{1,3}\.\s+[A-Z]|\([a-z]{1,2}\)\s|"
    r"(?:Recalling|Noting|Having|Acting|Reaffirming|Determining|Welcoming|Expressing|Taking|Bearing|Deeply|Gravely|Mindful|"
    r"Stressing|Emphasizing|Recognizing|Considering|Concerned|Decides|Requests|Recommends|"
    r"Calls|Urges|Authorizes|Demands|Condemns|Welcomes|Endorses|Approves|Invites|Appeals|"
    r"Reaffirms|Expresses|Notes|Takes|Commends|Encourages|Resolves|Declares|Instructs|"
    r"Forwards|Reiterates|Stresses|Emphasizes|Underlines|Affirms|Deplores|Insists|Directs|"
    r"Agrees|Supports|Extends|Renews|Establishes|Adopts|Confirms|Elects|Appoints|Regrets|"
    r"Acknowledges|Recognizes|Warns|Strongly|Further|Also|Reiterating|Underlining|Urging|"
    r"Calling|Condemning|Convinced|Determined|Alarmed|Aware|Conscious)\b))"
)


def _split_flat(lines: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    out = []
    for s, e, line in lines:
        starts = [
            m
            for m in (_INLINE_START.finditer(line) if len(line) > _FLAT_LINE else ())
            # "2. Calls": the full stop of a paragraph number is not the end of a paragraph
            if not (m.group(0)[0] == "." and m.start() > 0 and line[m.start() - 1].isdigit())
        ]
        # A long line that opens a paragraph and has another paragraph opening after a comma
        # is a flattened text; capitalised verbs and participles after a comma do not occur
        # inside a paragraph.
        flat = starts and (_opens_paragraph(line) or _NUMBER.match(line) or len(starts) > 1)
        if not flat:
            out.append((s, e, line))
            continue
        cuts = [0, *(m.end() for m in starts), len(line)]
        for a, b in itertools.pairwise(cuts):
            piece = text[s + a : s + b].rstrip()
            if piece:
                out.append((s + a, s + a + len(piece), piece))
    return out


def _blocks(text: str, start: int) -> list[_Block]:
    lines = _split_flat(_lines(text, start), text)
    content = [ln for ln in lines if ln[2] and not _FURNITURE.fullmatch(ln[2])]
    if not content:
        return []
    lengths = sorted(len(c[2]) for c in content)
    hard_wrapped = lengths[len(lengths) // 2] < 90 and any(not ln[2] for ln in lines)
    blocks: list[_Block] = []
    previous_ended = True
    blank_before = True
    for s, e, line in lines:
        if not line:
            blank_before = True
            continue
        if _FURNITURE.fullmatch(line):
            continue
        if _TRAILER.match(line) and blocks and blank_before:
            break
        marker = bool(_NUMBER.match(line) or _SUB.match(line))
        opener = _opens_paragraph(line)
        # a marker at the start of a line always opens a block: headings such as
        # "(a) Protection of civilians" end without punctuation before their "(i)"
        if hard_wrapped:
            new = not blocks or marker or (previous_ended and (blank_before or opener))
            # a blank line then an opening word starts a paragraph even after a missing comma
            new = new or (blank_before and opener)
        else:
            new = not blocks or marker or previous_ended
        if new:
            blocks.append(_Block(s, e, line))
        else:
            blocks[-1].end = e
        previous_ended = bool(_TERMINATOR.search(line))
        blank_before = False
    return blocks


def _opening(line: str) -> str | None:
    """``"operative"``, ``"preamble"`` or ``None`` from the first words of a paragraph."""
    line = line.lstrip("\"'“\x0c")
    sub = _SUB.match(line)
    if sub:
        line = line[sub.end() :]
    adverbs = _ADVERB.match(line)
    if adverbs:
        rest = line[adverbs.end() :]
        line = rest[:1].upper() + rest[1:]
    if _PREAMBLE_OPENERS.match(line) or _PARTICIPLE.match(line):
        return "preamble"
    if _OPERATIVE_VERB.match(line):
        return "operative"
    return None


def _opens_paragraph(line: str) -> bool:
    """True when a line opens like a preamble or operative paragraph ("Noting", "Decides")."""
    return _opening(line) is not None


def _number(match: re.Match[str]) -> int:
    value = match.group(1)
    return 1 if value in ("l", "L", "I") else int(value)


def _sub_depth(marker: str, state: list) -> tuple[int, str] | None:
    """Place a sub-paragraph marker.

    ``state`` is [current letter, current roman, roman-first]. Most paragraphs nest romans under
    letters ("12 (a) (i)"); some open with romans as headings and letter their tasks under
    each ("34. ... (i) Protection of civilians (a) Ensure ... (ii) ... (a) ..." in
    S/RES/2348 (2017)). The first marker of a paragraph decides which.
    """
    letter, roman, roman_first = state
    next_letter = _LETTERS[_LETTERS.index(letter) + 1] if letter in _LETTERS[:-1] else None
    next_roman = _ROMAN[_ROMAN.index(roman) + 1] if roman in _ROMAN[:-1] else None
    is_letter_next = marker == (next_letter if letter else "a")
    is_roman_next = marker == (next_roman if roman else "i")
    if letter is None and roman is None and marker == "i":
        state[1], state[2] = marker, True
        return 1, marker
    if roman_first:
        if is_roman_next and not (letter and is_letter_next):
            state[0], state[1] = None, marker
            return 1, marker
        if marker in _LETTERS and not (marker in _ROMAN and not letter and marker != "i"):
            state[0] = marker
            return 2, marker
        if marker in _ROMAN:
            state[0], state[1] = None, marker
            return 1, marker
        return None
    if is_letter_next and not (is_roman_next and roman):
        state[0], state[1] = marker, None
        return 1, marker
    if is_roman_next:
        state[1] = marker
        return (2 if letter else 1), marker
    if marker in _LETTERS:
        state[0], state[1] = marker, None
        return 1, marker
    if marker in _ROMAN:
        state[1] = marker
        return (2 if letter else 1), marker
    return None


def _paragraph(
    number: int, kind: str, label: str, parent: str | None, depth: int, block: _Block, text: str
) -> Paragraph:
    return Paragraph(
        resolution=number,
        kind=kind,
        label=label,
        number=int(label.split("(")[0]) if kind == "operative" else None,
        parent=parent,
        depth=depth,
        start=block.start,
        end=block.end,
        text=text[block.start : block.end],
    )


def segment(number: int, text: str | None) -> Segmentation:
    """Segment one resolution text; never raises on bad input (see ``error``)."""
    if text is None or not text.strip():
        return Segmentation(number, error="empty text")
    anchor = _ANCHOR.search(text)
    body_start = anchor.end() if anchor else 0
    blocks = _blocks(text, body_start)
    if not blocks:
        return Segmentation(number, body_start=body_start, error="no paragraphs after the heading")
    first = _first_operative(blocks)
    if first is None:
        return Segmentation(
            number,
            body_start=body_start,
            error="no operative part (no numbered paragraph and "
            "no paragraph opening with an operative verb)",
        )
    index, numbered = first
    paragraphs: list[Paragraph] = []
    for i, block in enumerate(blocks[:index], start=1):
        paragraphs.append(_paragraph(number, "preamble", f"p{i}", None, 0, block, text))
    paragraphs.extend(_operative(number, blocks[index:], numbered, text))
    return Segmentation(
        number,
        paragraphs=tuple(paragraphs),
        body_start=body_start,
        operative_start=blocks[index].start,
    )


def _first_operative(blocks: list[_Block]) -> tuple[int, bool] | None:
    for i, block in enumerate(blocks):
        match = _NUMBER.match(block.first_line)
        if match and _number(match) == 1:
            return i, True
    for i, block in enumerate(blocks):
        if _opening(block.first_line) == "operative":
            return i, False
    return None


def _operative(number: int, blocks: list[_Block], numbered: bool, text: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    current: int | None = None  # index in out of the current top-level paragraph
    letter_parent: int | None = None  # index in out of the current (a)-level sub-paragraph
    state: list = [None, None, False]
    used: set[str] = set()
    # the next "-k" to try for a repeated label: trying 2, 3, ... again for every repeat made
    # the labels of a paragraph with thousands of out-of-sequence markers quadratic (#27)
    suffix: dict[str, int] = {}
    ends: list[int] = []  # where each paragraph of out ends, as blocks extend it
    expected = 1

    def extend(idx: int | None, end: int) -> None:
        # only the end: the text is cut once at the end, not again for each block (#27)
        if idx is not None and ends[idx] < end:
            ends[idx] = end

    def unique(base: str) -> str:
        label, k = base, suffix.get(base, 2)
        if label in used:
            label = f"{base}-{k}"
        while label in used:
            k += 1
            label = f"{base}-{k}"
        suffix[base] = k
        used.add(label)
        return label

    for block in blocks:
        match = _NUMBER.match(block.first_line)
        n = _number(match) if match else None
        if numbered:
            starts_paragraph = n is not None and expected <= n <= expected + _MAX_OCR_GAP
        else:
            # unnumbered (early) resolutions: each block is a paragraph, and where they are
            # lettered "(a) Resolves ... (b) Requests ..." (S/RES/34) each letter is one too
            lettered = bool(out) and out[0].text.startswith("(")
            starts_paragraph = current is None or not _SUB.match(block.first_line) or lettered
        if starts_paragraph:
            label = str(n) if numbered else str(expected)
            expected = (n if numbered else expected) + 1
            label = unique(label)
            out.append(_paragraph(number, "operative", label, None, 0, block, text))
            ends.append(block.end)
            current, letter_parent, state = len(out) - 1, None, [None, None, False]
            continue
        sub = _SUB.match(block.first_line)
        placed = _sub_depth(sub.group(1), state) if sub and current is not None else None
        if placed is None:
            # a heading or a continuation: it belongs to the paragraphs it falls in
            extend(letter_parent, block.end)
            extend(current, block.end)
            continue
        depth, marker = placed
        top = out[current]
        if depth == 1:
            label, parent = f"{top.label}({marker})", top.label
        else:
            parent = out[letter_parent].label if letter_parent is not None else top.label
            label = f"{parent}({marker})"
        # markers out of sequence can repeat a label; keep labels unique per resolution
        label = unique(label)
        out.append(_paragraph(number, "operative", label, parent, depth, block, text))
        ends.append(block.end)
        if depth == 1:
            letter_parent = len(out) - 1
        else:
            extend(letter_parent, block.end)
        extend(current, block.end)
    return [
        p if p.end == end else dataclasses.replace(p, end=end, text=text[p.start : end])
        for p, end in zip(out, ends, strict=True)
    ]
