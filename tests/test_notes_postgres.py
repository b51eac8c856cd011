"""The notes store on PostgreSQL (EQUITY_DATABASE_URL=postgresql://…): schema, roles, writes, search."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.postgres import fresh_database
from notes import accounts, db, schema, store
from tests.support.accounts import PASSWORD, staff_view

pytestmark = pytest.mark.slow  # a real PostgreSQL server


@pytest.fixture(scope="module")
def pg_engine(postgres_server):
    """One database shared by this module's PostgreSQL-specific tests (the store's own tests in test_notes.py
    run on PostgreSQL too, each in a fresh database)."""
    engine = db.make_engine(fresh_database(postgres_server))
    yield engine
    engine.dispose()


def test_the_same_store_works_on_postgresql(pg_engine):
    assert store.theme_names(pg_engine) == schema.DEFAULT_THEMES
    assert db.upgrade(pg_engine) == len(db.MIGRATIONS)  # second upgrade applies nothing
    accounts.create_account(pg_engine, "alice", PASSWORD, "staff")
    staff = accounts.sign_in(pg_engine, "alice", PASSWORD)
    ids = store.add_notes(pg_engine, staff, [
        store.NoteDraft("Price worries", "Plans cost too much", dt.date(2024, 3, 1), "Tour", [68], ["affordability"]),
        store.NoteDraft("Devices", "Need laptops", dt.date(2024, 4, 1), "", [1, 68], ["devices"]),
    ])  # fmt: skip
    assert [n.title for n in staff_view(pg_engine)] == ["Devices", "Price worries"]
    assert [n.title for n in staff_view(pg_engine, "cost")] == ["Price worries"]
    assert [n.title for n in staff_view(pg_engine, areas=[1])] == ["Devices"]
    assert [n.title for n in staff_view(pg_engine, theme=["affordability"])] == ["Price worries"]
    store.update_note(pg_engine, staff, ids[0], store.NoteDraft("Price worries (edited)", "x", areas=[8]))
    store.delete_note(pg_engine, staff, ids[1])
    store.restore_note(pg_engine, staff, ids[1])
    assert store.count_by_place(pg_engine, staff) == {68: 1, 1: 1, 8: 1}
    assert store.audit_entries(pg_engine)["action"].tolist() == ["restore", "delete", "edit", "create"]


def test_postgresql_refuses_a_viewer_and_keeps_failed_sign_ins(pg_engine):
    accounts.create_account(pg_engine, "victor", PASSWORD, "viewer")
    viewer = accounts.sign_in(pg_engine, "victor", PASSWORD)
    with pytest.raises(accounts.AccessDenied):
        store.add_notes(pg_engine, viewer, [store.NoteDraft("t", "b")])
    now = accounts.utcnow()
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(pg_engine, "victor", "wrong password!", now=now)
    with pytest.raises(accounts.SignInFailed, match="Too many"):
        accounts.sign_in(pg_engine, "victor", PASSWORD, now=now)


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "NEAR(", "*", "laptop & | !", "'; DROP TABLE notes; --", ":*"])
def test_postgresql_full_text_search_takes_any_text_and_matches_prefixes(pg_engine, query):
    if not accounts.list_accounts(pg_engine):
        accounts.create_account(pg_engine, "alice", PASSWORD, "staff")
    staff = accounts.sign_in(pg_engine, "alice", PASSWORD)
    store.add_notes(pg_engine, staff, [store.NoteDraft("Laptops", "Residents need laptops", areas=[8])])
    staff_view(pg_engine, query)  # no exception, whatever was typed
    assert "Laptops" in [n.title for n in staff_view(pg_engine, "residents lapt")]  # every word, the last a prefix
    with pg_engine.connect() as conn:
        plan = " ".join(r[0] for r in conn.exec_driver_sql("EXPLAIN SELECT id FROM notes WHERE search @@ "
                                                            "to_tsquery('simple', 'laptops')"))  # fmt: skip
    assert "notes_search" in plan or "Seq Scan" in plan  # the GIN index exists (tiny tables may still scan)


def test_postgresql_shows_a_signed_out_visitor_only_published_notes(pg_engine):
    if not accounts.list_accounts(pg_engine):
        accounts.create_account(pg_engine, "alice", PASSWORD, "staff")
    staff = accounts.sign_in(pg_engine, "alice", PASSWORD)
    store.add_notes(
        pg_engine,
        staff,
        [
            store.NoteDraft("Private words", "council only", areas=[3]),
            store.NoteDraft("Published words", "for all", areas=[3], visibility="public"),
        ],
    )
    assert "Private words" not in [n.title for n in store.search(pg_engine, areas=[3])]
    assert "Published words" in [n.title for n in store.search(pg_engine, areas=[3])]
    assert store.count_by_place(pg_engine)[3] == 1 and store.count_by_place(pg_engine, staff)[3] == 2


def test_replicas_starting_together_upgrade_the_schema_once(postgres_server):
    import threading

    url = fresh_database(postgres_server)
    barrier, failures = threading.Barrier(4), []

    def start_a_replica():
        barrier.wait()
        try:
            db.make_engine(url).dispose()
        except Exception as exc:  # a replica that cannot start: the test says which error
            failures.append(repr(exc))

    replicas = [threading.Thread(target=start_a_replica) for _ in range(4)]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(timeout=60)
    assert failures == []
    assert db.upgrade(db.make_engine(url)) == len(db.MIGRATIONS)
