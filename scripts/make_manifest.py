#!/usr/bin/env python3
"""Regenerate ``src/peaceops/sources/manifest.csv`` from a data directory.

Every file of the data directory gets one row ``path,sha256,size,url``: ``path`` relative to the
data directory with ``/`` separators, SHA-256 and size read from the file, and ``url`` the raw
GitHub URL of the upstream file it is a byte-for-byte copy of, built from the mapping tables
below (taken from the data directory's README.md). Files written or derived by peaceops have an
empty url, or the url of the one upstream file they were derived from; ``peaceops.sources.fetch``
knows them as derived and never downloads them from upstream.

A file that no rule maps is an error: add a rule rather than let a file go unmapped.

Usage::

    python scripts/make_manifest.py [DATA_DIR] [-o OUT] [--check]

DATA_DIR defaults to $PEACEOPS_DATA, else ``../shared/data`` beside the repository.
``--check`` compares with the existing manifest instead of writing it (exit 1 on a difference).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import sys
from pathlib import Path
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "src" / "peaceops" / "sources" / "manifest.csv"
RAW = "https://raw.githubusercontent.com"

# Upstream repositories, at the (short) commits named in the data README.
PVS = ("felixhaass/pvs_securitycouncil", "05ff4eacf6e8afc5ea5551d387cafbad92718136")
CRUNSC = ("SeanFobbe/cr-unsc", "ba7a562cd5daf59b43ca555578696c1992d9d695")
UNBENCH = ("yueqingliang1/UNBench", "07bc4b7f2c7ffd11f39431b8a1cf2841a7e1f1b6")
VOTING = ("oliverunv/Voting-Agent", "50cbeca")
VETOES = ("world-politics-datalab/vetoes-un-security-council", "661c524")
UNSCDS = ("intreleng-research/unsc-dataset", "80fede2")
FORUS = ("emilytong123/unsc_for_us", "6346d1c")
RELAPSE = ("tdballesteros/conflict-relapse", "b82b6c1")
PKOC = ("elioamicarelli/peacekeeping_operations_corpus", "eaa3efd")
MANDATES = ("united-nations/mandates", "118ed20db4f36e49d625fa7d1d00a8a7823ef044")
MANDATES_ENTITIES = ("united-nations/mandates", "3757c52")
DPA = (
    "UniteIdeas/UN_Security_Council_Resolutions_Relationships_Explorer",
    "a8cc9c735b47c44430d147ab414294867f3ff172",
)
PEMA = ("tobiaskauer/peacemandates", "ae1540a")
PPP = ("IPIDataLab/PPP_Loader", "2653920af58e91a892d1cde3a402a57a2ebf5cdf")
TCC = ("IPIDataLab/TCC-DataScraper", "936f28e")
MANDCON = ("treywood10/Mandate_Contribute", "fddf06f")
GEOPKO = ("geopko/Geo-PKO-Shiny-Dashboard", "b6ba64e913461c8b5b9688307afdfcadbaa64162")
OWID = ("owid/owid-datasets", "c3061c19")
UCDP = ("optgeo/ucdp-23.1-482", "be05b36")
GENOCIDE = ("fmadore/genocide-at-the-security-council", "752ef667de072517a7e2b0148941448e2330edda")

# Local path (a folder when it ends with "/", else one file) -> (repository, upstream path).
# A folder rule maps every file below it to the same relative path below the upstream folder.
# The longest matching rule wins.
RULES: dict[str, tuple[tuple[str, str], str]] = {
    # resolutions
    "resolutions/texts/": (PVS, "Data/Resolutions Textfiles Complete, 1946-2015 - Ohne Annex/"),
    "resolutions/all_resolutions_date.dta": (PVS, "Data/all_resolutions_date.dta"),
    "resolutions/LICENSE.pvs_securitycouncil": (PVS, "LICENSE"),
    "resolutions/README.pvs_securitycouncil.md": (PVS, "README.md"),
    "resolutions/README_PVS_replication.pvs_securitycouncil.txt": (
        PVS,
        "README_PVS_replication.txt",
    ),
    "resolutions/cr-unsc-gold/": (CRUNSC, "data/res_en_gold/"),
    "resolutions/cr-unsc-gold/README.revision-texts.cr-unsc.md": (
        CRUNSC,
        "instructions/revision-texts.md",
    ),
    "resolutions/cr-unsc-meta/": (CRUNSC, "data/"),
    "resolutions/cr-unsc-meta/README.cr-unsc.md": (CRUNSC, "README.md"),
    "resolutions/cr-unsc-meta/CHANGELOG.cr-unsc.md": (CRUNSC, "CHANGELOG.md"),
    "resolutions/cr-unsc-meta/LICENSE.cr-unsc.GPL3-code.txt": (CRUNSC, "LICENSE"),
    # votes
    "votes/sc_voting.xlsx": (VOTING, "data/sc_voting.xlsx"),
    "votes/README.Voting-Agent.md": (VOTING, "README.md"),
    "votes/unsc_vetoes_1946_sept2022.csv": (VETOES, "unsc_vetoes_1946_sept2022.csv"),
    "votes/README.vetoes-un-security-council.md": (VETOES, "README.md"),
    "votes/LICENSE.vetoes/LICENSE": (VETOES, "LICENSE"),
    # meetings
    "meetings/html/": (UNSCDS, "UNDataScraping/scratch/"),
    "meetings/html/README.unsc-dataset-UNDataScraping.md": (UNSCDS, "UNDataScraping/README.md"),
    "meetings/undl-exports/": (UNSCDS, "UNExports/"),
    "meetings/undl-exports/README.unsc-dataset-UNExports.md": (UNSCDS, "UNExports/README.md"),
    "meetings/README.unsc-dataset.md": (UNSCDS, "README.md"),
    # Inferred from the local name (README.<repo>.md pattern); not seen in an index of the repo.
    "meetings/LICENSE.unsc-dataset.md": (UNSCDS, "LICENSE.md"),
    "meetings/unsc_for_us/": (FORUS, ""),
    "meetings/unsc_for_us/README.unsc_for_us.md": (FORUS, "README.md"),
    # missions
    "missions/DPPADPOSS-PKO.csv": (RELAPSE, "Data files/Raw data files/DPPADPOSS-PKO.csv"),
    "missions/README.conflict-relapse.md": (RELAPSE, "README.md"),
    "missions/mission_start.csv": (PKOC, "utils/periods/mission_start.csv"),
    "missions/README.peacekeeping_operations_corpus.md": (PKOC, "README.md"),
    "missions/un-mandates-registry/pkm2026/": (MANDATES, "data/processed/pkm2026/"),
    "missions/un-mandates-registry/ppb2027/": (MANDATES, "data/processed/ppb2027/"),
    "missions/un-mandates-registry/peacekeeping_mission_budgets.csv": (
        MANDATES,
        "data/references/peacekeeping_mission_budgets.csv",
    ),
    "missions/un-mandates-registry/entity_details.csv": (
        MANDATES_ENTITIES,
        "data/entity_details.csv",
    ),
    "missions/un-mandates-registry/README.mandates.md": (MANDATES, "README.md"),
    # mandates
    "mandates/dpa-2010/": (DPA, "data/"),
    "mandates/dpa-2010/README.Relationships_Explorer.md": (DPA, "README.md"),
    # personnel
    "personnel/ipi/data_mission.csv": (PPP, "ppp_files/data_mission.csv"),
    "personnel/ipi/data_monthly.csv": (PPP, "ppp_files/data_monthly.csv"),
    "personnel/ipi/current_month.csv": (PPP, "ppp_files/current_month/current_month.csv"),
    "personnel/ipi/contributors_monthly/": (PPP, "ppp_files/countries/"),
    "personnel/ipi/missions.json": (PPP, "python/json/missions.json"),
    "personnel/ipi/countries.json": (PPP, "python/json/countries.json"),
    "personnel/ipi/README.PPP_Loader.md": (PPP, "README.md"),
    "personnel/ipi/LICENSE.PPP_Loader": (PPP, "LICENSE"),
    "personnel/ipi/contributor_mission_month_2009_2014.csv": (TCC, "tcc_files/Gender.Full.csv"),
    "personnel/ipi/README.TCC-DataScraper.md": (TCC, "README.md"),
    "personnel/mandate_contribute/Personnel_shortfall_data.dta": (
        MANDCON,
        "Make_Data/Shortfalls/Personnel_shortfall_data.dta",
    ),
    "personnel/mandate_contribute/UN and Non-UN Peacekeeping_v2-2019.dta": (
        MANDCON,
        "Make_Data/Regional_PKO/UN and Non-UN Peacekeeping_v2-2019.dta",
    ),
    "personnel/mandate_contribute/Codebook_UN and Non-UN Peacekeeping_v2-2019.pdf": (
        MANDCON,
        "Make_Data/Regional_PKO/Codebook_UN and Non-UN Peacekeeping_v2-2019.pdf",
    ),
    "personnel/mandate_contribute/Contigent-mission-month_data.dta": (
        MANDCON,
        "Make_Data/PKO_Deaths/Contigent-mission-month_data.dta",
    ),
    "personnel/mandate_contribute/TAMM+v2_1+codebook.pdf": (
        MANDCON,
        "Make_Data/TAMM/TAMM+v2_1+codebook.pdf",
    ),
    "personnel/mandate_contribute/README.Mandate_Contribute.md": (MANDCON, "README.md"),
    "personnel/geo-pko/": (GEOPKO, "data/"),
    "personnel/geo-pko/LICENSE": (GEOPKO, "LICENSE"),
    "personnel/geo-pko/README.Geo-PKO-Shiny-Dashboard.md": (GEOPKO, "README.md"),
    "personnel/owid_un_peacekeeping.csv": (
        OWID,
        "datasets/United Nations Peacekeeping/United Nations Peacekeeping.csv",
    ),
    "personnel/owid_un_peacekeeping.README.md": (
        OWID,
        "datasets/United Nations Peacekeeping/README.md",
    ),
    "personnel/owid_un_peacekeeping.datapackage.json": (
        OWID,
        "datasets/United Nations Peacekeeping/datapackage.json",
    ),
    # events, council, drafts
    "events/ucdp-ged-car/GEDEvent_v23_1.geojson": (UCDP, "GEDEvent_v23_1.geojson"),
    "events/ucdp-ged-car/LICENSE": (UCDP, "LICENSE"),
    "events/ucdp-ged-car/README.ucdp-23.1-482.md": (UCDP, "README.md"),
    "council/council_membership.csv": (GENOCIDE, "config/council_membership.csv"),
    "council/LICENSE-DATA.md": (GENOCIDE, "LICENSE-DATA.md"),
    "council/README.genocide-at-the-security-council.md": (GENOCIDE, "README.md"),
    "drafts/unbench/": (UNBENCH, "data/"),
    "drafts/unbench/LICENSE": (UNBENCH, "LICENSE"),
    "drafts/unbench/README.UNBench.md": (UNBENCH, "README.md"),
}

# Contributor files that PPP_Loader's countries/ folder was not seen to hold (all end before
# March 2014); TCC-DataScraper's tcc_files/countries/ holds the same bytes (sizes checked).
TCC_COUNTRIES = frozenset(
    {
        "Antigua and Barbuda",
        "Bahamas",
        "Barbados",
        "Botswana",
        "Cape Verde",
        "Congo",
        "Cuba",
        "Dominica",
        "Gabon",
        "Guyana",
        "Iceland",
        "Israel",
        "Kazakhstan",
        "Kuwait",
        "Lebanon",
        "Libya",
        "Macedonia",
        "Mauritius",
        "Mexico",
        "Saudi Arabia",
        "Singapore",
        "Suriname",
        "Trinidad and Tobago",
        "United Arab Emirates",
        "Venezuela",
    }
)

# Derived files with one upstream source each (the rows of one PEMA release, filtered).
PEMA_SOURCES = {
    "mandates/pema-dev/pema_raw_v2_dev.csv": "src/assets/PEMA_raw_v2.csv",
    "mandates/pema-dev/pema_feb22_v1.2_dev.csv": "src/assets/PEMA_Feb22_v1.2.csv",
    "mandates/pema-dev/pema_website_v4_dev.csv": "src/assets/PEMA_For_Website_v4.csv",
}

# Written for peaceops: no upstream file.
NO_UPSTREAM = frozenset(
    {
        "README.md",
        "mandates/pema-dev/README.md",
        "resolutions/texts-post2015/SOURCES.csv",
    }
)

TEXTS_POST2015 = "resolutions/texts-post2015/"


def raw_url(repo: tuple[str, str], upstream: str) -> str:
    """Return the raw.githubusercontent URL of ``upstream`` in ``repo`` (owner/name, commit)."""
    name, commit = repo
    return f"{RAW}/{name}/{commit}/{quote(upstream, safe='/')}"


def post2015_sources(data_dir: Path) -> dict[str, str]:
    """Map texts-post2015 files to the UNBench draft file each was extracted from.

    Only drafts stored one per JSON file (``data/task1/…``, ``data/task2/…``) correspond
    one-to-one; texts cut from the multi-draft ``task3.json``/``task4.json`` get no url.
    """
    out: dict[str, str] = {}
    sources = data_dir / TEXTS_POST2015 / "SOURCES.csv"
    with sources.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            _, _, upstream = row["source"].partition(", ")
            if upstream.startswith(("data/task1/", "data/task2/")) and upstream.endswith(".json"):
                out[TEXTS_POST2015 + row["file"]] = raw_url(UNBENCH, upstream)
    return out


def url_for(rel: str, post2015: dict[str, str]) -> str:
    """Return the upstream URL for the data file ``rel`` ("" if it has none).

    Raises:
        KeyError: no rule maps ``rel``.
    """
    if rel in NO_UPSTREAM:
        return ""
    if rel.startswith(TEXTS_POST2015):
        return post2015.get(rel, "")
    if rel in PEMA_SOURCES:
        return raw_url(PEMA, PEMA_SOURCES[rel])
    prefix = "personnel/ipi/contributors_monthly/"
    if rel.startswith(prefix) and rel[len(prefix) :].removesuffix(".csv") in TCC_COUNTRIES:
        return raw_url(TCC, "tcc_files/countries/" + rel[len(prefix) :])
    if rel in RULES:
        repo, upstream = RULES[rel]
        return raw_url(repo, upstream)
    folders = [k for k in RULES if k.endswith("/") and rel.startswith(k)]
    if not folders:
        raise KeyError(rel)
    key = max(folders, key=len)
    repo, upstream = RULES[key]
    return raw_url(repo, upstream + rel[len(key) :])


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_manifest(data_dir: Path) -> str:
    """Return the manifest text (CSV, sorted by path) for ``data_dir``.

    Raises:
        SystemExit: some files match no rule.
    """
    post2015 = post2015_sources(data_dir)
    files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["path", "sha256", "size", "url"])
    unmapped = []
    for p in files:
        rel = p.relative_to(data_dir).as_posix()
        try:
            url = url_for(rel, post2015)
        except KeyError:
            unmapped.append(rel)
            continue
        writer.writerow([rel, sha256_of(p), p.stat().st_size, url])
    if unmapped:
        raise SystemExit("no mapping rule for:\n  " + "\n  ".join(unmapped))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    default_data = os.environ.get("PEACEOPS_DATA") or str(REPO_ROOT.parent / "shared" / "data")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=default_data, type=Path)
    parser.add_argument("-o", "--out", default=DEFAULT_OUT, type=Path)
    parser.add_argument(
        "--check", action="store_true", help="compare with OUT instead of writing it"
    )
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        parser.error(f"data directory not found: {args.data_dir}")
    text = build_manifest(args.data_dir)
    rows = text.count("\n") - 1
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print(
            f"{args.out}: {'up to date' if same else 'OUT OF DATE'} ({rows} files)", file=sys.stderr
        )
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {rows} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
