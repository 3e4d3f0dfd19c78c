"""The client SDK's typed reads: member list, status, dossier, export bundle, overdue items.

A mixin of ``api.client.LedgerClient``: every method signs in when needed (the reads need a bearer token)
and returns the response models of ``api.read_schemas``; the bundle comes as the JSON the server sent, to
be checked offline with ``ledger.bundle.verify_bundle``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from api.read_schemas import Basis, Dossier, MemberPage, MemberStatus, OverduePage


def _as_of(as_of: date | str | None, basis: Basis) -> dict[str, str]:
    if as_of is None:
        return {"basis": basis}
    return {"as_of": as_of.isoformat() if isinstance(as_of, date) else as_of, "basis": basis}


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
