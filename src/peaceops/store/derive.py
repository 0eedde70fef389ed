"""Tables the store derives from its own records (no coder, no measure).

``resolutions`` joins every source that knows a resolution - its texts, the dates file, the
meeting tables and the votes - into one row per resolution, with the preferred text and the
source of its date and title. Its ``text`` is the reading text
(:func:`peaceops.sources.layout.reading_text`: the page furniture of the published layout
removed, broken paragraphs joined); ``resolution_texts`` keeps each text as found.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from peaceops.sources.layout import reading_text
from peaceops.store.database import Database, registered

DERIVE_RESOLUTIONS = """
INSERT INTO resolutions
WITH numbers AS (
    SELECT number FROM resolution_texts
    UNION SELECT number FROM resolution_dates
    UNION SELECT resolution FROM meeting_decisions WHERE kind = 'resolution'
    UNION SELECT resolution FROM drafts WHERE outcome = 'adopted' AND resolution IS NOT NULL
),
txt AS (SELECT * FROM resolution_texts WHERE preferred),
stated AS (  -- adoption date written in any text of the resolution
    SELECT number, min(stated_date) AS d FROM resolution_texts GROUP BY number
),
meet AS (
    SELECT resolution AS number, min(date) AS d, min(resolution_year) AS y, first(topic) AS topic
    FROM meeting_decisions WHERE kind = 'resolution' GROUP BY resolution
),
vote AS (
    SELECT resolution AS number, min(date) AS d, min(resolution_year) AS y,
           first(agenda_item) AS agenda
    FROM drafts WHERE outcome = 'adopted' AND resolution IS NOT NULL GROUP BY resolution
),
dated AS (
    SELECT n.number,
        coalesce(rd.date, stated.d, meet.d, vote.d) AS date,
        CASE WHEN rd.date IS NOT NULL THEN 'all_resolutions_date.dta'
             WHEN stated.d IS NOT NULL THEN 'text adoption line'
             WHEN meet.d IS NOT NULL THEN 'meeting tables'
             WHEN vote.d IS NOT NULL THEN 'sc_voting.xlsx' END AS date_source,
        coalesce(rd.year, txt.year, meet.y, vote.y) AS label_year,
        coalesce(meet.topic, vote.agenda) AS title,
        CASE WHEN meet.topic IS NOT NULL THEN 'meeting tables (topic)'
             WHEN vote.agenda IS NOT NULL THEN 'sc_voting.xlsx (agenda item)' END AS title_source,
        txt.text, txt.text_source, txt.text_path, txt.encoding, txt.n_chars
    FROM numbers n
    LEFT JOIN resolution_dates rd USING (number)
    LEFT JOIN txt USING (number)
    LEFT JOIN stated USING (number)
    LEFT JOIN meet USING (number)
    LEFT JOIN vote USING (number)
    WHERE n.number IS NOT NULL {only}
)
SELECT number, coalesce(year(date), label_year) AS year,
    'S/RES/' || number || ' (' || coalesce(year(date), label_year) || ')' AS symbol,
    date, date_source, title, title_source, text IS NOT NULL AS has_text,
    text, text_source, text_path, encoding, n_chars
FROM dated ORDER BY number
"""


def derive_resolutions(db: Database, numbers: Iterable[int] | None = None) -> int:
    """Fill ``resolutions`` from the loaded records; return its row count.

    Args:
        db: a writable database whose ``resolutions`` is empty (``numbers`` None), or holds
            rows for other resolutions than ``numbers``.
        numbers: derive only these resolutions (``peaceops add``), replacing their rows.
    """
    only, params = "", None
    if numbers is not None:
        params = sorted({int(n) for n in numbers})
        only = f"AND n.number IN ({', '.join('?' * len(params))})" if params else "AND false"

    def write(conn) -> None:
        if params is not None:
            conn.execute(
                "DELETE FROM resolutions WHERE number IN (SELECT unnest(?::INTEGER[]))", [params]
            )
        conn.execute(DERIVE_RESOLUTIONS.format(only=only), params or None)
        where = "" if params is None else " AND number IN (SELECT unnest(?::INTEGER[]))"
        found = conn.execute(
            f"SELECT number, text FROM resolutions WHERE has_text{where}",
            [params] if params is not None else None,
        ).fetchall()
        cleaned = [(n, clean) for n, t in found if (clean := reading_text(t)) is not t]
        if cleaned:
            frame = pd.DataFrame(cleaned, columns=["number", "text"])
            with registered(conn, "_reading", frame):
                conn.execute(
                    "UPDATE resolutions SET text = r.text, n_chars = length(r.text) "
                    "FROM _reading r WHERE resolutions.number = r.number"
                )

    db.execute_write_fn(write)
    return int(db.scalar("SELECT count(*) FROM resolutions"))
