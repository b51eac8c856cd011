"""Showing user text exactly as typed. Markdown in Streamlit also turns bare URLs and ``www.`` into live links,
``:material/…:`` into icons, ``$…$`` into maths, ``:red[…]`` into colour and ``&amp;`` into "&"; escaping
cannot stop all of that, so user text (note titles and bodies, events, themes, file names, usernames, a link's
parameters) never goes through Markdown: it is shown with ``st.text``, which renders characters as they are."""

from __future__ import annotations

import re

import streamlit as st


def plain(text: str) -> None:
    """User text, character for character: no Markdown, links, icons, maths, colour or entity decoding."""
    st.text(text)


def notice(kind: str, sentence: str, quoted: str | None = None) -> None:
    """One of our own sentences as a notice (``kind``: error, warning, info, success), with the user's words it
    refers to in the same box, as a literal block (:func:`literal_block`): one box per message."""
    getattr(st, kind)(sentence + (f"\n\n{literal_block(quoted)}" if quoted else ""))


def literal_block(text: str) -> str:
    """User text as a Markdown code block, shown character for character (no links, icons, maths or entities),
    fenced with more backticks than any run of them in the text, so the text cannot close the block."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"
