"""Harmonise country names to ISO 3166 alpha-3 codes.

Every loader that meets a country name calls :func:`to_iso3`. It asks ``country_converter``
(whose own table we load with ``keep_default_na=False``: pandas 3 otherwise reads Namibia's ISO2
code ``NA`` as missing and the converter crashes), after trying our explicit table of the cases
that matter in UN data and that a fuzzy matcher gets wrong or cannot know:

* "DR Congo", "Zaire", "Congo (Kinshasa)" are COD; "Congo", "Republic of Congo" are COG.
* Kosovo is XKX (the user-assigned code the UN system and the World Bank use). UNMIK's host
  appears as Serbia (SRB) in some files and Kosovo in others; :data:`MISSION_HOST_OVERRIDES`
  settles it per mission.
* South Sudan became independent on 9 July 2011. Before that date its territory was part of
  Sudan, so ``to_iso3("South Sudan", on=date(2010, 1, 1))`` is SDN, and from that day SSD.
* "Cote d Ivoire" (IPI), "Côte d'Ivoire", "Côte d’Ivoire", "Ivory Coast" are CIV.
* Council members that no longer exist keep their ISO 3166-3 codes: USSR is SUN, Yugoslavia YUG,
  Czechoslovakia CSK, the German Democratic Republic DDR.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

SOUTH_SUDAN_INDEPENDENCE = date(2011, 7, 9)

# Keys are normalised with _key(): lower case, no accents, letters and digits only.
_EXPLICIT = {
    "drcongo": "COD",
    "democraticrepublicofthecongo": "COD",
    "democraticrepublicofcongo": "COD",
    "congokinshasa": "COD",
    "congodemocraticrepublic": "COD",
    "congodr": "COD",
    "zaire": "COD",
    "congo": "COG",
    "republicofcongo": "COG",
    "republicofthecongo": "COG",
    "congobrazzaville": "COG",
    "congorepublic": "COG",
    "kosovo": "XKX",
    "cotedivoire": "CIV",
    "ivorycoast": "CIV",
    "sudan": "SDN",
    "southsudan": "SSD",
    "ussr": "SUN",
    "unionofsovietsocialistrepublics": "SUN",
    "sovietunion": "SUN",
    "yugoslavia": "YUG",
    "socialistfederalrepublicofyugoslavia": "YUG",
    "czechoslovakia": "CSK",
    "germandemocraticrepublic": "DDR",
    "eastgermany": "DDR",
    "westernsahara": "ESH",
    "macedonia": "MKD",
    "formeryugoslavrepublicofmacedonia": "MKD",
    "northmacedonia": "MKD",
    "syria": "SYR",
    "syrianarabrepublic": "SYR",
    "timorleste": "TLS",
    "easttimor": "TLS",
    "palestine": "PSE",
    "ethipia": "ETH",  # typo in sc_voting.xlsx
    "drc": "COD",
    "serbiaandmontenegro": "SCG",  # ISO 3166-3 code of the 2003-2006 state
    "stateofpalestine": "PSE",
}

_NOT_FOUND = "__not_found__"

#: How the veto list and the meeting tables name permanent members -> ISO3 (USSR is SUN).
PERMANENT_MEMBER_NAMES = {
    "USSR": "SUN",
    "Russia": "RUS",
    "Russian Federation": "RUS",
    "USA": "USA",
    "United States": "USA",
    "UK": "GBR",
    "United Kingdom": "GBR",
    "China": "CHN",
    "France": "FRA",
}

#: Missions whose host differs between files; the registry's value wins.
MISSION_HOST_OVERRIDES = {"UNMIK": "XKX"}


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


@cache
def _converter():
    import country_converter as coco

    table = Path(coco.__file__).parent / "country_data.tsv"
    data = pd.read_csv(table, sep="\t", dtype=str, keep_default_na=False, na_values=[""])
    # country_converter logs every miss at WARNING; we report misses ourselves.
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return coco.CountryConverter(country_data=data)


@cache
def _iso3_codes() -> frozenset[str]:
    data = _converter().data
    return frozenset(data["ISO3"].dropna()) | frozenset(_EXPLICIT.values())


#: Longest text taken for a country name (the longest UN name has 56 characters); a longer
#: one is no country, and the fuzzy matcher's regexes would take minutes on it (see #13).
MAX_NAME_CHARS = 100


@cache
def _lookup(name: str) -> str | None:
    if len(name) > MAX_NAME_CHARS:
        return None
    explicit = _EXPLICIT.get(_key(name))
    if explicit:
        return explicit
    if re.fullmatch(r"[A-Z]{3}", name.strip()) and name.strip() in _iso3_codes():
        return name.strip()
    found = _converter().convert(name, to="ISO3", not_found=_NOT_FOUND)
    if isinstance(found, list):  # an ambiguous name matches several countries
        logger.warning("ambiguous country name %r matches %s", name, found)
        return None
    return None if found == _NOT_FOUND else found


def to_iso3(name: object, *, on: date | None = None) -> str | None:
    """Return the ISO3 code of a country name, or ``None`` if it is unknown or empty.

    Args:
        name: a country name in any of the spellings the data uses.
        on: the date the name refers to; needed only where borders changed (South Sudan).
    """
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return None
    text = str(name).strip()
    if not text:
        return None
    code = _lookup(text)
    if code == "SSD" and on is not None and on < SOUTH_SUDAN_INDEPENDENCE:
        return "SDN"
    return code


def to_iso3_series(names: pd.Series) -> pd.Series:
    """Vectorised :func:`to_iso3` (no dates) for a column of names, looked up once per name."""
    mapping = {n: to_iso3(n) for n in names.dropna().unique()}
    return names.map(mapping).astype("string")


@cache
def _exact_names() -> dict[str, str]:
    """Normalised key -> ISO3 of every code and full name a user may type (no fuzzy match)."""
    data = _converter().data
    names: dict[str, str] = {}
    for column in ("name_short", "name_official", "ISO3"):
        for value, code in zip(data[column], data["ISO3"], strict=True):
            if isinstance(value, str) and isinstance(code, str):
                names.setdefault(_key(value), code)
    names.update(_EXPLICIT)
    names.update({_key(k): v for k, v in PERMANENT_MEMBER_NAMES.items()})
    names.update({_key(code): code for code in set(_EXPLICIT.values())})  # SUN, YUG, CSK, DDR
    return names


def strict_iso3(name: str) -> str | None:
    """The ISO3 code of an exact code or country name (any case, accents optional), else None.

    Unlike :func:`to_iso3`, no fuzzy matching: "not France" or "North Korea and South Korea"
    are no country (see #13). Used for what users type, not for the data's spellings.
    """
    return _exact_names().get(_key(name)) if name and name.strip() else None


def suggest_countries(name: str, n: int = 3) -> list[str]:
    """Codes and names closest to ``name``, for error messages."""
    import difflib

    names = _exact_names()
    keys = difflib.get_close_matches(_key(name), list(names), n=n, cutoff=0.6)
    return sorted({names[k] for k in keys})


@cache
def _continents() -> dict[str, str]:
    data = _converter().data.dropna(subset=["ISO3", "continent"])
    return dict(zip(data["ISO3"], data["continent"], strict=True))


def continent(iso3: str | None) -> str | None:
    """The continent of a country (country_converter's UN-geoscheme ``continent``), or None.

    >>> continent("MLI"), continent("HTI"), continent("XXX")
    ('Africa', 'America', None)
    """
    return _continents().get(iso3) if iso3 else None


@cache
def _short_names() -> dict[str, str]:
    data = _converter().data.dropna(subset=["ISO3", "name_short"])
    return dict(zip(data["ISO3"], data["name_short"], strict=True))


def country_name(iso3: str | None) -> str | None:
    """The short name of a country (country_converter's ``name_short``), or None.

    >>> country_name("MLI"), country_name("XXX")
    ('Mali', None)
    """
    return _short_names().get(iso3) if iso3 else None
