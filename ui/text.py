"""Showing user text exactly as typed. Markdown in Streamlit also turns bare URLs and ``www.`` into live links,
``:material/…:`` into icons, ``$…$`` into maths, ``:red[…]`` into colour and ``&amp;`` into "&"; escaping
cannot stop all of that, so user text (note titles and bodies, events, themes, file names, usernames, a link's
parameters) never goes through Markdown: it is shown with ``st.text``, which renders characters as they are."""

from __future__ import annotations

import streamlit as st


def plain(text: str) -> None:
    """User text, character for character: no Markdown, links, icons, maths, colour or entity decoding."""
    st.text(text)


def notice(kind: str, sentence: str, quoted: str | None = None) -> None:
    """One of our own sentences as a notice (``kind``: error, warning, info, success), with the user's words
    it refers to shown underneath as plain text."""
    getattr(st, kind)(sentence)
    if quoted:
        plain(quoted)
