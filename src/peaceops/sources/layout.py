"""Page furniture of the published resolutions, and the reading text without it.

A resolution as published by the UN (and as extracted from its PDF) carries, between pages,
lines that are not the Council's words: the job number and its barcode (``13-27381 (E)``,
``*1327381*``), the page number (``2``), the running head (``S/RES/2098 (2013)``) and
separators. Where a page breaks inside a paragraph they fall in the middle of it:

    ... and expressing concern at
    13-27381 (E)
    *1327381*

    S/RES/2098 (2013)
    their negative impact on ...

:func:`reading_text` removes every run of such lines after the opening "The Security Council"
and joins the two halves of a broken paragraph with one space, so that the paragraphs (and the
quotes of every code, which must satisfy ``text[start:end] == quote``) hold only the resolution's
words. The heading above "The Security Council" is left as it is: the symbol and the adoption
line are read from it. ``resolution_texts`` keeps each text as found; ``resolutions.text`` is
the reading text.
"""

from __future__ import annotations

import re

# the job number's line: "13-27381 (E)", "95-37553 (E) 281195" (with the date it was
# processed), "00-37227 (E) `````````", "02-28359 (E) *0228359*", "05-59277** (E)" (reissued),
# "22-09852 (E) 230622 Please recycle", sometimes after "* Reissued for technical reasons."
_REISSUED = r"\*\s*Reissued\s+for\s+technical\s+reasons[^.\n]{0,40}\."
_JOB_LINE = (
    rf"(?:{_REISSUED}\s*)?\d{{2}}-\d{{4,6}}[*S]{{0,2}}\s*\([A-Z]\)?"
    r"(?:\s+(?:\d{6}|`{3,}|\*\d{6,8}\*|Ple[ae]se\s+recycle))*"
)
# the running head: "S/RES/2098 (2013)", "S/RES/1244 (1999) Page 2", "S/RES/1008 (1995) English
# Page 3", "S/RES/1153.(1998) English Page 2", "S/RES/1231(1999))", "S/1995/1032 Page 2"
_RUNNING_HEAD = (
    r"S/(?:RES/)?\d+(?:/\d+)?[./]?\s*(?:\(\d{4}\)\)?)?(?:\s*\[[A-Za-z]*\]|\s*\*)?"
    r"(?:\s*English)?(?:\s*Page)?(?:\s*\d{1,3})?"
)
#: A whole line of page furniture: job numbers ("13-27381 (E)", "2 13-27381", "13-27381 3",
#: "2/4 14-31481"),
#: page numbers, running heads ("S/RES/2098 (2013)", "S/RES/1244 (1999) Page 2"), barcodes
#: ("*1327381*"), "Page 2", "2/5", continuation marks ("/...") and separators.
FURNITURE = re.compile(
    rf"(?:{_JOB_LINE}|{_REISSUED}|Ple[ae]se\s+recycle|"
    r"(?:\d{1,3}(?:/\d{1,3})?\s+)?\d{2}-\d{4,6}(?:\s*\([A-Z]\))?(?:\s+\d{1,3}(?:/\d{1,3})?)?|"
    r"\d{1,3}|"
    rf"{_RUNNING_HEAD}|English|Page|"
    r"\*\d+\*|Page\s+\d+|\d+/\d+|/\.\.\.|\.\.\./?|_{3,}.*|-{5,}|\*\s*\*\s*\*)",
    re.IGNORECASE,
)
#: A job number's line glued to the words that follow it on the page ("96-10786 (E) 260496
#: Reaffirming that ..."): the furniture is cut off the line.
JOB_PREFIX = re.compile(rf"[ \t]*{_JOB_LINE}[ \t]+(?=\S)")
#: ... or standing inside a line ("emphasizing the 09-43393* (E) need to bring"): cut out.
JOB_INSIDE = re.compile(rf"(?<=\S)[ \t]+{_JOB_LINE}(?=[ \t]+\S|[ \t]*$)")
#: A running head after a paragraph's last word ("... of the United Nations,S/RES/908 (1994)").
HEAD_AFTER = re.compile(r"(?<=[,;:.])[ \t]*S/RES/\d+\s*\(\d{4}\)[ \t]*$")
#: A form feed (a page break) with the next page's running head after it, inside a line.
_PAGE_BREAK = re.compile(r"\x0c(?=S/)")
#: Where the resolution's own words begin.
ANCHOR = re.compile(
    r"^[ \t\"“']*(?:Therefore,?\s+)?The\s+Security\s+Council\s*(?:[,.:;]|$)",
    re.IGNORECASE | re.MULTILINE,
)
# a line that ends a paragraph: , ; : or . (possibly followed by quotes or a footnote number)
_ENDS = re.compile(r"[,;:.][\"'’”)\]]*(?:\s*\d{1,3}/?|\*+)*$")


def is_furniture(line: str) -> bool:
    """True when a whole line (stripped) is page furniture."""
    return bool(FURNITURE.fullmatch(line.strip()))


def reading_text(text: str | None) -> str | None:
    """The text without page furniture after its opening (see the module doc).

    A text without furniture is returned unchanged (the same object), so that the offsets into
    it stay what they were.
    """
    if not text:
        return text
    anchor = ANCHOR.search(text)
    body = anchor.end() if anchor else 0
    head, found = text[:body], text[body:].split("\n")
    lines = _unglue(found)
    if lines == found and not any(line.strip() and is_furniture(line) for line in lines):
        return text
    out: list[str] = []  # the kept lines; "" for a blank line
    gap: list[str] = []  # the run of blank and furniture lines since the last kept line
    for line in lines:
        stripped = line.strip()
        if not stripped or is_furniture(stripped):
            gap.append(stripped)
            continue
        if gap:
            _close_gap(out, gap, stripped)
            gap = []
        out.append(line)
    if gap and not any(gap):
        out.extend(gap)  # trailing blank lines only: keep them
    elif gap and out:
        out.append("")  # a trailing page footer: end the text with one line break
    return head + _join(out)


def _unglue(lines: list[str]) -> list[str]:
    """Split a job number's line from the words glued after it; cut one out of a line."""
    out = []
    for piece in lines:
        for line in _PAGE_BREAK.split(piece):
            match = JOB_PREFIX.match(line)
            if match:
                out.append(match.group(0).strip())
                line = line[match.end() :]
            out.append(HEAD_AFTER.sub("", JOB_INSIDE.sub("", line)))
    return out


def _close_gap(out: list[str], gap: list[str], following: str) -> None:
    """Replace a run of blank and furniture lines before ``following``."""
    if not any(gap):  # blank lines only: not furniture, keep them
        out.extend(gap)
        return
    previous = next((line for line in reversed(out) if line.strip()), None)
    if previous is None:
        out.extend(g for g in gap if not g)
        return
    broken = not _ENDS.search(previous.rstrip()) or following[:1].islower()
    if broken:
        out.append(_GLUE)  # the two halves of one paragraph: joined with a space
    elif "" in gap:
        out.append("")  # a paragraph ended at the foot of the page: keep a blank line


_GLUE = "\x00glue"


def _join(lines: list[str]) -> str:
    text = "\n".join(lines)
    return re.sub(r"[ \t]*\n\x00glue\n[ \t]*", " ", text)


# the first words of a paragraph: a number or letter, a participle ("Recalling", "Concerned"),
# an operative verb ("Decides", "Requests") or an adverb or adjective that opens one
_OPENS = re.compile(
    r"(?:\d{1,3}\.\s|\([a-z]{1,4}\)\s|[A-Z][a-z]+(?:ing|ed|s)\b|(?:Also|Further|Hereby|Deeply|"
    r"Strongly|Gravely|Mindful|Aware|Conscious|Convinced|Determined|Bearing|Alarmed)\b)"
)


# a numbered or lettered paragraph: "12. Decides", "(a) To support"
_BARE_MARKER = re.compile(r"(?:^|\s)(?:\d{1,3}\.|\([a-z]{1,4}\))$")
_MARKER = re.compile(r"(?:\d{1,3}\.|\([a-z]{1,4}\))\s+[A-Z\"“']")


def unwrap(text: str) -> str:
    """Join the lines a PDF wraps a paragraph into, after the opening "The Security Council".

    Paragraphs are justified, so every line of a paragraph but its last is about as long as the
    others, and a paragraph ends with ``, ; : .``. A line starts a paragraph of its own when it
    begins with a number or letter ("12. ", "(a) "), when the line before ends with ``, ; : .``
    and it opens like a paragraph (a participle or an operative verb), or when it or the line
    before is a heading (a short line without that punctuation, such as "Political situation
    and elections"). Otherwise it is joined to the line before with a space (nothing after a
    hyphen, as in "non-" "State"). Page furniture and blank lines stay on lines of their own,
    for :func:`reading_text`.
    """
    anchor = ANCHOR.search(text)
    body = anchor.end() if anchor else 0
    lines = [line.strip() for line in text[body:].split("\n")]
    words = sorted(len(line) for line in lines if line and not is_furniture(line))
    short = 0.6 * words[len(words) // 2] if words else 0
    out: list[str] = []
    joinable = False  # the last line in ``out`` is words that a next line may continue
    heading = False  # the last line in ``out`` is a heading
    for line in lines:
        if not line or is_furniture(line):
            out.append(line)
            joinable = False
            continue
        previous = out[-1] if out and joinable else None
        # "... Peacekeepers”; 40." then "Recognizes": a number that wrapped away from its words
        ended = previous is None or (
            bool(_ENDS.search(previous)) and not _BARE_MARKER.search(previous)
        )
        is_heading = len(line) < short and not _ENDS.search(line) and (ended or heading)
        new = (
            previous is None
            or heading
            or is_heading
            or _MARKER.match(line) is not None
            or (ended and _OPENS.match(line) is not None)
        )
        if new:
            out.append(line)
        else:
            out[-1] = previous + ("" if re.search(r"[A-Za-z]-$", previous) else " ") + line
        joinable, heading = True, is_heading
    return text[:body] + "\n".join(out)
