"""The reports of a unit's subtree (名册与登记表, 附件5, 回头看) for the HTTP routes and the pages.

The projections compute each document (``projections.reads``); this module adds what the service needs
around them: the identity checks of 附件5 spelled out one by one (each holding or not), the members each
document includes with their branch today (for the access log), the Chinese labels of 回头看 findings,
and the ``.xlsx`` download in the official layout (``projections.exports``) with its file name.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

from domain.asof import Basis
from ledger.system import LedgerSystem
from projections.exports import lookback_workbook, register_workbook, statistics_workbook
from projections.lookback import FINDING_LABELS
from projections.reads import MEMBERS_PAGE, read_lookback, read_register, read_statistics
from projections.registers import Kind
from projections.scope import unit_name
from projections.statistics import IDENTITIES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IDS_PER_QUERY = 500
"""Member ids per ``IN`` list when the access log looks up the members' branches."""


def identity_checks(counts: dict[str, int]) -> list[dict[str, Any]]:
    """Each relation of the 附件5 note (A=B+O+X … S=T+U) and C≥D+E+F: its two sides and whether it holds."""
    checks = []
    for total, parts in IDENTITIES:
        right = sum(counts[p] for p in parts)
        checks.append({"rule": f"{total}={'+'.join(parts)}", "left": counts[total], "right": right,
                       "holds": counts[total] == right})  # fmt: skip
    right = counts["D"] + counts["E"] + counts["F"]
    checks.append({"rule": "C≥D+E+F", "left": counts["C"], "right": right, "holds": counts["C"] >= right})
    return checks


def register_doc(
    system: LedgerSystem, kind: Kind, unit: str, at: date, basis: Basis, campaign: str | None
) -> dict[str, Any]:
    """One register (名册, 取得联系, 仍然无法) of the unit's subtree as of 填表日期 ``at``."""
    return read_register(system, kind, unit, at=at, basis=basis, campaign=campaign)


def statistics_doc(
    system: LedgerSystem, unit: str, at: date, basis: Basis, campaign: str | None,
    members_offset: int = 0, members_limit: int | None = MEMBERS_PAGE,
) -> dict[str, Any]:  # fmt: skip
    """The 附件5 table of the unit's subtree as of 统计时间 ``at``, with every relation checked.

    It lists ``members_limit`` cohort members from ``members_offset`` (None: all of them, as the
    ``.xlsx`` download reads it); the counts and the checks cover the whole cohort.
    """
    doc = read_statistics(
        system, unit, at=at, basis=basis, campaign=campaign, members_offset=members_offset,
        members_limit=members_limit,
    )  # fmt: skip
    return {**doc, "checks": identity_checks(doc["counts"])}


def lookback_doc(system: LedgerSystem, unit: str, at: date, basis: Basis) -> dict[str, Any]:
    """回头看 of the unit's subtree as of ``at``: each member with its branch's name, each finding labelled."""
    doc = read_lookback(system, unit, at=at, basis=basis)
    for member in doc["members"]:
        member["home_name"] = unit_name(system, member["home"])
        for finding in member["findings"]:
            finding["label"] = FINDING_LABELS.get(finding["code"], finding["code"])
    doc["by_code"] = [{"code": code, "label": FINDING_LABELS.get(code, code), "count": n}
                      for code, n in doc["by_code"].items()]  # fmt: skip
    return doc


def included(system: LedgerSystem, member_ids: Iterable[str]) -> list[tuple[str, str]]:
    """``(member, its branch today)`` for each member a document includes, for the access log."""
    wanted = list(dict.fromkeys(member_ids))
    homes: dict[str, str] = {}
    with system.log.reading() as cursor:
        for start in range(0, len(wanted), IDS_PER_QUERY):
            chunk = wanted[start : start + IDS_PER_QUERY]
            marks = ",".join("?" for _ in chunk)
            query = f"SELECT member_id, home FROM {{t}}proj_status WHERE member_id IN ({marks})"
            cursor.execute(system.log.sql(query), chunk)
            homes.update((str(row["member_id"]), str(row["home"])) for row in cursor.fetchall())
    return [(member, homes.get(member, "")) for member in wanted]


def members_of(doc: dict[str, Any]) -> list[str]:
    """The member ids a register (``rows``), the 附件5 (``members``) or 回头看 (``members``) includes."""
    return [item["member_id"] for item in doc.get("rows", doc.get("members", []))]


def content_disposition(filename: str, fallback: str) -> str:
    """An attachment header naming the file in UTF-8 (RFC 6266/5987), with an ASCII fallback name."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def xlsx_response(
    doc: dict[str, Any], writer: Callable[[dict[str, Any], Path], Path], fallback: str
) -> Response:
    """The document as an ``.xlsx`` download named after its form title and date."""
    with tempfile.TemporaryDirectory(prefix="ledger-xlsx-") as tmp:
        content = writer(doc, Path(tmp) / "form.xlsx").read_bytes()
    day = doc.get("填表日期") or doc.get("统计时间") or doc.get("as_of") or ""
    name = f"{doc['title']}_{day}.xlsx"
    headers = {"Content-Disposition": content_disposition(name, f"{fallback}-{day}.xlsx")}
    return Response(content, media_type=XLSX, headers=headers)


WRITERS: dict[str, Callable[[dict[str, Any], Path], Path]] = {
    "register": register_workbook,
    "statistics": statistics_workbook,
    "lookback": lookback_workbook,
}
