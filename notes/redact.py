"""Contact details in note text: find e-mail addresses and phone numbers, and remove them from drafts
when staff choose to (the note then says so).

Both searches take time in proportion to the text's length, whatever it holds: e-mail addresses are found from
each ``@`` outwards (a regular expression with a repeated local part tried again from every letter of a long
unbroken word took minutes on 150,000 characters), and the phone pattern has only bounded repeats."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store checks notes for contact details with find_contacts
    from notes.drafts import NoteDraft

PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")
_LOCAL_SYMBOLS = ".+-"  # with letters, digits and "_": what may stand before the @ of an address
_DOMAIN_SYMBOLS = ".-"  # with letters, digits and "_": what may stand after it


def _is_local(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or ch in _LOCAL_SYMBOLS


def _is_domain(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or ch in _DOMAIN_SYMBOLS


def email_spans(text: str) -> list[tuple[int, int]]:
    """Where the e-mail addresses in ``text`` are (start, end), in order and not overlapping: a local part of
    letters, digits and ``_.+-``, an ``@``, then at least two dot-separated labels of letters, digits and
    ``_-`` ("ana.r@example.org"; the first such address when several are run together).

    Linear in the length of ``text``: each character is looked at from at most one ``@`` on each side (an ``@``
    ends the runs on both sides), and text without an ``@`` is skipped at the speed of ``str.find``."""
    spans: list[tuple[int, int]] = []
    searched_from = 0  # a new address starts after the end of the previous one
    at = text.find("@")
    while at != -1:
        start = at
        while start > searched_from and _is_local(text[start - 1]):
            start -= 1
        end = at + 1
        while end < len(text) and _is_domain(text[end]):
            end += 1
        domain = _domain_prefix(text[at + 1 : end])
        if start < at and domain:
            spans.append((start, at + 1 + len(domain)))
            searched_from = spans[-1][1]
        at = text.find("@", at + 1)
    return spans


def _domain_prefix(run: str) -> str:
    """The longest start of ``run`` (letters, digits and ``_.-``) made of two or more non-empty labels joined by
    dots ("example.org" of "example.org..x"), or "" when there is none."""
    labels = run.split(".")
    if len(labels) < 2 or not labels[0]:
        return ""
    count = 1
    while count < len(labels) and labels[count]:
        count += 1
    return ".".join(labels[:count]) if count >= 2 else ""


def find_contacts(text: str) -> list[str]:
    """E-mail addresses and phone numbers in ``text``, in order (addresses first), without repeats."""
    found = [text[start:end] for start, end in email_spans(text)] + PHONE.findall(text)
    return list(dict.fromkeys(s.strip() for s in found))


EMAIL_REMOVED, PHONE_REMOVED = "[e-mail removed]", "[phone removed]"  # stored in the text (worded for readers by ui)


def redact(text: str) -> str:
    """``text`` with each e-mail address and phone number replaced by a bracketed word saying what was there."""
    parts, kept_from = [], 0
    for start, end in email_spans(text):
        parts += [text[kept_from:start], EMAIL_REMOVED]
        kept_from = end
    parts.append(text[kept_from:])
    return PHONE.sub(PHONE_REMOVED, "".join(parts))


def redact_all(drafts: list[NoteDraft]) -> None:
    """Remove e-mail addresses and phone numbers from every draft's title and text (and say so on the note)."""
    for draft in drafts:
        draft.title, draft.body, draft.event = redact(draft.title), redact(draft.body), redact(draft.event)
        draft.contacts_removed = True
