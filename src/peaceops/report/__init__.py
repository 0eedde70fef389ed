"""Reports: self-contained HTML files with figures, which open offline.

A face of peaceops (../shared/DESIGN.md): it renders what the lower layers return and computes
no figure of its own; no library layer imports it (an import-linter contract).
"""

from peaceops.report.council import council_figures_context, council_report
from peaceops.report.mission import (
    comparison_report,
    mission_figures,
    mission_report,
    write_report,
)
from peaceops.report.paper import paper_report
from peaceops.report.resolution import evidence_items, highlight, resolution_report

__all__ = [
    "comparison_report",
    "council_figures_context",
    "council_report",
    "evidence_items",
    "highlight",
    "mission_figures",
    "mission_report",
    "paper_report",
    "resolution_report",
    "write_report",
]
