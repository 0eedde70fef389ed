"""peaceops: the UN collective-security system, computable.

The package is layered (see ``DESIGN.md`` in the shared folder): ``sources`` read raw data,
``registry`` holds curated, cited facts, ``store`` puts both in one DuckDB database, and
``cli`` exposes it all on the command line.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
