"""Accounts: the administration CLI (python -m notes.accounts, its code in notes/accounts_cli.py), the re-check
behind every write, and sign-in that counts concurrent guesses and takes passwords of any length. Accounts here
are test fixtures."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest

from notes import accounts, accounts_cli, schema, store
from tests.support.accounts import PASSWORD, STAFF, VIEWER, staff_view, store_with_accounts

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def engine(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    monkeypatch.setenv("EQUITY_DATABASE_URL", url)  # what the CLI opens
    return store_with_accounts(url)


def cli(monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = accounts_cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def note() -> store.NoteDraft:
    return store.NoteDraft("Library meeting", "Residents asked about hotspots", areas=[68])


def test_list_shows_name_role_disabled_lock_and_last_sign_in_never_the_hash(engine, monkeypatch, capsys):
    accounts.sign_in(engine, STAFF, PASSWORD)
    code, out = cli(monkeypatch, capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "role", "disabled", "locked", "until", "last", "sign-in"]
    alice = next(line for line in lines if line.startswith(STAFF)).split()
    assert alice[1:4] == ["staff", "no", "-"] and alice[4].startswith("20")  # signed in just now
    victor = next(line for line in lines if line.startswith(VIEWER)).split()
    assert victor[1:] == ["viewer", "no", "-", "-"]
    assert "$2b$" not in out


@pytest.mark.slow
def test_set_password_reads_stdin_never_echoes_and_unlocks(engine, monkeypatch, capsys):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(engine, STAFF, "wrong password!")
    code, out = cli(monkeypatch, capsys, "set-password", STAFF, stdin=NEW_PASSWORD + "\n")
    assert code == 0 and NEW_PASSWORD not in out
    assert accounts.sign_in(engine, STAFF, NEW_PASSWORD).role == "staff"
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(engine, STAFF, PASSWORD)


@pytest.mark.slow
def test_unlock_lets_a_locked_account_sign_in_again(engine, monkeypatch, capsys):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(engine, STAFF, "wrong password!")
    with pytest.raises(accounts.SignInFailed, match="Too many"):
        accounts.sign_in(engine, STAFF, PASSWORD)
    assert cli(monkeypatch, capsys, "unlock", STAFF)[0] == 0
    assert accounts.sign_in(engine, STAFF, PASSWORD).role == "staff"


def test_disable_stops_sign_in_and_the_open_session_s_next_write(engine, monkeypatch, capsys):
    session = accounts.sign_in(engine, STAFF, PASSWORD)
    assert cli(monkeypatch, capsys, "disable", STAFF)[0] == 0
    with pytest.raises(accounts.AccessDenied, match="no longer active"):
        store.add_notes(engine, session, [note()])
    with pytest.raises(accounts.SignInFailed, match="disabled"):
        accounts.sign_in(engine, STAFF, PASSWORD)
    assert accounts.revalidate(engine, session) is None
    assert cli(monkeypatch, capsys, "enable", STAFF)[0] == 0
    assert store.add_notes(engine, session, [note()])
    assert len(staff_view(engine, include_deleted=True)) == 1


def test_set_role_takes_effect_on_the_open_session_s_next_write(engine, monkeypatch, capsys):
    session = accounts.sign_in(engine, STAFF, PASSWORD)
    assert cli(monkeypatch, capsys, "set-role", STAFF, "viewer")[0] == 0
    with pytest.raises(accounts.AccessDenied, match="read notes but not change"):
        store.add_theme(engine, session, "housing")
    assert accounts.revalidate(engine, session).role == "viewer"
    assert cli(monkeypatch, capsys, "set-role", VIEWER, "staff")[0] == 0
    promoted = accounts.sign_in(engine, VIEWER, PASSWORD)
    store.add_theme(engine, promoted, "housing")
    assert "housing" in store.theme_names(engine)


def test_a_deleted_account_s_session_cannot_write(engine):
    session = accounts.sign_in(engine, STAFF, PASSWORD)
    with engine.begin() as conn:
        conn.execute(schema.accounts.delete().where(schema.accounts.c.username == STAFF))
    with pytest.raises(accounts.AccessDenied):
        store.add_notes(engine, session, [note()])
    viewer = accounts.Account(VIEWER, "viewer", accounts.utcnow() + dt.timedelta(minutes=5))
    assert store.search(engine, account=viewer) == []  # a viewer reads every note that is not deleted


@pytest.mark.parametrize("argv", [["disable", "nobody"], ["set-role", "nobody", "staff"], ["unlock", "nobody"]])
def test_an_unknown_account_changes_nothing_and_says_so(engine, monkeypatch, capsys, argv):
    code, out = cli(monkeypatch, capsys, *argv)
    assert code == 1 and "no account named nobody" in out


@pytest.mark.slow
def test_simultaneous_wrong_guesses_all_count_and_lock_the_account(engine):
    def guess():
        try:
            accounts.sign_in(engine, STAFF, "a wrong guess")
        except accounts.SignInFailed:
            pass

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    [row] = [r for r in accounts.list_accounts(engine) if r["username"] == STAFF]
    with engine.connect() as conn:
        throttle = conn.execute(schema.sign_in_throttle.select().where(schema.sign_in_throttle.c.username == STAFF))
        assert throttle.mappings().one()["failed_attempts"] == 12
    assert row["locked_until"] is not None
    with pytest.raises(accounts.SignInFailed, match="Too many"):
        accounts.sign_in(engine, STAFF, PASSWORD)


@pytest.mark.slow
def test_unknown_names_answer_and_lock_exactly_like_real_ones(engine):
    for name in (STAFF, "nobody-here"):
        answers = []
        for _ in range(accounts.MAX_FAILURES + 1):
            with pytest.raises(accounts.SignInFailed) as failed:
                accounts.sign_in(engine, name, "a wrong guess")
            answers.append(str(failed.value))
        assert answers[: accounts.MAX_FAILURES] == ["Wrong username or password."] * accounts.MAX_FAILURES
        assert answers[-1].startswith("Too many failed attempts. Try again in")


def test_passwords_longer_than_72_bytes_work_and_every_character_counts(engine):
    long_password = "é" * 40  # 80 bytes in UTF-8
    accounts.create_account(engine, "maria", long_password, "staff")
    assert accounts.sign_in(engine, "maria", long_password).role == "staff"
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(engine, "maria", "é" * 36 + "x")  # same first 72 bytes


def test_an_expired_session_is_refused_even_for_an_active_account(engine):
    expired = accounts.Account(STAFF, "staff", accounts.utcnow() - dt.timedelta(seconds=1))
    with pytest.raises(accounts.AccessDenied, match="expired"):
        store.add_notes(engine, expired, [note()])


@pytest.mark.slow
def test_every_answer_checks_a_password_so_no_answer_comes_faster(engine, monkeypatch):
    """Unknown names, locked names, wrong and right passwords all cost one bcrypt check (timing is the same
    without a timed test: the work done is the same)."""
    checks = []
    real = accounts.check_password
    monkeypatch.setattr(accounts, "check_password", lambda pw, h: checks.append(h) or real(pw, h))
    for name, password in [("nobody", "guess"), (STAFF, "wrong"), (STAFF, PASSWORD)]:
        try:
            accounts.sign_in(engine, name, password)
        except accounts.SignInFailed:
            pass
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(engine, VIEWER, "wrong")
    with pytest.raises(accounts.SignInFailed, match="Too many"):
        accounts.sign_in(engine, VIEWER, PASSWORD)  # locked: still checked
    assert len(checks) == 3 + accounts.MAX_FAILURES + 1
