"""Plain, consistent number formatting for pages, tooltips and legends (pure functions)."""

from __future__ import annotations

import pandas as pd

NO_MOE = "margin of error not available"


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


MISSING = "—"  # shown wherever a value is missing (never "None", "nan" or an empty cell)


def count(value) -> str:
    """12,345 households; '—' when missing."""
    return MISSING if _missing(value) else f"{round(value):,}"


def pct(value, decimals: int = 1) -> str:
    return MISSING if _missing(value) else f"{value:.{decimals}f} %"


def with_moe(value, moe, as_pct: bool = False) -> str:
    """'5,139 ± 412' or '20.7 % ± 1.6 points' (a share's margin is in percentage points); the ± part is left
    out where no MOE exists."""
    main = pct(value) if as_pct else count(value)
    if _missing(value) or _missing(moe):
        return main
    return f"{main} ± {moe:.1f} points" if as_pct else f"{main} ± {round(moe):,}"


def rank(point, low, high, n: int = 77) -> str:
    """'1 of 77 (plausible 1–4)'; the point rank alone where there is no margin of error."""
    if _missing(point):
        return MISSING
    if _missing(low) or _missing(high):
        return f"{int(point)} of {n}"
    plausible = f"{int(low)}" if low == high else f"{int(low)}–{int(high)}"
    return f"{int(point)} of {n} (plausible {plausible})"
