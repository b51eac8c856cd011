"""The Spanish interface: every message of the code is in the catalogue and translated, and a page opened with
``?lang=es`` shows no English interface text."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

import settings
from data import snapshot
from data.reference import CENSUS_ON_2020, MATCHES, QUOTES
from notes import accounts, db
from settings import REPO_ROOT, SNAPSHOT_DIR
from tests.support.accounts import PASSWORD, STAFF, store_with_accounts
from ui import auth, i18n
from ui import format as fmt

pytestmark = pytest.mark.slow  # every page in both languages in AppTest

CATALOGUE = REPO_ROOT / "locales" / "es" / "LC_MESSAGES" / "messages.po"
PAGES = ["app.py", "pages/1_Map.py", "pages/2_Planner.py", "pages/3_Council_notes.py", "pages/4_About_the_data.py"]


def extracted_messages(tmp_path) -> set:
    """Every message the code marks for translation, as `make i18n` extracts them."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_", "-k", "N_",
         "-k", "ngettext:1,2", "--no-location", "-o", str(pot), "."],
        cwd=REPO_ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as source:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(source) if m.id}


def test_every_message_of_the_code_has_a_spanish_translation_with_the_same_placeholders(tmp_path):
    with CATALOGUE.open("rb") as source:
        catalogue = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in read_po(source, locale="es") if m.id}
    missing = extracted_messages(tmp_path) - set(catalogue)
    assert not missing, f"not in the Spanish catalogue (run `make i18n`, then translate): {sorted(map(str, missing))}"
    for key, message in catalogue.items():
        english = key if isinstance(key, str) else key[0]
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        assert forms and all(forms), f"no Spanish for {english!r} (every plural form needs one)"
        spanish = forms[0]
        assert not message.fuzzy, f"fuzzy Spanish for {english!r}"
        assert set(re.findall(r"\{\w*\}", spanish)) == set(re.findall(r"\{\w*\}", english)), english


def test_the_care_terms_are_used_consistently():
    text = CATALOGUE.read_text(encoding="utf-8")
    assert "hogares sin suscripción a internet" in text.lower()
    assert "margen de error" in text and "estimación poco fiable" in text
    for loose in ("no confiable", "margen del error", "suscripción de Internet"):
        assert loose not in text  # one wording for each idea


def page_texts(page: str, language: str, staff: bool = False) -> set[str]:
    """Every piece of interface text a page shows (to signed-in staff when ``staff``): headings, paragraphs,
    captions, notices, metrics, widget labels and options, buttons, table headings."""
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = language
    if staff:
        engine = db.make_engine()
        if not accounts.list_accounts(engine):
            store_with_accounts(settings.database_url())
        at.session_state[auth.KEY] = accounts.sign_in(engine, STAFF, PASSWORD)
    if page != "app.py":
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = set()
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error"):
        texts |= {e.value for e in getattr(at, kind)}
    texts |= {m.label for m in at.metric}
    for kind in ("selectbox", "multiselect", "radio", "text_input", "number_input", "checkbox", "slider",
                 "date_input", "text_area", "button", "tabs"):  # fmt: skip
        for widget in at.get(kind) if kind == "tabs" else getattr(at, kind):
            texts.add(widget.label)
            texts |= {str(o) for o in getattr(widget, "options", [])}
    for frame in at.dataframe:
        texts |= {str(c) for c in frame.value.columns}
    for table in at.table:
        texts |= {str(c) for c in table.value.columns}
    return {t.strip() for t in texts if t and t.strip()}


def not_interface_text() -> set[str]:
    """Words that are the same in both languages by design: the City's names for areas and sides, period
    names, the language picker, the City's words quoted as published, numbers."""
    areas = snapshot.read_areas("acs5_2017_2021", SNAPSHOT_DIR)
    same = set(areas["area_name"]) | set(areas["side"]) | {"English", "Español", "Language · Idioma", "CV (%)"}
    same |= {"acs5_2017_2021", "acs5_2015_2019", "no_subscription", "no_broadband", "no_internet_access",
             "cellular_only", "no_computer", "quantiles", "natural_breaks", "equal_interval", "share", "count",
             "all notes", "council", "public", "Color"}  # option values whose shown words are translated  # fmt: skip
    same |= {  # as published, in English
        f"> {f'{q.subject} ' if q.subject else ''}“{q.words}{' …' if q.continues else ''}”"
        for q in [*QUOTES, CENSUS_ON_2020]
    }
    same |= {m.published for m in MATCHES}  # the published figures, as published (card titles on a phone)
    same |= {STAFF}  # a user name
    return same


@pytest.mark.parametrize(
    ("page", "staff"),
    [*((page, False) for page in PAGES), ("pages/3_Council_notes.py", True), ("pages/4_About_the_data.py", True)],
)
def test_a_page_in_spanish_shows_no_english_interface_text(page, staff):
    english, spanish = page_texts(page, "en", staff), page_texts(page, "es", staff)
    same = {t for t in english & spanish if not re.fullmatch(r"[\d\s.,%±–—()+-]*", t)} - not_interface_text()
    assert not same, f"{page} shows these in English under ?lang=es: {sorted(same)}"
    assert spanish - english  # and it did change language


def test_numbers_and_dates_follow_the_language(monkeypatch):
    import datetime as dt

    monkeypatch.setattr(i18n, "current", lambda: "es")
    assert fmt.with_moe(15.54, 0.31, as_pct=True) == "15.5 % ± 0.3 puntos"
    assert fmt.count(171879) == "171,879"  # Chicago's Spanish readers write numbers as in the United States
    assert fmt.date(dt.date(2026, 11, 26)) == "26 nov 2026"
    monkeypatch.setattr(i18n, "current", lambda: "en")
    assert fmt.date(dt.date(2026, 11, 26)) == "Nov 26, 2026"


def test_words_put_into_the_page_style_cannot_leave_their_css_string():
    from ui.nav import css_string

    assert css_string("Hasta 10 MB por archivo") == '"Hasta 10 MB por archivo"'
    hostile = css_string('x" } body { display: none } </style><script>')
    assert '"' not in hostile[1:-1] and "<" not in hostile and "}" not in hostile
