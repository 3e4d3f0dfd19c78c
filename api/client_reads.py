"""The client SDK's typed reads: every read route of the service, one method each.

A mixin of ``api.client.LedgerClient``: every method signs in when needed (the reads need a bearer token)
and returns the response models the service documents (``api.read_schemas``, ``api.report_schemas``, the
route modules); the bundle comes as the JSON the server sent, to be checked offline with
``ledger.bundle.verify_bundle``. The reports and the dossier also come as the official files (``.xlsx``,
PDF), as bytes. The access log has no response model on the server yet: its models are declared here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from pydantic import BaseModel, Field

from api.read_schemas import Basis, Dossier, MemberPage, MemberStatus, OverduePage
from api.report_schemas import Lookback, Register, Statistics
from api.routes.streams_read import StreamRecord
from api.routes.transparency import ConsistencyProof, InclusionProof, Leaf, Leaves
from projections.reads import MEMBERS_PAGE
from projections.registers import Kind

XLSX = {"format": "xlsx"}


class AccessRow(BaseModel):
    """One read of a member's data (查阅记录): who, when, which view, from where, chained by hash."""

    position: int
    at: str
    actor: str
    member: str
    unit: str = Field(description="the member's branch at the time of the read")
    view: str = Field(examples=["dossier"])
    client: str
    prev_hash: str
    hash: str


class AccessLogPage(BaseModel):
    """Reads of members' data within a unit's subtree, oldest first; page on with ``next_after``."""

    unit: str | None
    rows: list[AccessRow]
    next_after: int | None


class BrokenRow(BaseModel):
    """The first access-log row whose chain does not verify, and why."""

    position: int | None
    reason: str | None


class CheckpointCounts(BaseModel):
    """How many access-log checkpoints a verification checked: kept by the server, handed in by the caller."""

    issued: int
    held: int


class CheckpointFailure(BaseModel):
    """An access-log checkpoint the log no longer extends (a deleted or rewritten tail), or a bad kept note."""

    size: int
    source: str = Field(description="issued (kept by the server) or held (handed in by the caller)")
    reason: str


class AccessLogCheck(BaseModel):
    """The recheck of the whole access-log chain and of its checkpoints (查阅日志校验)."""

    ok: bool
    rows: int
    head: str
    first_broken: BrokenRow | None
    checkpoints: CheckpointCounts
    checkpoint_failures: list[CheckpointFailure]


def _as_of(as_of: date | str | None, basis: Basis) -> dict[str, str]:
    if as_of is None:
        return {"basis": basis}
    return {"as_of": as_of.isoformat() if isinstance(as_of, date) else as_of, "basis": basis}


def _campaign(campaign: str | None) -> dict[str, str]:
    return {"campaign": campaign} if campaign is not None else {}


class ReadMethods:
    """Typed read methods over ``_call`` (provided by the client)."""

    def _call(self, method: str, path: str, *, auth: bool = False, **kw: Any) -> httpx.Response:
        raise NotImplementedError  # pragma: no cover

    def members(
        self,
        *,
        unit: str | None = None,
        state: str | None = None,
        cause: int | None = None,
        overdue: bool | None = None,
        name: str | None = None,
        page: int = 1,
        per_page: int = 50,
    ) -> MemberPage:
        """One page of the members of ``unit``'s subtree (default: the caller's unit) matching the filters."""
        filters: dict[str, Any] = {"unit": unit, "state": state, "cause": cause, "name": name}
        params = {key: value for key, value in filters.items() if value is not None}
        if overdue is not None:
            params["overdue"] = "true" if overdue else "false"
        params |= {"page": page, "per_page": per_page}
        return MemberPage.model_validate(self._call("GET", "/members", auth=True, params=params).json())

    def member_status(
        self, member: str, *, as_of: date | str | None = None, basis: Basis = "occurred"
    ) -> MemberStatus:
        """A member's status now, or as of a date on the chosen basis."""
        response = self._call("GET", f"/members/{member}/status", auth=True, params=_as_of(as_of, basis))
        return MemberStatus.model_validate(response.json())

    def dossier(self, member: str, *, as_of: date | str | None = None, basis: Basis = "occurred") -> Dossier:
        """The member's 全程纪实表 (附件4) as JSON, now or as of a date."""
        response = self._call("GET", f"/members/{member}/dossier", auth=True, params=_as_of(as_of, basis))
        return Dossier.model_validate(response.json())

    def bundle(self, member: str) -> dict[str, Any]:
        """The member's export bundle as sent (verify it with ``ledger.bundle.verify_bundle``)."""
        bundle: dict[str, Any] = self._call("GET", f"/members/{member}/bundle", auth=True).json()
        return bundle

    def overdue(self, *, unit: str | None = None, page: int = 1, per_page: int = 100) -> OverduePage:
        """Overdue items of ``unit``'s subtree (default: the caller's unit), most overdue first."""
        params: dict[str, Any] = {"page": page, "per_page": per_page} | ({"unit": unit} if unit else {})
        return OverduePage.model_validate(self._call("GET", "/overdue", auth=True, params=params).json())

    def dossier_pdf(
        self, member: str, *, as_of: date | str | None = None, basis: Basis = "occurred"
    ) -> bytes:
        """The member's 全程纪实表 as the server prints it (A4 PDF); ``pdf-unavailable`` without Chromium."""
        path = f"/members/{member}/dossier.pdf"
        return self._call("GET", path, auth=True, params=_as_of(as_of, basis)).content

    def stream(self, stream: str) -> StreamRecord:
        """A stream's statements as signed, each with the server's signature, chain and inclusion checks.

        The checks are the server's word; ``verify_inclusion`` and the export bundle recheck them here.
        """
        return StreamRecord.model_validate(self._call("GET", f"/streams/{stream}", auth=True).json())

    # -- reports of a unit's subtree ---------------------------------------------------------------

    def _unit_report(
        self, unit: str, report: str, as_of: date | str | None, basis: Basis, params: dict[str, Any]
    ) -> httpx.Response:
        """GET one report of ``unit``'s subtree (JSON, or ``.xlsx`` with ``XLSX`` in ``params``) as of a date."""
        return self._call("GET", f"/units/{unit}/{report}", auth=True, params=_as_of(as_of, basis) | params)

    def unit_register(
        self,
        unit: str,
        form: Kind = "roster",
        *,
        as_of: date | str | None = None,
        basis: Basis = "occurred",
        campaign: str | None = None,
    ) -> Register:
        """One register of ``unit``'s subtree as of 填表日期 (default: today): 名册, 取得联系 or 仍然无法."""
        response = self._unit_report(unit, f"registers/{form}", as_of, basis, _campaign(campaign))
        return Register.model_validate(response.json())

    def unit_register_xlsx(
        self,
        unit: str,
        form: Kind = "roster",
        *,
        as_of: date | str | None = None,
        basis: Basis = "occurred",
        campaign: str | None = None,
    ) -> bytes:
        """The same register in the official layout, as the bytes of an ``.xlsx`` file."""
        return self._unit_report(unit, f"registers/{form}", as_of, basis, _campaign(campaign) | XLSX).content

    def unit_statistics(
        self,
        unit: str,
        *,
        as_of: date | str | None = None,
        basis: Basis = "occurred",
        campaign: str | None = None,
        members_offset: int = 0,
        members_limit: int | None = MEMBERS_PAGE,
    ) -> Statistics:
        """附件5 of ``unit``'s subtree as of 统计时间 (default: today), each relation of its note checked.

        The counts cover the whole cohort; ``members`` lists ``members_limit`` of its members from
        ``members_offset`` (``members_total`` in all); ``members_limit=None`` lists every one.
        """
        paging = {
            "members_offset": members_offset,
            "members_limit": "all" if members_limit is None else members_limit,
        }
        response = self._unit_report(unit, "statistics", as_of, basis, _campaign(campaign) | paging)
        return Statistics.model_validate(response.json())

    def unit_statistics_xlsx(
        self,
        unit: str,
        *,
        as_of: date | str | None = None,
        basis: Basis = "occurred",
        campaign: str | None = None,
    ) -> bytes:
        """附件5 in the official layout, as the bytes of an ``.xlsx`` file."""
        return self._unit_report(unit, "statistics", as_of, basis, _campaign(campaign) | XLSX).content

    def unit_lookback(
        self, unit: str, *, as_of: date | str | None = None, basis: Basis = "occurred"
    ) -> Lookback:
        """回头看 of ``unit``'s subtree: disposed cases and findings per member, counts per finding."""
        return Lookback.model_validate(self._unit_report(unit, "lookback", as_of, basis, {}).json())

    def unit_lookback_xlsx(
        self, unit: str, *, as_of: date | str | None = None, basis: Basis = "occurred"
    ) -> bytes:
        """回头看 as the bytes of an ``.xlsx`` file."""
        return self._unit_report(unit, "lookback", as_of, basis, XLSX).content

    # -- the access log (inspectors, administrators) -----------------------------------------------

    def access_log(
        self,
        *,
        member: str | None = None,
        actor: str | None = None,
        unit: str | None = None,
        since: date | str | None = None,
        after: int = 0,
        limit: int = 200,
    ) -> AccessLogPage:
        """Reads of members' data within ``unit``'s subtree (default: the caller's unit), oldest first."""
        day = since.isoformat() if isinstance(since, date) else since
        filters = {"member": member, "actor": actor, "unit": unit, "since": day}
        params: dict[str, Any] = {key: value for key, value in filters.items() if value is not None}
        params |= {"after": after, "limit": limit}
        return AccessLogPage.model_validate(self._call("GET", "/access-log", auth=True, params=params).json())

    def verify_access_log(self, held: str | None = None) -> AccessLogCheck:
        """The server's recheck of the whole access-log chain, naming the first broken row if any.

        ``held`` is a checkpoint note kept from ``access_log_checkpoint``: the log must also extend it,
        which catches a tail deleted together with the checkpoints the server kept.
        """
        if held is None:
            response = self._call("GET", "/access-log/verify", auth=True)
        else:
            response = self._call("POST", "/access-log/verify", auth=True, json={"checkpoint": held})
        return AccessLogCheck.model_validate(response.json())

    def access_log_checkpoint(self) -> str:
        """The access log's head signed now by the ledger key (a C2SP signed note), to keep and hand back."""
        return self._call("GET", "/access-log/checkpoint", auth=True).text

    # -- transparency (public unless the server says otherwise) ------------------------------------

    def inclusion_proof(
        self, tree_size: int, *, hash: str | None = None, position: int | None = None
    ) -> InclusionProof:
        """The RFC 9162 inclusion proof of a statement (by ``hash`` or log ``position``) in ``tree_size``."""
        named = {"hash": hash, "position": position}
        params = {"tree_size": tree_size} | {key: value for key, value in named.items() if value is not None}
        response = self._call("GET", "/ledger/proof/inclusion", params=params)
        return InclusionProof.model_validate(response.json())

    def consistency_proof(self, first: int, second: int) -> ConsistencyProof:
        """The RFC 9162 consistency proof that the tree of ``second`` leaves extends that of ``first``."""
        params = {"first": first, "second": second}
        return ConsistencyProof.model_validate(
            self._call("GET", "/ledger/proof/consistency", params=params).json()
        )

    def leaves(self, start: int, end: int) -> list[Leaf]:
        """Log leaves ``[start, end)`` (the server sends at most 1000 at a time)."""
        response = self._call("GET", "/ledger/leaves", params={"start": start, "end": end})
        return Leaves.model_validate(response.json()).leaves
