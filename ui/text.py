"""Showing user-written text safely: as literal text, never as HTML or Markdown formatting."""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character Markdown (or Streamlit's Markdown extensions) could read as markup,
    and keep line breaks, so ``st.markdown`` shows exactly the characters that were typed."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")
