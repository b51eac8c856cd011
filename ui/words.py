"""Words for what ``data/`` and ``notes/`` answer in codes: a period's name, its notes and release, how the
boundaries were simplified, a geography's names, why a sign-in failed. The layers below hand up a code with its
parameters; every sentence a reader sees about them is written here, once, in the reader's language."""

from __future__ import annotations

import datetime as dt

from data.geographies import Geography
from data.measures import PeriodNote, period_years
from notes.accounts import Denial, SignInFailure
from ui import format as fmt
from ui.i18n import N_, _

PERIOD_NOTES = {
    PeriodNote.INCOME_WITHOUT_MOE: N_("Household income brackets come without margins of error in our source."),
    PeriodNote.NO_MOE_ARCHIVED: N_(
        "No margins of error were archived for this vintage, so reliability and significance cannot be shown."
    ),
    PeriodNote.PROFILE_LINES: N_(
        "Households and broadband come from the Data Profile (DP02); the other lines from B28002/B28003."
    ),
}

PLACE = {"community_area": N_("Community area")}  # a column heading naming one place of the geography


def period_label(vintage: str) -> str:
    """'ACS 2017-2021 5-year', in the reader's language."""
    first, last = period_years(vintage)
    return _("ACS {first}-{last} 5-year").format(first=first, last=last)


def period_notes(entry: dict) -> list[str]:
    """What the build noted about a period (codes in the manifest), as sentences."""
    return [_(PERIOD_NOTES[PeriodNote(code)]) for code in entry.get("notes", []) if code in set(PeriodNote)]


def release(entry: dict) -> str:
    """When the Census Bureau released a period and when our source retrieved it."""
    parts = []
    if entry.get("released"):
        released = fmt.date(dt.date.fromisoformat(entry["released"]), "long")
        parts.append(_("Released by the Census Bureau on {date}.").format(date=released))
    retrieved = entry.get("retrieved")
    if retrieved and len(retrieved) == len("2022-02"):
        month = fmt.month(dt.date.fromisoformat(retrieved + "-01"))
        parts.append(_("Retrieved from the Census API in {month}.").format(month=month))
    elif retrieved:
        when = dt.datetime.strptime(retrieved, "%Y-%m-%dT%H:%MZ")
        parts.append(_("Retrieved from the Census API on {date} at {time} UTC.").format(
            date=fmt.date(when.date(), "long"), time=when.strftime("%H:%M")))  # fmt: skip
    return " ".join(parts)


def boundaries_method(boundaries: dict) -> str:
    """How the build simplified the boundaries for the web."""
    return _(
        "GEOS coverage simplification, {tolerance} m tolerance in EPSG:26971 (shared borders kept identical); "
        "coordinates rounded to {decimals} decimals"
    ).format(tolerance=fmt.number(boundaries["tolerance_m"]), decimals=boundaries["coordinate_decimals"])


def place_heading(geography: Geography) -> str:
    """'Community area': the heading of a column of place names."""
    return _(PLACE[geography.key])


SIGN_IN = {
    SignInFailure.WRONG: N_("Wrong username or password."),
    SignInFailure.LOCKED: N_("Too many failed attempts. Try again in {wait} seconds."),
    SignInFailure.DISABLED: N_("This account is disabled. Ask an administrator."),
}


def sign_in_failure(reason: SignInFailure, **params) -> str:
    """Why a sign-in failed, in the reader's language (never which of name or password was wrong)."""
    return _(SIGN_IN[reason]).format(**params)


DENIAL = {
    Denial.NOT_SIGNED_IN: N_("Sign in with a staff account to change notes."),
    Denial.EXPIRED: N_("Your session has expired. Sign in again."),
    Denial.INACTIVE: N_("Your account is no longer active. Ask an administrator."),
    Denial.READ_ONLY: N_("Your account can read notes but not change them. Ask for a staff account."),
}


def denial(reason: Denial) -> str:
    """Why a write was refused, in the reader's language."""
    return _(DENIAL[reason])
