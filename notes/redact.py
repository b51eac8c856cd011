"""Contact details in note text: find e-mail addresses and phone numbers, and remove them from drafts
when staff choose to (the note then says so)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store checks notes for contact details with find_contacts
    from notes.store import NoteDraft

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")


def find_contacts(text: str) -> list[str]:
    """E-mail addresses and phone numbers in ``text``, in order, without repeats."""
    found = EMAIL.findall(text) + PHONE.findall(text)
    return list(dict.fromkeys(s.strip() for s in found))


EMAIL_REMOVED, PHONE_REMOVED = "[e-mail removed]", "[phone removed]"  # stored in the text (worded for readers by ui)


def redact(text: str) -> str:
    return PHONE.sub(PHONE_REMOVED, EMAIL.sub(EMAIL_REMOVED, text))


def redact_all(drafts: list[NoteDraft]) -> None:
    """Remove e-mail addresses and phone numbers from every draft's title and text (and say so on the note)."""
    for draft in drafts:
        draft.title, draft.body = redact(draft.title), redact(draft.body)
        draft.contacts_removed = True
