"""Census API refresh against recorded-format payloads; no test touches the network. In the app, a failed
refresh leaves the last snapshot serving, and only staff may start one.

The payloads are test fixtures in the exact shape the Census API returns (a JSON list of string
rows, header first). ``api_payload_from_raw`` rebuilds one from the ACS 2017-2021 tract file, so the
refreshed vintage must reproduce the committed 2017-2021 figures.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pandas as pd
import pytest
import requests

from data import acs_api, raw, refresh
from data.errors import AcsError
from notes import accounts
from settings import SNAPSHOT_DIR
from tests.support.accounts import store_with_accounts
from tests.support.pages import staff_page
from tests.support.raw import needs_raw


class FakeResponse:
    def __init__(self, status: int = 200, text: str = ""):
        self.status_code = status
        self.text = text


class FakeSession:
    """Plays back a list of responses (or raises the exceptions in it), recording each request."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def get(self, url, params=None, timeout=None):
        self.calls.append((url, params, timeout))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def synthetic_payload(n_tracts: int = 1332) -> list[list[str]]:
    """Synthetic test fixture: n tracts with small consistent numbers (not real data)."""
    header = ["NAME", *acs_api.VARIABLES, "state", "county", "tract"]
    rows = [header]
    for i in range(n_tracts):
        values = {v: "10" for v in acs_api.VARIABLES}
        values |= {"B28002_001E": "100", "B28002_002E": "80", "B28002_012E": "10", "B28002_013E": "10"}
        rows.append([f"Tract {i}", *[values[v] for v in acs_api.VARIABLES], "17", "031", f"{i:06d}"])
    return rows


def api_payload_from_raw() -> str:
    """The 2017-2021 tract file in the Census API's shape (B19001 MOEs are not in that file: jam value)."""
    tracts = raw.read_acs_2017_2021().set_index("geoid")
    income = pd.read_csv(raw.raw_path(raw.ACS_2021_FILE), dtype={"GEOID": str}).set_index("GEOID")
    tracts["B19001_001E"] = income["hh_income_total"]
    rows = [["NAME", *acs_api.VARIABLES, "state", "county", "tract"]]
    for geoid, row in tracts.iterrows():
        values = [str(int(row[v])) if v in row.index else "-555555555" for v in acs_api.VARIABLES]
        rows.append([f"Census Tract {geoid[5:]}", *values, geoid[:2], geoid[2:5], geoid[5:]])
    return json.dumps(rows)


@pytest.fixture
def snapshot_copy(tmp_path):
    """A scratch copy of the committed snapshot, with a fingerprint to prove it was left untouched."""
    from settings import SNAPSHOT_DIR

    for path in SNAPSHOT_DIR.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return tmp_path


def fingerprint(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_request_asks_for_cook_tracts_and_never_shows_the_key():
    session = FakeSession(FakeResponse(200, json.dumps(synthetic_payload())))
    frame = acs_api.fetch_cook_tracts(2023, session=session, key="SECRET")
    url, params, timeout = session.calls[0]
    assert url == "https://api.census.gov/data/2023/acs/acs5"
    assert params["for"] == "tract:*" and params["in"] == ["state:17", "county:031"]
    assert params["key"] == "SECRET" and timeout == 30
    assert len(frame) == 1332 and frame["geoid"].iloc[0] == "17031000000"


def test_429_then_success_is_retried_with_backoff():
    waits = []
    session = FakeSession(FakeResponse(429, "slow down"), FakeResponse(200, json.dumps(synthetic_payload())))
    frame = acs_api.fetch_cook_tracts(2023, session=session, sleep=waits.append)
    assert len(frame) == 1332 and waits == [1.0]


def test_special_values_in_the_payload_follow_the_census_notes():
    rows = synthetic_payload()
    rows[1][rows[0].index("B28002_013M")] = "-555555555"  # controlled: MOE 0
    rows[2][rows[0].index("B28002_013M")] = "-222222222"  # could not be computed: not available
    frame = acs_api.parse_payload(json.dumps(rows))
    assert frame.loc[0, "B28002_013M"] == 0 and pd.isna(frame.loc[1, "B28002_013M"])
    assert frame.loc[2, "B28002_013M"] == 10


FAILURES = {
    "timeout": ([requests.Timeout("read timed out")], "did not answer within 30 seconds"),
    "connection reset": ([requests.ConnectionError("Connection reset by peer")], "Could not reach"),
    "500 after retries": ([FakeResponse(500, "oops")] * 5, "refused the request.*HTTP 500"),
    "not published": ([FakeResponse(404, "unknown")], "no ACS 5-year data for 2023"),
    "invalid key page": (
        [FakeResponse(200, "<html><body>Invalid Key: the key you provided is not valid.</body></html>")],
        "API key is invalid",
    ),
    "truncated json": ([FakeResponse(200, json.dumps(synthetic_payload())[:5000])], "not valid JSON"),
    "missing columns": (
        [FakeResponse(200, json.dumps([r[:10] + r[-3:] for r in synthetic_payload()]))],
        "lacks column",
    ),
    "too few tracts": ([FakeResponse(200, json.dumps(synthetic_payload(400)))], "only 400 tracts"),
    "non-numeric": (
        [FakeResponse(200, json.dumps(synthetic_payload()).replace('"100"', '"n/a"', 1))],
        "non-numeric",
    ),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_each_failure_raises_a_clear_error_and_leaves_the_snapshot_untouched(case, snapshot_copy):
    answers, message = FAILURES[case]
    before = fingerprint(snapshot_copy)
    session = FakeSession(*answers)
    with pytest.raises(AcsError, match=message) as info:
        refresh.refresh(2023, snapshot_copy, log=lambda *_: None, session=session, key="SECRET", sleep=lambda _: None,
                        authorised=refresh.from_the_command_line)  # fmt: skip
    assert "SECRET" not in str(info.value)
    assert fingerprint(snapshot_copy) == before


@needs_raw
def test_payload_missing_chicago_tracts_is_rejected(snapshot_copy):
    rows = json.loads(api_payload_from_raw())
    rows = [rows[0]] + [r for r in rows[1:] if r[-1] != "010100"]  # drop a Rogers Park tract
    before = fingerprint(snapshot_copy)
    with pytest.raises(AcsError, match="Chicago tract.*missing.*17031010100"):
        refresh.refresh(
            2023,
            snapshot_copy,
            log=lambda *_: None,
            session=FakeSession(FakeResponse(200, json.dumps(rows))),
            authorised=refresh.from_the_command_line,
        )
    assert fingerprint(snapshot_copy) == before


@pytest.mark.slow  # runs the whole build (the ward overlays take seconds)
@needs_raw
def test_refresh_writes_a_new_vintage_that_reproduces_the_tract_figures(snapshot_copy):
    from data import snapshot

    messages = []
    session = FakeSession(FakeResponse(200, api_payload_from_raw()))
    written = refresh.refresh(2023, snapshot_copy, log=messages.append, session=session, key=None,
                              authorised=refresh.from_the_command_line)  # fmt: skip
    assert {p.name for p in written} == {
        "community_areas_acs5_2019_2023.csv",
        "citywide_acs5_2019_2023.csv",
        "tracts_acs5_2019_2023.csv",
        "tract_areas_acs5_2019_2023.csv",
        "wards_acs5_2019_2023.csv",  # a period on 2020 tracts has ward figures too
        "tract_wards_acs5_2019_2023.csv",
        "vintages.json",
    }
    assert messages[0].startswith("1/4 fetching ACS 2019-2023 5-year")
    new = pd.read_csv(snapshot_copy / "community_areas_acs5_2019_2023.csv")
    old = pd.read_csv(snapshot_copy / "community_areas_acs5_2017_2021.csv")
    for column in ("households", "no_subscription", "no_subscription_moe", "no_computer_cv"):
        pd.testing.assert_series_equal(new[column], old[column])
    new_wards = pd.read_csv(snapshot_copy / "wards_acs5_2019_2023.csv")
    old_wards = pd.read_csv(snapshot_copy / "wards_acs5_2017_2021.csv")
    for column in ("households", "no_subscription", "no_subscription_moe", "no_computer_cv"):
        pd.testing.assert_series_equal(new_wards[column], old_wards[column])  # same tract figures, same wards
    snapshot.verify(snapshot_copy)
    assert snapshot.vintages_in(snapshot.read_manifest(snapshot_copy))[0] == "acs5_2019_2023"
    manifest = snapshot.read_manifest(snapshot_copy)["vintages"]["acs5_2019_2023"]
    assert manifest["has_moe"] and "retrieved" in manifest


# ------------------------------------------------------------------ in the app: the About-the-data page


@pytest.mark.slow  # runs the whole build (the ward overlays take seconds)
def test_a_census_api_failure_shows_a_notice_and_the_last_snapshot_keeps_serving(tmp_path, monkeypatch):
    snapshot_copy = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot_copy)
    monkeypatch.setenv("EQUITY_SNAPSHOT_DIR", str(snapshot_copy))
    before = {p.name: p.read_bytes() for p in snapshot_copy.iterdir()}

    def failing_fetch(year, **_):
        raise AcsError("The Census API did not answer within 30 seconds.", "https://api.census.gov/data/2023/acs/acs5")

    monkeypatch.setattr("data.refresh.fetch_cook_tracts", failing_fetch)
    at, _ = staff_page(tmp_path, monkeypatch, "pages/4_About_the_data.py")
    next(b for b in at.button if b.label == "Fetch from the Census API").click().run()
    assert not at.exception
    notice = " ".join(e.value for e in at.error)
    assert "did not answer" in notice and "keeps showing the data it already had" in notice
    assert {p.name: p.read_bytes() for p in snapshot_copy.iterdir()} == before
    at.switch_page("app.py")
    at.run()
    assert at.metric[0].value == "171,879"  # still serving the last good snapshot


def test_a_viewer_cannot_trigger_a_refresh(tmp_path_factory, snapshot_copy):
    """The refresh asks for its permission itself: a viewer or a signed-out visitor changes nothing."""
    engine = store_with_accounts(f"sqlite:///{tmp_path_factory.mktemp('notes') / 'r.db'}")
    viewer = accounts.Account("victor", "viewer", accounts.utcnow() + dt.timedelta(minutes=5))
    before = fingerprint(snapshot_copy)
    for account in (viewer, None):
        with pytest.raises(accounts.AccessDenied):
            refresh.refresh(2023, snapshot_copy, authorised=lambda a=account: accounts.check_staff(engine, a))
    assert fingerprint(snapshot_copy) == before
