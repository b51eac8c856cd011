"""The City's sign-in (OpenID Connect): who a signed-in person is and which role they get, from the claims of
their ID token. Staff: an e-mail address on the allow-list (settings.city_staff_emails) or membership of the staff
group (settings.city_staff_group, in the claim settings.city_groups_claim). Council members (viewers: read
council-only notes, change nothing): the council allow-list or group (settings.city_council_emails,
settings.city_council_group). Anyone else the City's identity provider signs in gets no role: they read what a
signed-out visitor reads, since residents' words are council-only. Knows nothing of Streamlit."""

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


def role(claims: dict) -> str | None:
    """``staff`` for a verified e-mail address on the staff allow-list or a member of the staff group; ``viewer`` for
    one on the council allow-list or in the council group; None (no role: what a signed-out visitor sees) for
    anyone else, so a City account alone never opens residents' council-only words."""
    email = str(claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified") in (True, "true")  # an address not marked verified matches no list
    member_of = groups(claims)
    for name, emails, group in (
        ("staff", settings.city_staff_emails(), settings.city_staff_group()),
        ("viewer", settings.city_council_emails(), settings.city_council_group()),
    ):
        if (email and verified and email in emails) or (group and group in member_of):
            return name
    return None


def signed_in_at(claims: dict) -> dt.datetime | None:
    """When the City's identity provider issued the ID token (its ``iat`` claim)."""
    try:
        return dt.datetime.fromtimestamp(int(claims["iat"]), dt.UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
