"""Records of the coding layer: paragraphs, codes, Chapter VII findings and targets.

Every record that points into a resolution carries ``[start, end)`` character offsets into the
stored text (``resolutions.text``) and the ``quote`` those offsets select, so that
``text[start:end] == quote`` can be checked for every row. Codes also carry the versioned name
of the coder that produced them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: PEMA's modalities: observe and report; support others; the mission does it itself;
#: encouraged or suggested rather than requested.
MODALITIES = ("Monitor", "Assist", "Security", "Encouraged")


@dataclass(frozen=True)
class Paragraph:
    """A preamble or operative paragraph (or sub-paragraph) of a resolution.

    Attributes:
        resolution: resolution number.
        kind: ``"preamble"`` or ``"operative"``.
        label: ``"p3"`` for the third preamble paragraph; ``"12"``, ``"12(b)"``,
            ``"12(b)(i)"`` for operative paragraphs and their sub-paragraphs.
        number: the operative paragraph number (12 for ``12(b)``); ``None`` in the preamble.
        parent: label of the enclosing paragraph (``"12"`` for ``12(b)``), else ``None``.
        depth: 0 for a paragraph, 1 for (a), 2 for (i).
        start: offset of the first character (the number or letter marker included).
        end: offset after the last character (trailing blanks excluded).
        text: ``full_text[start:end]``; a paragraph's text includes its sub-paragraphs.
    """

    resolution: int
    kind: str
    label: str
    number: int | None
    parent: str | None
    depth: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Segmentation:
    """All paragraphs of one resolution, or the reason it could not be segmented."""

    resolution: int
    paragraphs: tuple[Paragraph, ...] = ()
    body_start: int | None = None
    operative_start: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the resolution was segmented."""
        return self.error is None

    def operative(self) -> tuple[Paragraph, ...]:
        """The operative paragraphs and sub-paragraphs, in text order."""
        return tuple(p for p in self.paragraphs if p.kind == "operative")


def designator(acronym: str) -> str:
    """The word a text names a mission by, as :attr:`Code.mission` holds it.

    "UNOSOM" for "UNOSOM II", "UNAVEM" for "UNAVEM II": the registry's acronym up to its first
    space.
    """
    return acronym.split()[0]


@dataclass(frozen=True)
class Code:
    """One task a resolution gives a mission, with the words that justify it.

    Attributes:
        resolution: resolution number.
        paragraph: label of the (sub-)paragraph, e.g. ``"12(b)"``.
        task: PEMA task stem (``CivProtect``, ``OffensOper``, ...) or a peaceops task.
        modality: one of :data:`MODALITIES`.
        verb: the Council's verb governing the paragraph (``decides``, ``requests``,
            ``authorizes``, ``encourages``, ``calls upon``, ...).
        strength: strength markers found in the paragraph (``all necessary means``,
            ``robust``, ``neutralize``, ``targeted offensive operations``, ...).
        start: offset of the evidence span.
        end: end offset of the evidence span.
        quote: ``text[start:end]``.
        coder: versioned coder name, e.g. ``"peaceops.rule_coder.v1"``.
        mission: the acronym of the mission the paragraph (or the paragraph it belongs to)
            addresses, e.g. ``"MONUSCO"``; None when it names the mission generically ("the
            Mission", "the Force").
    """

    resolution: int
    paragraph: str
    task: str
    modality: str
    verb: str
    strength: tuple[str, ...]
    start: int
    end: int
    quote: str
    coder: str
    mission: str | None = None


@dataclass(frozen=True)
class Target:
    """An armed group that an operative paragraph targets (neutralize, disarm, ...).

    ``actor_id`` links to the registry; ``inferred`` marks a generic target ("armed groups")
    linked to groups the same resolution names elsewhere, which is an inference, not a reading.
    """

    resolution: int
    paragraph: str
    group: str
    actor_id: str | None
    relation: str
    start: int
    end: int
    quote: str
    inferred: bool = False
    coder: str = ""


@dataclass(frozen=True)
class ChapterVII:
    """How a resolution invokes Chapter VII and Article 39.

    Attributes:
        resolution: resolution number.
        operative: the Council acts under Chapter VII for the whole operative part.
        paragraphs: operative paragraphs adopted under Chapter VII (all of them when
            ``operative``; only those that say so otherwise).
        start, end, quote: the span of the operative invocation ("Acting under Chapter VII
            of the Charter ..."), ``None`` when there is none.
        mentions: spans that mention Chapter VII without acting under it (recalling earlier
            resolutions, quoting the Charter), as ``(start, end)``.
        article_39: the resolution determines a threat to (or breach of) the peace.
        article_39_span: ``(start, end)`` of that determination.
    """

    resolution: int
    operative: bool
    paragraphs: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    mentions: tuple[tuple[int, int], ...] = field(default_factory=tuple)
    article_39: bool = False
    article_39_span: tuple[int, int] | None = None
