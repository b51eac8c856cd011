"""Opening the app's pages in AppTest as a signed-in staff member, with a notes database of the test's own."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from notes import accounts
from settings import REPO_ROOT
from tests.support.accounts import PASSWORD, store_with_accounts
from ui import auth


def staff_page(tmp_path, monkeypatch, page: str = "pages/3_Council_notes.py") -> tuple[AppTest, object]:
    """``page`` opened by the signed-in staff member ``alice``, with a database of its own."""
    url = f"sqlite:///{tmp_path / 'hard.db'}"
    monkeypatch.setenv("EQUITY_DATABASE_URL", url)
    engine = store_with_accounts(url)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.session_state[auth.KEY] = accounts.sign_in(engine, "alice", PASSWORD)
    at.switch_page(page)
    at.run()
    return at, engine
