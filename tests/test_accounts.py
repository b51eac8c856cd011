"""Accounts: the administration CLI (python -m notes.accounts, its code in notes/accounts_cli.py), the re-check
behind every write, sign-in limits per name and per address that count concurrent guesses and never lock for more
than 15 minutes, usernames unique whatever their case, NUL characters, and passwords of any length; the store's
parts on SQLite and on PostgreSQL. Accounts here are test fixtures; addresses are documentation ones (RFC 5737)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import threading

import pytest
import sqlalchemy as sa

from harness.postgres import fresh_database
from notes import accounts, accounts_cli, db, schema, store
from settings import REPO_ROOT
from tests.support.accounts import PASSWORD, STAFF, VIEWER, staff_view, store_with_accounts
from ui.auth import client_from

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def engine(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    monkeypatch.setenv("EQUITY_DATABASE_URL", url)  # what the CLI opens
    return store_with_accounts(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def both(request, tmp_path):
    """A database with the accounts alice (staff) and victor (viewer): on SQLite, then on PostgreSQL."""
    if request.param == "sqlite":
        engine = store_with_accounts(f"sqlite:///{tmp_path / 'both.db'}")
    else:
        engine = store_with_accounts(fresh_database(request.getfixturevalue("postgres_server")))
    yield engine
    engine.dispose()


@pytest.fixture
def quick_check(monkeypatch):
    """bcrypt replaced by a plain comparison, so simultaneous attempts reach the database together (the hash is
    tested elsewhere in this module)."""
    monkeypatch.setattr(accounts, "check_password", lambda password, _hash: password == PASSWORD)


NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # the injected clock of the limit tests
STRANGER, HOME, CAFE = "203.0.113.66", "198.51.100.7", "192.0.2.44"


def burst(engine, name: str, client: str | None, guesses: int = 25) -> list[accounts.SignInFailed]:
    """``guesses`` wrong passwords for ``name`` from ``client``, all at once (threads released by a barrier)."""
    start, answers = threading.Barrier(guesses), []

    def guess():
        start.wait()
        try:
            accounts.sign_in(engine, name, "a wrong guess", now=NOW, client=client)
        except accounts.SignInFailed as failed:
            answers.append(failed)

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def limit_row(engine, kind: str, subject: str) -> dict | None:
    table = schema.sign_in_limits
    with engine.connect() as conn:
        row = conn.execute(table.select().where(table.c.kind == kind, table.c.subject == subject)).mappings().first()
    return dict(row) if row else None


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


# --------------------------------------------------------------------------- sign-in limits (issue #25, item 6)


def test_a_burst_of_25_wrong_guesses_counts_25_and_locks_for_15_minutes_not_weeks(both, quick_check):
    answers = burst(both, STAFF, None)
    assert len(answers) == 25 and {a.reason for a in answers} <= {"wrong", "locked"}
    row = limit_row(both, "name", STAFF)
    assert row["failed_attempts"] == 25  # every guess counted, each after the one before
    assert accounts._aware(row["locked_until"]) == NOW + dt.timedelta(minutes=15)  # the cap, not 60 s · 2^16
    [listed] = [r for r in accounts.list_accounts(both) if r["username"] == STAFF]
    assert accounts._aware(listed["locked_until"]) - NOW <= dt.timedelta(minutes=15)
    with pytest.raises(accounts.SignInFailed, match="Try again in 60 seconds"):
        accounts.sign_in(both, STAFF, PASSWORD, now=NOW + dt.timedelta(minutes=14))
    assert accounts.sign_in(both, STAFF, PASSWORD, now=NOW + dt.timedelta(minutes=15, seconds=1)).role == "staff"


def test_every_lock_is_at_most_15_minutes_however_many_failures():
    assert [accounts.lock_seconds(n, 5) for n in (4, 5, 6, 7, 9, 10, 25, 10**6)] == [0, 60, 120, 240, 900, 900, 900,
                                                                                      900]  # fmt: skip


def test_a_stranger_s_burst_does_not_keep_staff_out_of_an_address_they_used(both, quick_check):
    accounts.sign_in(both, STAFF, PASSWORD, now=NOW - dt.timedelta(days=3), client=HOME)  # alice, last week
    burst(both, STAFF, STRANGER)
    assert accounts.sign_in(both, "Alice", PASSWORD, now=NOW, client=HOME).username == STAFF  # at once, from home
    with pytest.raises(accounts.SignInFailed, match="Too many"):  # the stranger's address is locked...
        accounts.sign_in(both, VIEWER, PASSWORD, now=NOW, client=STRANGER)
    burst(both, STAFF, STRANGER)  # ...and guessing on, from a new address, keeps a lock of at most 15 minutes
    with pytest.raises(accounts.SignInFailed) as locked:
        accounts.sign_in(both, STAFF, PASSWORD, now=NOW, client=CAFE)
    assert locked.value.reason == "locked" and locked.value.params["wait"] <= 15 * 60 + 1
    assert accounts.sign_in(both, STAFF, PASSWORD, now=NOW + dt.timedelta(minutes=16), client=CAFE).role == "staff"


def test_a_locked_answer_is_the_same_for_the_right_and_a_wrong_password(both, quick_check):
    """During a lock, the wait shown must not tell a guesser which guess was right."""
    burst(both, STAFF, STRANGER)
    later = NOW + dt.timedelta(seconds=20)
    waits = []
    for password in (PASSWORD, "another wrong guess"):  # the right one first: it changes no lock
        with pytest.raises(accounts.SignInFailed) as locked:
            accounts.sign_in(both, STAFF, password, now=later, client=CAFE)
        waits.append((locked.value.reason, locked.value.params["wait"]))
    assert waits[0] == waits[1]


def test_one_address_guessing_many_names_is_slowed_down_but_not_others(both, quick_check):
    for n in range(accounts.CLIENT_FAILURES):
        with pytest.raises(accounts.SignInFailed, match="Wrong username"):  # a new name each time: no name locks
            accounts.sign_in(both, f"guess{n}", "a wrong guess", now=NOW, client=STRANGER)
    with pytest.raises(accounts.SignInFailed, match="Too many"):
        accounts.sign_in(both, VIEWER, PASSWORD, now=NOW, client=STRANGER)
    assert accounts.sign_in(both, VIEWER, PASSWORD, now=NOW, client=CAFE).role == "viewer"
    assert accounts.sign_in(both, VIEWER, PASSWORD, now=NOW + dt.timedelta(minutes=2), client=STRANGER)


def test_the_limits_table_forgets_names_that_are_no_account_and_stays_bounded(both, quick_check, monkeypatch):
    monkeypatch.setattr(accounts, "MAX_LIMIT_ROWS", 30)
    for _ in range(2):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(both, STAFF, "a wrong guess", now=NOW, client=HOME)
    for n in range(60):  # 60 names that are no account, each from its own address
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(both, f"nobody{n}", "x", now=NOW + dt.timedelta(seconds=n), client=f"10.0.0.{n}")
    with both.connect() as conn:
        rows = conn.execute(sa.select(schema.sign_in_limits.c.kind, schema.sign_in_limits.c.subject)).all()
    assert len(rows) <= 30 + 1  # the 30 latest, and alice's
    assert ("name", "nobody59") in rows and ("name", "nobody0") not in rows
    assert limit_row(both, "name", STAFF)["failed_attempts"] == 2  # an account's count is kept until it signs in
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(both, "someone", "x", now=NOW + dt.timedelta(days=2), client=STRANGER)
    with both.connect() as conn:
        rows = conn.execute(sa.select(schema.sign_in_limits.c.kind, schema.sign_in_limits.c.subject)).all()
    assert sorted(rows) == [("client", STRANGER), ("name", STAFF), ("name", "someone")]  # a day on, forgotten


@pytest.mark.parametrize(
    ("connection", "forwarded", "proxies", "client"),
    [
        ("198.51.100.7", "203.0.113.9", 0, "198.51.100.7"),  # no trusted proxy: the header is ignored
        ("10.0.0.2", "6.6.6.6, 203.0.113.9", 1, "203.0.113.9"),  # a forged first hop is not believed
        ("10.0.0.2", "203.0.113.9, 10.0.0.1", 2, "203.0.113.9"),
        ("10.0.0.2", None, 1, "10.0.0.2"),
        (None, None, 0, None),  # localhost
    ],
)
def test_the_address_counted_is_the_one_the_trusted_proxy_saw(connection, forwarded, proxies, client):
    assert client_from(connection, forwarded, proxies) == client


# --------------------------------------------------------------------------- NUL characters (item 7)


def test_a_nul_in_the_username_is_a_wrong_username_or_password(both):
    for name in (STAFF + "\x00", "\x00", "al\x00ice" * 20):
        with pytest.raises(accounts.SignInFailed, match="^Wrong username or password.$"):
            accounts.sign_in(both, name, PASSWORD, client="198.51.100.7\x00")
    assert accounts.sign_in(both, STAFF, PASSWORD).role == "staff"


def test_a_nul_in_a_note_or_theme_is_refused_in_a_sentence(both):
    staff = accounts.sign_in(both, STAFF, PASSWORD)
    drafts = [
        store.NoteDraft("Hot\x00spots", "text", areas=[8]),
        store.NoteDraft("Hotspots", "te\x00xt", areas=[8]),
        store.NoteDraft("Hotspots", "text", event="Library\x00", areas=[8]),
        store.NoteDraft("Hotspots", "text", areas=[8], themes=["devices\x00"]),
    ]
    for draft in drafts:
        with pytest.raises(store.NoteRejected) as refused:
            store.add_notes(both, staff, [draft])
        assert refused.value.reason == store.Rejection.NUL and str(refused.value).endswith("try again.")
    [note_id] = store.add_notes(both, staff, [store.NoteDraft("Hotspots", "text", areas=[8])])
    with pytest.raises(store.NoteRejected, match="null character"):
        store.update_note(both, staff, note_id, drafts[1])
    for write in (lambda: store.add_theme(both, staff, "hous\x00ing"),
                  lambda: store.rename_theme(both, staff, "devices", "laptops\x00")):  # fmt: skip
        with pytest.raises(store.NoteRejected, match="null character"):
            write()
    assert store.already_stored(both, drafts[:2]) == [False, False]
    assert store.search(both, "hot\x00spots", theme=["devices\x00"], account=staff) == []
    assert [n.title for n in staff_view(both)] == ["Hotspots"] and "housing" not in store.theme_names(both)


# --------------------------------------------------------------------------- case and the command line (item 8)


def test_usernames_are_unique_whatever_their_case(both, monkeypatch, capsys):
    with pytest.raises(ValueError, match="already exists"):
        accounts.create_account(both, "Alice", PASSWORD, "viewer")
    accounts.create_account(both, "Maria", PASSWORD, "viewer")
    assert [r["username"] for r in accounts.list_accounts(both)] == [STAFF, "maria", VIEWER]
    assert accounts.sign_in(both, "MARIA", PASSWORD).username == "maria"
    with pytest.raises(sa.exc.IntegrityError), both.begin() as conn:  # the database itself refuses a twin
        conn.execute(schema.accounts.insert().values(username="ALICE", password_hash="x", role="viewer",
                                                     created_at=NOW, failed_attempts=0, disabled=False))  # fmt: skip
    accounts.set_disabled(both, "VICTOR", True)
    with pytest.raises(accounts.SignInFailed, match="disabled"):
        accounts.sign_in(both, "Victor", PASSWORD)


def test_the_command_line_refuses_a_name_that_differs_only_in_case(engine, monkeypatch, capsys):
    code, out = cli(monkeypatch, capsys, "add", "Alice", "--role", "viewer", stdin=NEW_PASSWORD + "\n")
    assert code == 1 and out.strip() == "Nothing changed: An account named alice already exists."
    code, out = cli(monkeypatch, capsys, "add", "Maria", "--role", "viewer", stdin=NEW_PASSWORD + "\n")
    assert code == 0 and out.strip() == "Created the viewer account maria."
    assert cli(monkeypatch, capsys, "disable", "MARIA") == (0, "Disabled maria: it can no longer sign in or write.\n")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def empty_url(request, tmp_path) -> str:
    """The URL of a database with nothing in it: on SQLite, then on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return fresh_database(request.getfixturevalue("postgres_server"))


@pytest.mark.slow  # five bcrypt hashes and checks
def test_upgrading_renames_accounts_that_differ_only_in_case_and_lifts_week_long_locks(empty_url):
    url = empty_url
    old = sa.create_engine(url)
    for migration in db.MIGRATIONS[:7]:  # a database as schema v7 left it
        with old.begin() as conn:
            migration(conn)
    with old.begin() as conn:
        conn.exec_driver_sql("DROP INDEX accounts_username_folded")
        conn.exec_driver_sql("DROP TABLE sign_in_limits")
        conn.exec_driver_sql("DROP TABLE known_clients")
        conn.execute(schema.schema_version.insert().values(version=7))
        for name in ("alice", "Alice", "ALICE-2"):  # Alice, id 2, cannot be Alice-2
            conn.execute(schema.accounts.insert().values(username=name, password_hash=accounts.hash_password(
                PASSWORD), role="staff", created_at=NOW, failed_attempts=0, disabled=False))  # fmt: skip
        conn.exec_driver_sql("INSERT INTO sign_in_throttle VALUES ('alice', 25, '2099-01-01 00:00:00')")
    old.dispose()
    engine = db.make_engine(url)
    assert [r["username"] for r in accounts.list_accounts(engine)] == ["ALICE-2", "Alice-2-1", "alice"]
    assert accounts.sign_in(engine, "Alice-2-1", PASSWORD).role == "staff"
    assert accounts.sign_in(engine, "alice", PASSWORD).username == "alice"  # the oldest keeps the name; unlocked
    assert not sa.inspect(engine).has_table("sign_in_throttle")
    engine.dispose()


def damage(path) -> None:
    path.write_bytes(b"this is not an SQLite database, it is junk " * 100)


@pytest.mark.parametrize(
    "argv",
    [["list"], ["add", "zoe", "--role", "staff"], ["set-password", STAFF], ["disable", STAFF], ["enable", STAFF],
     ["set-role", STAFF, "viewer"], ["unlock", STAFF]],
)  # fmt: skip
def test_every_command_answers_a_damaged_database_in_a_sentence(tmp_path, monkeypatch, capsys, argv):
    path = tmp_path / "damaged.db"
    damage(path)
    monkeypatch.setenv("EQUITY_DATABASE_URL", f"sqlite:///{path}")
    code, out = cli(monkeypatch, capsys, *argv, stdin=NEW_PASSWORD + "\n")
    assert code == 1 and out.strip() == accounts_cli.DATABASE_FAULT
    assert "Traceback" not in out and str(tmp_path) not in out


def test_python_m_notes_accounts_list_on_a_damaged_database_prints_a_sentence(tmp_path):
    path = tmp_path / "damaged.db"
    damage(path)
    env = {"EQUITY_DATABASE_URL": f"sqlite:///{path}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "notes.accounts", "list"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == accounts_cli.DATABASE_FAULT


def test_every_command_that_works_says_what_it_did(engine, monkeypatch, capsys):
    said = {
        ("set-password", STAFF): "Changed the password of alice; the account is unlocked too.",
        ("disable", STAFF): "Disabled alice: it can no longer sign in or write.",
        ("enable", STAFF): "Enabled alice.",
        ("set-role", VIEWER, "staff"): "victor is now a staff account.",
        ("unlock", STAFF): "Unlocked alice: its failed sign-ins are cleared.",
    }
    for argv, sentence in said.items():
        assert cli(monkeypatch, capsys, *argv, stdin=NEW_PASSWORD + "\n") == (0, sentence + "\n")
    code, out = cli(monkeypatch, capsys, "add", "al\x00ice", "--role", "staff", stdin=NEW_PASSWORD + "\n")
    assert code == 1 and out.startswith("Nothing changed: Usernames are")
