"""The Jinja2 environment of the reports: templates from the package, autoescaped, strict.

Every page extends ``templates/base.html`` (the shared head and styles), so the files stay
self-contained while the styles live in one place.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup

from peaceops.forecast.names import carried_text


@cache
def environment() -> jinja2.Environment:
    """The one environment (built once) that renders every report template."""
    loader = jinja2.FunctionLoader(
        lambda name: (resources.files("peaceops.report") / "templates" / name).read_text("utf-8")
    )
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["anchor"] = paragraph_anchor
    env.globals.update(carried_text=carried_text)
    return env


def paragraph_anchor(label: object) -> str:
    """The HTML id of a resolution's paragraph: ``p-`` and its label, ``12(p)`` -> ``p-12-p-``.

    Every character outside letters and digits becomes ``-``; the reports and the explorer use
    the same ids, so an evidence link (``/resolutions/2098#p-12-b-``) lands on its paragraph.
    """
    return "p-" + re.sub(r"[^A-Za-z0-9]", "-", str(label))


def inline_svg(text: str) -> Markup:
    """An SVG of the figure modules, safe to inline in a page.

    matplotlib escapes every text it writes into an SVG, and the figures hold no script.
    """
    if "<script" in text.lower():  # pragma: no cover - a guard, never expected
        raise RuntimeError("a figure holds a script; refusing to inline it")
    return Markup(text)  # noqa: S704 - see the docstring
