"""Sign-in sessions and the City's roles: a reload finds the sign-in again until the idle limit (the limit moves
on with each use), signing out ends it in every browser, the data layer refuses a write from an ended sign-in,
and the City's sign-in gives the staff role only to the allow-list or the staff group. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.postgres import fresh_database
from notes import accounts, city, db, sessions, store
from tests.support.accounts import PASSWORD

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
CLAIMS = {"iss": "https://id.city.test", "sub": "u-1", "iat": int(T0.timestamp()), "nonce": "n1",
          "email": "Dana@City.test", "email_verified": True}  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def engine(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'notes.db'}" if request.param == "sqlite" else None
    url = url or fresh_database(request.getfixturevalue("postgres_server"))
    engine = db.make_engine(url)
    accounts.create_account(engine, "alice", PASSWORD, "staff")
    yield engine
    engine.dispose()


def test_the_idle_limit_is_the_accounts_one():
    assert sessions.IDLE_MINUTES == accounts.SESSION_MINUTES


def test_a_reload_finds_a_local_sign_in_until_the_idle_limit_which_moves_on_with_use(engine):
    token, session = sessions.start_local(engine, "alice", "staff", now=T0)
    assert session.key == sessions.token_hash(token) and token not in session.key  # the database keeps a hash
    assert sessions.resume(engine, session.key, now=T0 + 29 * MINUTE).username == "alice"
    assert sessions.resume(engine, session.key, now=T0 + 58 * MINUTE) is not None  # 29 minutes after last use
    assert sessions.resume(engine, session.key, now=T0 + 89 * MINUTE) is None  # 31 idle minutes
    assert sessions.resume(engine, sessions.token_hash("a guessed token"), now=T0) is None


def test_signing_out_ends_every_session_of_that_person_and_no_one_elses(engine):
    accounts.create_account(engine, "bob", PASSWORD, "staff")
    _, here = sessions.start_local(engine, "alice", "staff", now=T0)
    _, there = sessions.start_local(engine, "alice", "staff", now=T0)
    _, bob = sessions.start_local(engine, "bob", "staff", now=T0)
    assert sessions.end_everywhere(engine, here.key, now=T0 + MINUTE) == 2
    assert sessions.resume(engine, here.key, now=T0 + 2 * MINUTE) is None
    assert sessions.resume(engine, there.key, now=T0 + 2 * MINUTE) is None
    assert sessions.resume(engine, bob.key, now=T0 + 2 * MINUTE) is not None


def test_a_disabled_account_or_a_new_role_counts_at_once(engine):
    _, session = sessions.start_local(engine, "alice", "staff", now=T0)
    accounts.set_role(engine, "alice", "viewer")
    assert sessions.resume(engine, session.key, now=T0).role == "viewer"
    accounts.set_disabled(engine, "alice", True)
    assert sessions.resume(engine, session.key, now=T0) is None


def test_the_data_layer_refuses_a_write_from_a_sign_in_ended_elsewhere(engine):
    signed_in = accounts.sign_in(engine, "alice", PASSWORD)
    _, session = sessions.start_local(engine, "alice", "staff")
    account = accounts.Account("alice", "staff", session.expires_at, session=session.key)
    assert accounts.check_staff(engine, account) == account
    sessions.end_everywhere(engine, session.key)
    with pytest.raises(accounts.AccessDenied) as refused:
        store.add_notes(engine, account, [store.NoteDraft("Library", "Plans cost too much", areas=[68])])
    assert refused.value.reason == accounts.Denial.INACTIVE
    assert accounts.check_staff(engine, signed_in) == signed_in  # an account made outside a sign-in: as before


def test_a_city_sign_in_is_found_again_on_reload_and_never_after_it_ended(engine):
    key = sessions.city_key(CLAIMS)
    assert key == sessions.city_key(dict(CLAIMS)) != sessions.city_key(CLAIMS | {"nonce": "n2"})
    session = sessions.start_city(engine, key, "dana@city.test", "viewer", T0, now=T0 + MINUTE)
    assert session.kind == "city" and session.role == "viewer"
    assert sessions.start_city(engine, key, "dana@city.test", "viewer", T0, now=T0 + MINUTE) is None  # seen
    assert sessions.resume(engine, key, role="staff", now=T0 + 20 * MINUTE).role == "staff"  # the claims now
    sessions.end_everywhere(engine, key, now=T0 + 21 * MINUTE)
    assert sessions.resume(engine, key, now=T0 + 22 * MINUTE) is None
    assert sessions.start_city(engine, key, "dana@city.test", "viewer", T0, now=T0 + 22 * MINUTE) is None


def test_a_city_sign_in_first_seen_after_the_idle_limit_is_refused(engine):
    key = sessions.city_key(CLAIMS)
    assert sessions.start_city(engine, key, "dana@city.test", "staff", T0, now=T0 + 31 * MINUTE) is None


def test_a_city_viewer_reads_council_notes_but_cannot_write_and_city_staff_can(engine):
    viewer_key, staff_key = sessions.city_key(CLAIMS), sessions.city_key(CLAIMS | {"sub": "u-2"})
    viewer = sessions.start_city(engine, viewer_key, "dana@city.test", "viewer", accounts.utcnow())
    staff = sessions.start_city(engine, staff_key, "sam@city.test", "staff", accounts.utcnow())
    as_viewer = accounts.Account(viewer.username, viewer.role, viewer.expires_at, session=viewer_key)
    as_staff = accounts.Account(staff.username, staff.role, staff.expires_at, session=staff_key)
    with pytest.raises(accounts.AccessDenied) as refused:
        accounts.check_staff(engine, as_viewer)
    assert refused.value.reason == accounts.Denial.READ_ONLY
    assert store.add_notes(engine, as_staff, [store.NoteDraft("Library", "Plans cost too much", areas=[68])])
    assert [n.title for n in store.search(engine, account=as_viewer)] == ["Library"]  # council-only: readable
    assert store.search(engine, account=None) == []


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"email": "Dana@City.test", "email_verified": True}, "staff"),  # on the allow-list, in any case
        ({"email": "dana@city.test", "email_verified": False}, None),  # an unverified address counts not
        ({"email": "dana@city.test"}, None),  # nor one the provider does not say is verified
        ({"email": "someone@city.test", "groups": ["equity-staff", "all"]}, "staff"),  # in the staff group
        ({"email": "someone@city.test", "groups": "equity-staff"}, "staff"),  # a group given alone
        ({"email": "Ald.Ward20@city.test", "email_verified": "true"}, "viewer"),  # on the council list
        ({"email": "someone@city.test", "groups": ["council", "all"]}, "viewer"),  # in the council group
        ({"email": "someone@city.test", "groups": ["all"]}, None),  # unknown to both lists: no role at all
        ({"email": "someone@city.test"}, None),
        ({"sub": "x"}, None),
    ],
)
def test_the_city_sign_in_gives_roles_only_to_its_lists_and_groups(monkeypatch, claims, role):
    monkeypatch.setenv("EQUITY_CITY_STAFF_EMAILS", "dana@city.test, lee@city.test")
    monkeypatch.setenv("EQUITY_CITY_STAFF_GROUP", "equity-staff")
    monkeypatch.setenv("EQUITY_CITY_COUNCIL_EMAILS", "ald.ward20@city.test")
    monkeypatch.setenv("EQUITY_CITY_COUNCIL_GROUP", "council")
    assert city.role(claims) == role


def test_without_settings_nobody_the_city_signs_in_reads_council_only_notes(monkeypatch):
    for name in ("EQUITY_CITY_STAFF_EMAILS", "EQUITY_CITY_STAFF_GROUP", "EQUITY_CITY_GROUPS_CLAIM",
                 "EQUITY_CITY_COUNCIL_EMAILS", "EQUITY_CITY_COUNCIL_GROUP"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    assert city.role({"email": "dana@city.test", "groups": ["equity-staff"]}) is None


def test_the_groups_claim_can_be_named(monkeypatch):
    monkeypatch.setenv("EQUITY_CITY_STAFF_GROUP", "equity-staff")
    monkeypatch.setenv("EQUITY_CITY_GROUPS_CLAIM", "roles")
    assert city.role({"roles": ["equity-staff"]}) == "staff"
    assert city.role({"groups": ["equity-staff"]}) is None


def test_a_city_user_is_named_by_their_email_address():
    assert city.username({"email": " Dana@City.test ", "sub": "u-1"}) == "dana@city.test"
    assert city.username({"sub": "u-1"}) == "u-1"
    assert city.username({"email": "x" * 60 + "@city.test"}) is None and city.username({}) is None
    assert city.signed_in_at(CLAIMS) == T0 and city.signed_in_at({}) is None
