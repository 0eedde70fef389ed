"""The paper's claims as one self-contained HTML table (``peaceops paper --html FILE``).

Renders the document of :func:`peaceops.claims.run_claims`: per claim the quote and section,
how peaceops tests it (with the command that reproduces it), what it found, the evidence spans
and the verdict. The web explorer shows the same table (``/paper``).
"""

from __future__ import annotations

from peaceops import __version__
from peaceops.report.render import environment


def paper_report(
    document: dict, *, built_at: str | None = None, link_base: str | None = None
) -> str:
    """The HTML of the claims table.

    Args:
        document: what :func:`peaceops.claims.run_claims` returned.
        built_at: when the knowledge base was built (shown in the header).
        link_base: where resolution pages live (``""`` in the web explorer, or the explorer's
            address); None links each resolution to its official text at undocs.org (the
            file loads nothing: the evidence is quoted in it, the links are for readers).
    """
    return (
        environment()
        .get_template("paper.html")
        .render(version=__version__, built_at=built_at, doc=document, link_base=link_base)
    )
