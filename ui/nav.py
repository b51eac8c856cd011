"""The page list, written once: the sidebar links on every page and the Home page's "Explore" grid."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ui import auth, cache, i18n
from ui.faults import database_problem
from ui.i18n import N_, _
from ui.logs import event
from ui.words import snapshot_damaged


@dataclass(frozen=True)
class Page:
    path: str
    label: str
    icon: str
    blurb: str = ""  # what Home's "Explore" link says


PAGES = [  # labels and blurbs are translated where they are shown
    Page("app.py", N_("Home"), ":material/home:"),
    Page("pages/1_Map.py", N_("Map"), ":material/map:", N_("Map: the gap in every community area")),
    Page("pages/2_Planner.py", N_("Planner"), ":material/filter_alt:",
         N_("Planner: filter, rank, export and share areas")),
    Page("pages/3_Council_notes.py", N_("Council notes"), ":material/forum:", N_("Council notes: what residents said")),
    Page("pages/4_About_the_data.py", N_("About the data"), ":material/menu_book:",
         N_("About the data: sources, method, reliability")),
]  # fmt: skip


PAGE_STYLE = """<style>
@media (max-width: 640px) { [class*="st-key-wide_"] { display: none !important; } }
@media (min-width: 641px) { [class*="st-key-phone_"] { display: none !important; } }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, .stMarkdown blockquote,
[data-testid="stWidgetLabel"] p, [data-testid="stBaseButton-header"], [data-testid="stStatusWidget"] * {
  color: #4d4c48 !important; opacity: 1 !important; }
[class*="st-key-note_title_"] [data-testid="stText"] { font-weight: 700; font-size: 1.05rem; }
[data-testid="stFullScreenFrame"]:has(> [data-testid="stDataFrame"]) { padding-top: 1.25rem; }
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) { display: none; }
@media (max-width: 640px) {
  [data-testid="stFullScreenFrame"]:has(> [data-testid="stDataFrame"]) { padding-top: 2.25rem; } }
:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
</style>"""  # wide tables on a desktop and cards on a phone; captions and quotes dark enough to read (WCAG AA
# contrast: 8.6:1 on white); a focus ring a keyboard user cannot miss; room above each table for its toolbar (it
# sits 16 px above the table and covered the end of the caption or sentence before it); our scripts take no room


PHONE_NAV_SCRIPT = """<script>
if (!window.equityNavCloses) {  // once per browser tab: on a phone, choosing a page closes the sidebar over it
  window.equityNavCloses = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]');
    var close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (link && close && window.innerWidth < 768) { setTimeout(function () { close.click(); }, 0); }
  }, true);
}
</script>"""  # 768 px: where Streamlit lays the sidebar over the page instead of beside it


def css_string(text: str) -> str:
    """``text`` as a CSS string: letters, digits, spaces and . , - as they are, every other character as a CSS
    escape, so no text (a quote, a brace, ``</style>``) can leave the string or the style element."""
    return '"' + "".join(c if c.isalnum() or c in " .,-" else f"\\{ord(c):x} " for c in text) + '"'


def uploader_words_style() -> str:
    """Streamlit's file uploader writes "Upload" and "10MB per file" in English whatever the page's language:
    in Spanish, the page style puts our own words in their place (CSS ``content``, through :func:`css_string`)."""
    words = {
        "button p": _("Upload"),
        '[data-testid="stFileUploaderDropzoneInstructions"] span': _("Up to {size} MB per file").format(
            size=st.get_option("server.maxUploadSize")
        ),
    }
    rules = "".join(
        f'[data-testid="stFileUploaderDropzone"] {where} {{ font-size: 0 !important; }}'
        f'[data-testid="stFileUploaderDropzone"] {where}::after {{ content: {css_string(text)};'
        " font-size: 0.875rem; }"
        for where, text in words.items()
    )
    return f"<style>{rules}</style>"


SESSION_LOGGED = "nav:session_logged"  # the log has said this browser session opened


def start_page(title: str, icon: str, on_expiry=None):
    """What every page does first: its browser title, the sidebar links, a check that the data it reads is
    whole (a damaged snapshot file gets a sentence saying which one and how to rebuild it, and the page stops
    there instead of showing a half table), and sign-in in the sidebar. Returns the signed-in account (or None,
    as :func:`ui.auth.account` answers for the rest of the run); it lasts across pages for the browser session."""
    language = i18n.start()
    if not st.session_state.get(SESSION_LOGGED):
        st.session_state[SESSION_LOGGED] = True
        event("session opened", language=language)
    st.set_page_config(page_title=title, page_icon=icon, layout="wide")
    st.html(PAGE_STYLE)
    # our own script; ``language`` is "en" or "es" (checked by i18n.start), never text a user typed
    st.html(f"<script>document.documentElement.lang = '{language}';</script>", unsafe_allow_javascript=True)
    st.html(PHONE_NAV_SCRIPT, unsafe_allow_javascript=True)
    if language != "en":
        st.html(uploader_words_style())
    sidebar_nav()
    _run.settings = st.sidebar.container()  # the page's own settings come right under the page links
    i18n.picker()
    problem = cache.snapshot_problem()
    if problem:
        st.error(snapshot_damaged(problem))
        st.stop()
    try:  # who is signed in is read from the notes database
        engine = cache.notes_engine()
        account = auth.start(engine, on_expiry)
    except (SQLAlchemyError, OSError) as exc:
        st.sidebar.caption(_("Sign-in is not available right now.") + " " + database_problem(exc))
        return None
    auth.sign_in_sidebar(engine, account)
    return account


_run = threading.local()  # this run's sidebar box for the page's settings (each session runs in its own thread)


def settings_sidebar():
    """Where a page puts its settings: in the sidebar right under the page links, above the language picker and
    the sign-in box, so a phone reader reaches the Map's and the Planner's settings first."""
    return _run.settings


def sidebar_nav() -> None:
    """Links to every page at the top of the sidebar."""
    with st.sidebar:
        for p in PAGES:
            st.page_link(p.path, label=_(p.label), icon=p.icon)
        st.divider()


def explore_links() -> None:
    """Home's links to the other pages, two per row."""
    others = [p for p in PAGES if p.blurb]
    for first in range(0, len(others), 2):
        for column, p in zip(st.columns(2), others[first : first + 2], strict=False):
            column.page_link(p.path, label=_(p.blurb), icon=p.icon)
