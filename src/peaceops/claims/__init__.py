"""``peaceops paper``: the empirical claims of Peter (2023), tested against the data.

Each claim is a registered function (:func:`peaceops.claims.base.claim`) that reads the
knowledge base and returns a verdict with its figures, evidence and missing data; see
:mod:`peaceops.claims.base`. ``docs/paper-claims.md`` is the generated table.
"""

from peaceops.claims.base import CLAIMS, VERDICTS, Result, run_claims
from peaceops.claims.markdown import claims_markdown

__all__ = ["CLAIMS", "VERDICTS", "Result", "claims_markdown", "run_claims"]
