"""The ledger's time formats (DESIGN.md): ``recorded_at`` is RFC 3339 UTC with microseconds and ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime


def format_recorded_at(moment: datetime) -> str:
    """``2026-03-14T08:00:00.123456Z`` for any aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("recorded_at needs an aware datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_recorded_at(text: str) -> datetime:
    """The aware UTC datetime of a ``recorded_at`` string, refusing any other shape."""
    if len(text) != 27 or not text.endswith("Z"):
        raise ValueError(f"not a recorded_at timestamp: {text!r}")
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
