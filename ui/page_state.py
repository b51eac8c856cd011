"""A page's settings kept in three places at once: its widgets, the session (so they come back after a visit to
another page: Streamlit forgets a hidden page's widgets) and the browser's address (so a link restores them).

The address is the source of truth when a session first opens the page; afterwards the widgets are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from ui import cache
from ui.i18n import _, link_params
from ui.links import Address
from ui.text import notice


def _saved(page: str) -> str:
    return f"page_state:{page}"


def runtime_defaults() -> dict[str, object]:
    """Defaults known only when a page runs, by address name: the newest data period."""
    return {"vintage": cache.vintages()[0]}


def seen(page: str) -> bool:
    """Whether this session has shown ``page`` before (its settings are kept)."""
    return _saved(page) in st.session_state


def restore(
    page: str,
    address: Address,
    allowed: Mapping[str, Iterable],
    session_only: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """Put the page's settings into its widgets' session keys before the widgets are drawn: from the address on
    the session's first visit (naming, in one box, every parameter that was ignored), else as last seen.
    ``session_only``: settings kept for the session but not written into the address, with their defaults.
    Returns the settings."""
    saved = st.session_state.get(_saved(page))
    if saved is None:
        saved, ignored = address.parse(st.query_params, allowed, runtime_defaults())
        saved |= dict(session_only or {})
        if ignored:  # quotes the link: shown as typed
            notice("warning", _("Part of this page's link was ignored:"), "\n".join(ignored))
    for key, value in saved.items():
        if key not in st.session_state:
            st.session_state[key] = value
    return {key: st.session_state[key] for key in saved}


def save(page: str, address: Address, session_only=()) -> None:
    """Remember the page's settings as its widgets hold them now, and write them into the address (with the
    language), so a copied link restores them."""
    keys = [p.widget for p in address.params] + list(session_only)
    state = {key: st.session_state.get(key) for key in keys}
    st.session_state[_saved(page)] = state
    st.query_params.from_dict({**address.query(state, runtime_defaults()), **link_params()})


def link(address: Address) -> dict[str, str | list[str]]:
    """The address parameters of the settings the widgets hold now (for an export's header)."""
    state = {p.widget: st.session_state.get(p.widget) for p in address.params}
    return {**address.query(state, runtime_defaults()), **link_params()}
