"""The explorer's templates (``web/templates``): one autoescaped, strict Jinja2 environment."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

import jinja2

from peaceops import __version__
from peaceops.forecast.names import carried_text, feature_name
from peaceops.report.render import paragraph_anchor


def _query(params: dict[str, Any]) -> str:
    """``?a=1&b=2`` for the parameters that have a value (for download links)."""
    kept = {k: v for k, v in params.items() if v not in (None, "", [])}
    return "?" + urlencode(kept, doseq=True) if kept else ""


def _template(name: str) -> str:
    """A template of the explorer, or ``report/<name>``: a part shared with the reports."""
    if name.startswith("report/"):
        return (resources.files("peaceops.report") / "templates" / name[7:]).read_text("utf-8")
    return (resources.files("peaceops.web") / "templates" / name).read_text("utf-8")


@cache
def environment() -> jinja2.Environment:
    """The one environment (built once) that renders every page of the explorer."""
    loader = jinja2.FunctionLoader(_template)
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals.update(version=__version__, query=_query, carried_text=carried_text)
    env.filters["feature_name"] = feature_name
    env.filters["anchor"] = paragraph_anchor
    return env


def render(template: str, **context: Any) -> str:
    """A page of the explorer as HTML."""
    return environment().get_template(template).render(**context)
