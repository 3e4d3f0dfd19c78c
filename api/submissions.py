"""From a parsed request body to signed statements the ledger can check, and back to receipts.

Only the request's shape and the HTTP-level consistency are checked here (the path names the
statement's stream, a signed-in actor signs its own writes, a convenience route gets its own types);
everything about the statement itself is the ledger's to check.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from api.auth import Session
from api.logrunner_thread import LogFollower
from api.problems import ActorMismatch
from api.schemas import Receipt
from ledger.errors import ValidationFailed
from ledger.system import LedgerSystem

SignedItem = tuple[dict[str, Any], str]


def _refuse(message: str, path: str, index: int | None) -> ValidationFailed:
    where = path if index is None else f"items[{index}].{path}"
    error = ValidationFailed(f"{where}: {message}", errors=[{"path": where, "message": message}])
    if index is not None:
        error.details["index"] = index
    return error


def signed_item(raw: Any, index: int | None = None) -> SignedItem:
    """``{"statement": {...}, "signature": "..."}`` as a pair, refusing any other shape."""
    if not isinstance(raw, dict):
        raise _refuse("expected an object with statement and signature", "$", index)
    extra = sorted(set(raw) - {"statement", "signature"})
    if extra:
        raise _refuse(f"unexpected member {extra[0]!r}", extra[0], index)
    statement, signature = raw.get("statement"), raw.get("signature")
    if not isinstance(statement, dict):
        raise _refuse("a statement is a JSON object", "statement", index)
    if not isinstance(signature, str):
        raise _refuse("a signature is a base64 string", "signature", index)
    return statement, signature


def batch_items(raw: dict[str, Any]) -> list[SignedItem]:
    """The items of ``{"items": [...]}``, each a signed statement."""
    items = raw.get("items")
    if set(raw) != {"items"} or not isinstance(items, list) or not items:
        raise _refuse(
            'expected {"items": [ {statement, signature}, … ]} with at least one item', "items", None
        )
    return [signed_item(item, index) for index, item in enumerate(items)]


def check_items(
    items: Sequence[SignedItem],
    session: Session | None,
    *,
    stream: str | None = None,
    types: Collection[str] | None = None,
) -> None:
    """The path's stream, the route's statement types, and the token's actor agree with every statement."""
    many = len(items) > 1
    for index, (statement, _) in enumerate(items):
        at = index if many else None
        if stream is not None and statement.get("stream") != stream:
            raise _refuse(f"the statement's stream must equal the path's {stream}", "statement.stream", at)
        if types is not None and statement.get("type") not in types:
            raise _refuse(f"this endpoint takes {', '.join(sorted(types))} only", "statement.type", at)
        if session is not None and statement.get("actor") != session.actor:
            error = ActorMismatch(
                f"signed in as {session.actor}, but the statement is signed by another actor"
            )
            if many:
                error.details["index"] = index
            raise error


def append(system: LedgerSystem, follower: LogFollower | None, items: Sequence[SignedItem]) -> list[Receipt]:
    """Append all items in one transaction (all or none) and wake the log follower."""
    receipts = system.ledger.append_many(items)
    if follower is not None:
        follower.poke()
    return [
        Receipt(hash=r.hash, stream=r.stream, seq=r.seq, recorded_at=r.recorded_at, order=r.notification_id)
        for r in receipts
    ]
