"""Date arithmetic of procedures.md §5.3 (add_months) and date parsing of statement fields."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(d: date, n: int) -> date:
    """The same day n months later, or the last day of that month when it is shorter (§5.3).

    2024-01-31 + 1 = 2024-02-29; 2024-02-29 + 24 = 2026-02-28.
    """
    index = d.year * 12 + d.month - 1 + n
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def day(value: object) -> date | None:
    """A `YYYY-MM-DD` field as a date (a `YYYY-MM` value reads as the first of the month); None otherwise."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    except ValueError:
        return None
