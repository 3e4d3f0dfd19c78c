"""The 全程纪实表 (附件4) of one member as structured JSON, now or as of a date, with verification.

As of T on the *occurred* basis: statements with ``occurred_at`` ≤ T, and every correction whatever its
date (domain.asof); on the *recorded* basis: statements recorded by the end of day T (ledger time zone).
A corrected entry shows the text in force and lists its corrections beside it; the original stays.
Search attempts carry their attestations (证明人签字); meeting resolutions the member's signature or the
refusal note. Each entry: signer (name from the registry), occurred_at, recorded_at, verification.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import orjson

from domain.asof import Basis
from domain.dates import day
from domain.evolve import unwrap
from domain.registry import RegistryWorld
from ledger.errors import NotFound
from ledger.system import LedgerSystem
from projections.dossier import BOXES, ROW
from projections.status_read import registry_of
from projections.verification import StoredEntry, verify_entries

BASIC_FIELDS = ("name", "sex", "ethnicity", "birth_date", "joined_on", "id_number", "mobile", "home")


def load_rows(system: LedgerSystem, member_id: str) -> list[dict[str, Any]]:
    """The projection's rows of one member, in seq order."""
    with system.log.reading() as cursor:
        cursor.execute(
            system.log.sql(f"SELECT {ROW} FROM {{t}}proj_dossier_entries WHERE member_id = ? ORDER BY seq"),
            [member_id],
        )
        return [dict(row) for row in cursor.fetchall()]


def _kept(row: dict[str, Any], at: date | None, basis: Basis) -> bool:
    if at is None:
        return True
    if basis == "recorded":
        on = day(row["recorded_on"])
        return on is not None and on <= at
    if row["type"] == "Corrected":
        return True
    occurred = day(row["occurred_at"])
    return occurred is not None and occurred <= at


def dossier(
    system: LedgerSystem,
    member_id: str,
    *,
    at: date | None = None,
    basis: Basis = "occurred",
    verify: bool = True,
) -> dict[str, Any]:
    """The dossier page of one member (see the module docstring)."""
    rows = load_rows(system, member_id)
    if not rows:
        raise NotFound(f"no member {member_id} in the dossier projection")
    registry = registry_of(system)
    checks: dict[int, dict[str, str]] = {}
    checkpoint: dict[str, Any] | None = None
    if verify:
        stored = [
            StoredEntry(r["seq"], r["hash"], r["actor"], r["key_id"], r["signature"], r["statement"])
            for r in rows
        ]
        checks, view = verify_entries(system, member_id, stored)
        checkpoint = view.as_json()
    kept = [r for r in rows if _kept(r, at, basis)]
    entries = {r["hash"]: _entry(r, registry, checks.get(r["seq"])) for r in kept}
    corrections: dict[str, list[dict[str, Any]]] = defaultdict(list)
    attestations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    signatures: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries.values():
        body = entry["body"]
        if entry["type"] == "Corrected" and body.get("corrects") in entries:
            corrections[body["corrects"]].append(entry)
        elif entry["type"] == "Attested" and body.get("attests") in entries:
            attestations[body["attests"]].append(entry)
        elif entry["type"] in ("MemberSigned", "SignatureRefusalNoted") and body.get("resolution") in entries:
            signatures[body["resolution"]].append(entry)
    attached = {e["hash"] for group in (*attestations.values(), *signatures.values()) for e in group}
    boxes: dict[str, list[dict[str, Any]]] = {key: [] for key in BOXES}
    for digest, entry in entries.items():
        if entry["type"] == "Corrected" and entry["body"].get("corrects") not in entries:
            continue  # the corrected statement is not part of this view yet
        for correction in corrections.get(digest, []):
            _apply_correction(entry, correction)
        entry["corrections"] = corrections.get(digest, [])
        if entry["type"] == "SearchAttemptRecorded":
            entry["attestations"] = attestations.get(digest, [])
            entry["witnesses"] = _witnesses(entry, registry)
        if entry["type"] == "GeneralMeetingResolved":
            entry["member_signature"] = signatures.get(digest, [])
        if digest not in attached:
            boxes[entry["box"]].append(entry)
    return {
        "member_id": member_id,
        "title": "失联党员查找处置全程纪实表",
        "as_of": at.isoformat() if at else None,
        "basis": basis,
        "basic": _basic(boxes["basic"], registry),
        "boxes": [{"box": key, "label": label, "entries": boxes[key]} for key, label in BOXES.items()],
        "checkpoint": checkpoint,
    }


def _entry(row: dict[str, Any], registry: RegistryWorld, check: dict[str, str] | None) -> dict[str, Any]:
    statement = orjson.loads(row["statement"])
    record_type, body, declared = unwrap(statement)
    occurred = day(row["occurred_at"])
    signer = registry.actor(row["actor"], occurred or date.max)
    return {
        "seq": row["seq"],
        "hash": row["hash"],
        "type": record_type,
        "box": row["box"],
        "historical": bool(row["historical"]),
        "occurred_at": row["occurred_at"],
        "recorded_at": row["recorded_at"],
        "signer": {"id": row["actor"], "name": signer.name if signer is not None else ""},
        "original_signers": [{"name": d.name, "role": d.role, "unit": d.unit} for d in declared],
        "body": dict(body),
        "verification": check,
    }


def _apply_correction(entry: dict[str, Any], correction: dict[str, Any]) -> None:
    body = correction["body"]
    if body.get("withdrawn"):
        entry["withdrawn"] = True
    elif isinstance(body.get("replacement"), dict):
        entry["original_body"] = entry.get("original_body", entry["body"])
        entry["body"] = body["replacement"]


def _witnesses(entry: dict[str, Any], registry: RegistryWorld) -> list[dict[str, Any]]:
    """The 证明人 of an attempt: every listed searcher, and whether each has signed (signer or attester)."""
    signed = {entry["signer"]["id"], *(a["signer"]["id"] for a in entry["attestations"])}
    on = day(entry["occurred_at"]) or date.max
    out: list[dict[str, Any]] = []
    for actor in entry["body"].get("searchers", []):
        if isinstance(actor, dict):  # a 补录 record names its searchers as declared, not as actor ids
            out.append({"id": None, "name": str(actor.get("name", "")), "signed": None})
            continue
        view = registry.actor(actor, on)
        out.append({"id": actor, "name": view.name if view else "", "signed": actor in signed})
    return out


def _basic(entries: list[dict[str, Any]], registry: RegistryWorld) -> dict[str, Any]:
    registered = next((e for e in entries if e["type"] == "MemberRegistered"), None)
    confirmed = [e for e in entries if e["type"] == "LostContactConfirmed"]
    body = registered["body"] if registered else {}
    basic: dict[str, Any] = {key: body.get(key) for key in BASIC_FIELDS}
    home = registry.unit(str(body.get("home", "")))
    basic["organisation"] = home.name if home is not None else None
    if confirmed:
        lost = confirmed[-1]["body"]
        basic["last_contact_date"] = lost.get("last_contact_date")
        basic["cause"] = lost.get("cause")
        basic["lost_contact_confirmed_on"] = confirmed[-1]["occurred_at"]
    return basic
