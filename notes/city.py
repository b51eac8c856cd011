"""The City's sign-in (OpenID Connect): who a signed-in person is and which role they get, from the claims of
their ID token. Staff: an e-mail address on the allow-list (settings.city_staff_emails) or membership of the staff
group (settings.city_staff_group, in the claim settings.city_groups_claim). Everyone else the City's identity
provider signs in is a viewer (reads council-only notes, changes nothing). Knows nothing of Streamlit."""

from __future__ import annotations

import datetime as dt

import settings

MAX_NAME = 64  # what the notes and the audit log record of who wrote (notes.schema)


def username(claims: dict) -> str | None:
    """The name the app shows and records for a City sign-in: the e-mail address (lower case), else the subject;
    None when there is neither or it is longer than the store records (MAX_NAME): such a sign-in is not taken."""
    email = str(claims.get("email") or "").strip().lower()
    name = email or str(claims.get("sub") or "")
    return name if 0 < len(name) <= MAX_NAME else None


def groups(claims: dict, claim: str | None = None) -> set[str]:
    """The groups the claims list (a list of names, or one name)."""
    value = claims.get(claim or settings.city_groups_claim())
    if isinstance(value, str):
        return {value}
    return {str(item) for item in value} if isinstance(value, list | tuple) else set()


def role(claims: dict) -> str:
    """``staff`` for a verified e-mail address on the allow-list or a member of the staff group; else ``viewer``."""
    email = str(claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified", True) not in (False, "false")
    if email and verified and email in settings.city_staff_emails():
        return "staff"
    staff_group = settings.city_staff_group()
    if staff_group and staff_group in groups(claims):
        return "staff"
    return "viewer"


def signed_in_at(claims: dict) -> dt.datetime | None:
    """When the City's identity provider issued the ID token (its ``iat`` claim)."""
    try:
        return dt.datetime.fromtimestamp(int(claims["iat"]), dt.UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
