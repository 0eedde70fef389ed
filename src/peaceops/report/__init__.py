"""Reports: self-contained HTML files with figures, which open offline.

A face of peaceops (../shared/DESIGN.md): it renders what the lower layers return and computes
no figure of its own; no library layer imports it (an import-linter contract).
"""

from peaceops.report.mission import comparison_report, mission_report, write_report
from peaceops.report.resolution import resolution_report

__all__ = ["comparison_report", "mission_report", "resolution_report", "write_report"]
