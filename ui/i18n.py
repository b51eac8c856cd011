"""The interface's language: English or Spanish.

The language comes from the page address (``?lang=es``, ``?lang=en``) when a session starts and from the
picker in the sidebar afterwards; it is kept for the session and written back into every page's address, so a
shared link opens in the same language. Messages come from gettext catalogues kept with Babel
(``locales/es/LC_MESSAGES/messages.po``; ``make i18n`` extracts new messages and updates it); the catalogue is
compiled with Babel when the app first needs it. Numbers, percentages and dates are written the way each
language writes them (Babel's CLDR data). Council notes are shown in the language they were written in.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import io
import threading

import streamlit as st

import settings
from words import N_  # the pages and sections mark words with it from here

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"
KEY = "language"  # kept in the session state for the whole browser session
PARAM = "lang"  # in the page address
PICKER = "language_picker"  # the sidebar widget (Streamlit forgets a widget's value when the page changes)
LOCALES = settings.REPO_ROOT / "locales"
DOMAIN = "messages"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English is the source language: no catalogue)."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


_spoken = threading.local()  # a language set for this thread by :func:`speaking` (a download's thread)


@contextlib.contextmanager
def speaking(language: str):
    """Every word made inside is in ``language``, whatever thread runs it (a download button builds its file
    on another thread, where the session's language cannot be read)."""
    before = getattr(_spoken, "language", None)
    _spoken.language = language
    try:
        yield
    finally:
        _spoken.language = before


def current() -> str:
    """The language of this session ("en" outside a running page, e.g. in the build or a test of a pure
    function)."""
    language = getattr(_spoken, "language", None)
    if language is None:
        try:
            language = st.session_state.get(KEY, DEFAULT)
        except Exception:  # no Streamlit session (bare mode): the source language
            return DEFAULT
    return language if language in LANGUAGES else DEFAULT


def in_reader_language(make):
    """``make`` (a download's builder) bound to the reader's language now, so the file it builds later, on
    another thread, speaks it too."""
    language = current()

    def made_in_language(*args, **kwargs):
        with speaking(language):
            return make(*args, **kwargs)

    return made_in_language


def cache_words(**options):
    """``st.cache_data`` for a function whose result holds words: the reader's language joins the cache key by
    itself, so a cached sentence or table is never served in the other language."""

    def decorate(function):
        @functools.wraps(function)  # the cache is named after, and keyed on the source of, ``function``
        def in_language(*args, language: str, **kwargs):
            with speaking(language):
                return function(*args, **kwargs)

        cached = st.cache_data(show_spinner=False, **options)(in_language)

        @functools.wraps(function)
        def call(*args, **kwargs):
            return cached(*args, language=current(), **kwargs)

        call.clear = cached.clear
        return call

    return decorate


def _(message: str) -> str:
    """``message`` in the session's language."""
    return translations(current()).gettext(message)


THEMES = (  # the codebook's starting themes (notes.schema.DEFAULT_THEMES), for the catalogue
    N_("affordability"), N_("devices"), N_("digital skills"), N_("availability and service quality"),
    N_("trust and online safety"), N_("language access"), N_("technical support"), N_("other"),
)  # fmt: skip


def theme_words(theme: str) -> str:
    """A theme's name for the reader: the codebook's starting themes in the reader's language, every theme
    staff added as they wrote it."""
    return _(theme) if theme in THEMES else theme


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def locale() -> str:
    """The Babel locale for numbers and dates: English as written in the United States, Spanish as in the
    United States (as Chicago's Spanish speakers read it: 15.5 %, 171,879)."""
    return {"en": "en_US", "es": "es_US"}[current()]


def start() -> str:
    """The session's language: from the address when the session starts (``?lang=es``), then from the picker;
    written back into the address so a copied link opens in the same language."""
    if KEY not in st.session_state:
        wanted = st.query_params.get(PARAM, DEFAULT)
        st.session_state[KEY] = wanted if wanted in LANGUAGES else DEFAULT
    if st.session_state[KEY] == DEFAULT:
        st.query_params.pop(PARAM, None)
    else:
        st.query_params[PARAM] = st.session_state[KEY]
    return st.session_state[KEY]


def picker() -> None:
    """The language picker at the top of the sidebar, named in both languages."""
    st.session_state[PICKER] = st.session_state[KEY]

    def chosen():
        st.session_state[KEY] = st.session_state[PICKER]

    st.sidebar.radio("Language · Idioma", list(LANGUAGES), format_func=LANGUAGES.get, key=PICKER, horizontal=True,
                     on_change=chosen)  # fmt: skip


def link_params() -> dict[str, str]:
    """The address parameter that keeps the language in a link (none for English)."""
    language = current()
    return {} if language == DEFAULT else {PARAM: language}
