"""Chapter VII in its operative sense, kept apart from mentions and the Article 39 finding.

Data flow: :func:`find_chapter_vii` reads a :class:`~peaceops.coding.records.Segmentation`
and the text, and returns one :class:`~peaceops.coding.records.ChapterVII`.

* **Acting under Chapter VII for the whole operative part**: a preamble paragraph that opens
  with "Acting under Chapter VII of the Charter", "Acting for these purposes under Chapter VII"
  (S/RES/1244 (1999)) or "Acting under Article(s) 39-42" (S/RES/232 (1966) acts "in accordance
  with Articles 39 and 41"); every operative paragraph is then adopted under Chapter VII.
* **For specific paragraphs**: an operative paragraph whose opening words act under Chapter
  VII ("10. Acting under Chapter VII of the Charter of the United Nations, decides ..." in
  S/RES/1320 (2000), paragraph 10), with its sub-paragraphs.
* **Mentions** - "its resolution 1493 (2003) adopted under Chapter VII", "measures under
  Chapter VII", quotations of the Charter - are recorded as spans but do not count.
* **Article 39**: the determination that a situation constitutes a threat to the peace, a
  breach of the peace or an act of aggression ("Determining that the situation in the DRC
  continues to constitute a threat to international peace and security"), in the preamble or
  as an operative "Determines that ...", is recorded separately. It is not itself an
  enforcement basis, and many resolutions make it without acting under Chapter VII.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from peaceops.coding.records import ChapterVII, Paragraph, Segmentation
from peaceops.coding.scan import Ranges

CHAPTER_VII_RULES = "peaceops.chapter_vii.v2"

# "Acting under Chapter VII of the Charter of the United Nations", "Acting also under",
# "Acting for these purposes under Chapter VII", "Acting under Article 41 of the Charter",
# "Acting in accordance with Articles 39 and 41 of the United Nations Charter"
_ACTING = re.compile(
    r"acting,?\s+(?:(?:also|further|therefore|in\s+this\s+respect|for\s+th(?:ese|is)\s+"
    r"(?:purposes?|reasons?)),?\s+)?(?:under|in\s+accordance\s+with)\s+"
    r"(?:Chapter\s+VII\b|Articles?\s+(?:39|40|41|42)\b(?:[\s,]+(?:and\s+)?(?:39|40|41|42)\b)*)"
    r"(?:\s+of\s+the\s+(?:Charter|Chapter)(?:\s+of\s+the\s+United\s+Nations)?"
    r"|\s+of\s+the\s+United\s+Nations\s+Charter)?",
    re.IGNORECASE,
)
# "Authorizes UNMISET, under Chapter VII of the Charter of the United Nations, to take the
# necessary actions", "Decides, under Chapter VII of the Charter, that all States shall": the
# Council's own act, set off by commas right after its verb and addressee (not "measures
# imposed under", "action under", "taken under Chapter VII"; v2)
_UNDER = re.compile(
    r"under\s+Chapter\s+VII\b(?:\s+of\s+the\s+(?:United\s+Nations\s+)?Charter"
    r"(?:\s+of\s+the\s+United\s+Nations)?)?",
    re.IGNORECASE,
)
_UNDER_LEAD = re.compile(
    r"\b(?:decides|authori[sz]es|demands|requests|calls\s+(?:up)?on|directs)"
    r"(?:\s+(?:[\w'-]+\s+){0,5}?[\w'-]+)?\s*,\s*$",
    re.IGNORECASE,
)
_FURNITURE = re.compile(r"S/RES/\d+\s*\(\d{4}\)(?:\s*Page\s+\d+)?")
# an invocation in what the Council recalls: "... resolution 1244 (1999), which acts under"
_RECALLS = re.compile(r"\b(?:which|recall\w*|its\s+resolution)\b[^,;]*$", re.IGNORECASE)
_MENTION = re.compile(r"Chapter\s+VII\b", re.IGNORECASE)
_ARTICLE_39 = re.compile(
    r"Determin(?:ing|es)\b[^;]{0,400}?(?:threat\s+to\s+(?:the\s+)?(?:international\s+)?peace|"
    r"breach\s+of\s+(?:international\s+)?(?:the\s+)?peace|act\s+of\s+aggression)(?:\s+and\s+security)?"
    r"(?:\s+in\s+the\s+(?:region|area|sub-?region))?",
    re.IGNORECASE,
)
# how far into an operative paragraph an invocation may open it ("10. Acting under ...",
# "Decides, acting under Chapter VII of the Charter, that ...")
_OPENING = 60


def _invocation(paragraph: Paragraph) -> re.Match[str] | None:
    """The Chapter VII invocation of a paragraph, if it acts under Chapter VII."""
    match = _ACTING.search(paragraph.text)
    if not match and paragraph.kind == "operative":
        for under in _UNDER.finditer(paragraph.text):
            if _UNDER_LEAD.search(paragraph.text[max(0, under.start() - 100) : under.start()]):
                return under
    if not match:
        return None
    before = paragraph.text[: match.start()]
    # after the last comma or semicolon, where any match of _RECALLS is: searched from the
    # paragraph's start, it reads to its end from every "which" (#27)
    last_break = max(before.rfind(","), before.rfind(";"))
    recalls = _RECALLS.search(before, last_break + 1)
    if re.search(r"\band\s+in\s+that\s+context\s*$", before):  # S/RES/819 (1993)
        recalls = None
    opens = len(before) <= _OPENING and not recalls
    if opens:
        return match
    if paragraph.kind == "operative" and not recalls:
        # "..., and, acting under Chapter VII of the Charter of the United Nations, further
        # authorizes these Member States to ..." (S/RES/1101 (1997), paragraph 4)
        return match
    # A paragraph may also close with it: "..., and acting for these purposes under Chapter
    # VII of the Charter of the United Nations," ends the preamble of S/RES/1244 (1999); in
    # resolutions in parts (S/RES/814 (1993)), "B / Acting under Chapter VII ..." opens a part
    # and is read into the last operative paragraph of the part before.
    rest = _FURNITURE.sub("", paragraph.text[match.end() :]).strip(" ,;\r\n")
    return match if not rest and not recalls else None


def _extending(by_label: list[tuple[str, int]], prefix: str) -> list[int]:
    """The indices of the labels that start with ``prefix``, from ``(label, index)`` sorted."""
    found = []
    for i in range(bisect_left(by_label, (prefix, -1)), len(by_label)):
        label, index = by_label[i]
        if not label.startswith(prefix):
            break
        found.append(index)
    return found


def find_chapter_vii(seg: Segmentation, text: str) -> ChapterVII:
    """Find the operative Chapter VII basis, mentions and the Article 39 determination."""
    if not seg.ok:
        return ChapterVII(seg.resolution, operative=False)
    operative = seg.operative()
    acting: list[tuple[int, int]] = []
    whole = False
    paragraphs: dict[str, None] = {}  # in order, each once (as dict.fromkeys of them all)
    # operative paragraphs follow each other in the text, sub-paragraphs after their paragraph:
    # what a paragraph acting under Chapter VII covers is found by bisection, not by reading
    # every paragraph again for each of them (#27)
    starts = [p.start for p in operative]
    by_label = sorted((p.label, i) for i, p in enumerate(operative))
    index = {p.label: i for i, p in enumerate(operative)}  # labels are unique (segment)
    later_from = len(operative)  # every paragraph from this index on is in ``paragraphs``
    for paragraph in seg.paragraphs:
        match = _invocation(paragraph)
        if not match:
            continue
        span = (paragraph.start + match.start(), paragraph.start + match.end())
        acting.append(span)
        rest = _FURNITURE.sub("", paragraph.text[match.end() :]).strip(" ,;\r\n")
        closing = match.start() > _OPENING and not rest
        if paragraph.kind == "preamble":
            whole = True
        elif closing:
            # opens the next part: every later top-level paragraph, with its sub-paragraphs
            first = bisect_right(starts, paragraph.end)
            paragraphs.update((p.label, None) for p in operative[first:later_from])
            later_from = min(later_from, first)
        else:
            # the paragraph and those whose labels extend it ("12", "12(a)", "12(a)(i)")
            covered = [index[paragraph.label], *_extending(by_label, paragraph.label + "(")]
            paragraphs.update((operative[i].label, None) for i in sorted(covered))
    labels = [p.label for p in operative if p.depth == 0] if whole else list(paragraphs)
    in_acting = Ranges(acting)
    mentions = tuple(
        (m.start(), m.end())
        for m in _MENTION.finditer(text, seg.body_start or 0)
        if not in_acting.contain(m.start())
    )
    art39 = None
    for paragraph in seg.paragraphs:
        found = _ARTICLE_39.search(paragraph.text[:700])
        if found and found.start() < _OPENING:
            art39 = (paragraph.start + found.start(), paragraph.start + found.end())
            break
    first = acting[0] if acting else None
    return ChapterVII(
        resolution=seg.resolution,
        operative=whole,
        paragraphs=tuple(labels),
        start=first[0] if first else None,
        end=first[1] if first else None,
        quote=text[first[0] : first[1]] if first else None,
        mentions=mentions,
        article_39=art39 is not None,
        article_39_span=art39,
    )
