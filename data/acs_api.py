"""Census API client for ACS 5-year tract tables (Cook County), kept apart as fetch → parse → validate.

The session is injectable (tests pass a fake one with recorded payloads; nothing here needs Streamlit).
Every request has a timeout; 429 and 5xx answers are retried with exponential backoff; every failure
raises :class:`AcsError` with a sentence a person can act on. The API key never appears in messages.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pandas as pd
import requests

from data.errors import AcsError
from data.raw import replace_special_values

API_URL = "https://api.census.gov/data/{year}/acs/acs5"
STATE, COUNTY = "17", "031"
MIN_COOK_TRACTS = 1300  # Cook County has 1,332 tracts in the 2020 geography
RETRY_STATUSES = {429, 500, 502, 503, 504}

VARIABLES = (
    [f"B28002_{i:03d}{k}" for i in range(1, 14) for k in "EM"]
    + [f"B28003_{i:03d}{k}" for i in (1, 6) for k in "EM"]
    + [f"B19001_{i:03d}{k}" for i in range(1, 8) for k in "EM"]
)
"""44 variables: one request (the API allows 50)."""


def fetch_text(
    year: int,
    session: requests.Session | None = None,
    key: str | None = None,
    timeout: float = 30.0,
    retries: int = 4,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """The raw response body for Cook County tracts of ACS 5-year ``year``."""
    session = session or requests.Session()
    url = API_URL.format(year=year)
    params = {"get": ",".join(["NAME", *VARIABLES]), "for": "tract:*", "in": [f"state:{STATE}", f"county:{COUNTY}"]}
    if key:
        params["key"] = key
    for attempt in range(retries + 1):
        try:
            response = session.get(url, params=params, timeout=timeout)
        except requests.Timeout as exc:
            raise AcsError(f"The Census API did not answer within {timeout:.0f} seconds.", url) from exc
        except requests.ConnectionError as exc:
            raise AcsError("Could not reach the Census API (connection failed or was reset).", url) from exc
        if response.status_code in RETRY_STATUSES and attempt < retries:
            sleep(backoff * 2**attempt)
            continue
        if response.status_code == 404:
            raise AcsError(f"The Census API has no ACS 5-year data for {year} (not published yet?).", url, 404)
        if response.status_code != 200:
            raise AcsError("The Census API refused the request.", url, response.status_code)
        return response.text
    raise AssertionError("unreachable")  # pragma: no cover


def parse_payload(text: str, url: str = "") -> pd.DataFrame:
    """Census API JSON (a list of rows, header first) → one row per tract with ``geoid`` and numeric
    ``…E``/``…M`` columns, special values handled as in :func:`data.raw.replace_special_values`.
    Raises AcsError for anything else."""
    stripped = text.lstrip()
    if "invalid key" in text[:2000].lower() or stripped.startswith("<"):
        raise AcsError("The Census API rejected the request: the API key is invalid or not activated.", url, 200)
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AcsError(f"The Census API answer is not valid JSON ({exc.msg} at character {exc.pos}).", url) from exc
    if not (isinstance(rows, list) and rows and all(isinstance(r, list) for r in rows)):
        raise AcsError("The Census API answer is not a table of rows.", url)
    header, body = rows[0], rows[1:]
    missing = [c for c in [*VARIABLES, "state", "county", "tract"] if c not in header]
    if missing:
        raise AcsError(f"The Census API answer lacks column(s) {', '.join(missing[:5])}.", url)
    if any(len(r) != len(header) for r in body):
        raise AcsError("The Census API answer has rows of the wrong length.", url)
    frame = pd.DataFrame(body, columns=header)
    frame["geoid"] = frame["state"] + frame["county"] + frame["tract"]
    if not frame["geoid"].str.fullmatch(rf"{STATE}{COUNTY}\d{{6}}").all():
        raise AcsError("The Census API answer has tract IDs outside Cook County, Illinois.", url)
    if len(frame) < MIN_COOK_TRACTS:
        raise AcsError(f"The Census API returned only {len(frame)} tracts; Cook County has about 1,332.", url)
    values = frame[VARIABLES].apply(pd.to_numeric, errors="coerce")
    if values.isna().to_numpy().any():
        raise AcsError("The Census API answer has non-numeric values.", url)
    return replace_special_values(pd.concat([frame[["geoid"]], values], axis=1))


def fetch_cook_tracts(year: int, **kwargs) -> pd.DataFrame:
    """Fetch and parse ACS 5-year ``year`` for Cook County tracts (see :func:`fetch_text` for options)."""
    return parse_payload(fetch_text(year, **kwargs), API_URL.format(year=year))
