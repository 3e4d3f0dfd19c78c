"""As-of reads of a member file (§5.3, 按发生日期 / 按记录日期): what the record said, or what had happened.

- *occurred basis* at T: fold, in stream order, the statements with `occurred_at` ≤ T; every `Corrected`
  recorded so far applies to its target;
- *recorded basis* at T: fold the statements recorded by the end of day T in the ledger time zone,
  corrections included only if recorded by then;
- `late_entries`: the `late-entry` look-back finding (recorded date − occurred date > `late_entry_days`).
Pure: the caller passes the file it holds; nothing is read from a clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from domain.dates import day
from domain.evolve import replay
from domain.member import MemberFile

Basis = Literal["occurred", "recorded"]
LogRow = tuple[Mapping[str, Any], str, str]


def recorded_date(recorded_at: str, timezone: str = "Asia/Shanghai") -> date | None:
    """The local date (`ledger_timezone`) of an RFC 3339 `recorded_at`; None when it does not parse."""
    try:
        moment = datetime.fromisoformat(recorded_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(ZoneInfo(timezone)).date()


def _kept(row: LogRow, t: date, basis: Basis, timezone: str) -> bool:
    statement, _, recorded_at = row
    if basis == "recorded":
        on = recorded_date(recorded_at, timezone)
        return on is not None and on <= t
    if statement["type"] == "Corrected":
        return True
    occurred = day(statement["occurred_at"])
    return occurred is not None and occurred <= t


def as_of(
    file: MemberFile, t: date, basis: Basis = "occurred", timezone: str = "Asia/Shanghai"
) -> MemberFile:
    """The member file as of the end of day t on the chosen basis (§5.3)."""
    log = tuple(row for row in file.log if _kept(row, t, basis, timezone))
    hashes = {digest for _, digest, _ in log}
    return replay(log, tuple(f for f in file.findings if f.hash in hashes))


def late_entries(file: MemberFile, late_entry_days: int = 30, timezone: str = "Asia/Shanghai") -> list[str]:
    """Hashes of statements recorded more than `late_entry_days` after they occurred (finding `late-entry`)."""
    out = []
    for statement, digest, recorded_at in file.log:
        occurred, recorded = day(statement["occurred_at"]), recorded_date(recorded_at, timezone)
        if occurred is not None and recorded is not None and (recorded - occurred).days > late_entry_days:
            out.append(digest)
    return out
