"""The web explorer: FastAPI pages and a JSON API over a read-only knowledge base.

A face of peaceops (../shared/DESIGN.md): it renders what the lower layers return (and the
report's figures) and computes no figure of its own; no library layer imports it (an
import-linter contract). Start it with ``peaceops serve`` (``make serve``).
"""

from peaceops.web.app import create_app
from peaceops.web.jobs import JobLimits

__all__ = ["JobLimits", "create_app"]
