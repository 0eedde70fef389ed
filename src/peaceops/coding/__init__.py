"""The mandate coder: paragraphs, tasks, Chapter VII, targets - each with its evidence span.

See ``docs/tasks.md`` for the task taxonomy and ``docs/evaluation.md`` for how the coder is
measured against expert codes.
"""

from peaceops.coding.chapter7 import CHAPTER_VII_RULES, find_chapter_vii
from peaceops.coding.coder import CODER, ResolutionCoding, RuleCoder
from peaceops.coding.records import MODALITIES, ChapterVII, Code, Paragraph, Segmentation, Target
from peaceops.coding.segment import SEGMENTER, segment
from peaceops.coding.targets import TARGET_RULES, GroupMatcher, find_targets

__all__ = [
    "CHAPTER_VII_RULES",
    "CODER",
    "MODALITIES",
    "SEGMENTER",
    "TARGET_RULES",
    "ChapterVII",
    "Code",
    "GroupMatcher",
    "Paragraph",
    "ResolutionCoding",
    "RuleCoder",
    "Segmentation",
    "Target",
    "find_chapter_vii",
    "find_targets",
    "segment",
]
