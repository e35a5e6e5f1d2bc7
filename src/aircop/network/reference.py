"""Read-only reference lists shipped in packages: ISO 3166 (pycountry) and airports
(airportsdata). Loaded lazily, once per process."""

from __future__ import annotations

from functools import lru_cache

import airportsdata
import pycountry


@lru_cache(maxsize=1)
def airports_by_iata() -> dict[str, dict]:
    return airportsdata.load("IATA")


def airport_record(iata: str) -> dict | None:
    if not iata or len(iata) != 3:
        return None
    return airports_by_iata().get(iata.upper())


def country_record(code: str):
    """pycountry record for an ISO alpha-2 or alpha-3 code, or None."""
    if not code:
        return None
    code = code.upper()
    if len(code) == 2:
        return pycountry.countries.get(alpha_2=code)
    if len(code) == 3:
        return pycountry.countries.get(alpha_3=code)
    return None


def all_countries():
    return list(pycountry.countries)
