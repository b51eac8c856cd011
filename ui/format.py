"""Plain, consistent number formatting for pages, tooltips and legends, in the session's language (Babel's
CLDR data: digits grouped as the reader's locale groups them)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.numbers import format_decimal

from ui.i18n import _, locale

MISSING = "—"  # shown wherever a value is missing (never "None", "nan" or an empty cell)


def no_moe() -> str:
    return _("margin of error not available")


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def rounded(value, decimals: int = 0) -> Decimal:
    """``value`` rounded once, half up, as it is written in decimal (15.45 → 15.5, 0.5 → 1): the one rounding
    rule for text, tables, PDFs and downloads."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimals (rounded half up), digits grouped for the reader's language."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(rounded(value, decimals), format=pattern, locale=locale())


def count(value) -> str:
    """12,345 households; '—' when missing."""
    return MISSING if _missing(value) else number(value)


def pct(value, decimals: int = 1) -> str:
    return MISSING if _missing(value) else f"{number(value, decimals)} %"


def with_moe(value, moe, as_pct: bool = False) -> str:
    """'5,139 ± 412' or '20.7 % ± 1.6 points' (a share's margin is in percentage points); the ± part is left
    out where no MOE exists."""
    main = pct(value) if as_pct else count(value)
    if _missing(value) or _missing(moe):
        return main
    if as_pct:
        return _("{value} ± {moe} points").format(value=main, moe=number(moe, 1))
    return f"{main} ± {number(moe)}"


def rank(point, low, high, n: int = 77) -> str:
    """'1 of 77 (plausible 1–4)'; the point rank alone where there is no margin of error."""
    if _missing(point):
        return MISSING
    if _missing(low) or _missing(high):
        return _("{rank} of {n}").format(rank=int(point), n=n)
    plausible = f"{int(low)}" if low == high else f"{int(low)}–{int(high)}"
    return _("{rank} of {n} (plausible {range})").format(rank=int(point), n=n, range=plausible)


def date(value, length: str = "medium") -> str:
    """A date the way the reader's language writes it ('Nov 26, 2026', '26 nov 2026'; ``length="long"``:
    'November 26, 2026', '26 de noviembre de 2026')."""
    from babel.dates import format_date

    return format_date(value, format=length, locale=locale())


def month(value) -> str:
    """A month and year the way the reader's language writes them ('February 2022', 'febrero de 2022')."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=locale())
