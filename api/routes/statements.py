"""Writing signed statements, and reading a stream's head to build the next one (记录提交).

Writes are authenticated by their signatures; a token, when sent, must be the signer's. Convenience
routes for registering units, actors, keys and members are the same write restricted to their types.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path

from api.authz_deps import HeadAccess, WriteGate
from api.deps import FollowerDep, OptionalSession, RawJson, SystemDep
from api.schemas import (
    UUID_PATTERN,
    BatchReceipt,
    Head,
    Receipt,
    SignedStatement,
    StatementBatch,
    request_body,
    submission_model,
)
from api.submissions import append, batch_items, check_items, signed_item

router = APIRouter(tags=["statements"])
StreamId = Annotated[str, Path(pattern=UUID_PATTERN, description="the stream (member, unit or actor) uuid")]
WRITE_RESPONSES: dict[int | str, dict[str, str]] = {
    401: {"description": "bad-signature, unknown-key, revoked-key, bad-token, expired-token"},
    403: {
        "description": "actor-mismatch, role-not-allowed, out-of-scope, or a rule refuses the step (step-not-allowed, …)"
    },
    409: {"description": "stale-head: rebuild on the `head` given and sign again"},
    413: {"description": "payload-too-large"},
    422: {"description": "validation (with `errors`), wrong-ledger"},
}


@router.post(
    "/streams/{id}/statements",
    status_code=201,
    responses=WRITE_RESPONSES,
    openapi_extra=request_body(SignedStatement),
)
def append_statement(
    id: StreamId,
    raw: RawJson,
    system: SystemDep,
    session: OptionalSession,
    follower: FollowerDep,
    gate: WriteGate,
) -> Receipt:
    """Append one signed statement to the stream ``id`` (提交一条签名记录)."""
    items = [signed_item(raw)]
    check_items(items, session, stream=id)
    gate.check(items)
    return append(system, follower, items)[0]


@router.post(
    "/statements/batch",
    status_code=201,
    responses=WRITE_RESPONSES,
    openapi_extra=request_body(StatementBatch),
)
def append_batch(
    raw: RawJson, system: SystemDep, session: OptionalSession, follower: FollowerDep, gate: WriteGate
) -> BatchReceipt:
    """Append signed statements of several streams in one transaction: all or none (批量提交).

    A refusal names the failing statement by its ``index`` in ``items``.
    """
    items = batch_items(raw)
    check_items(items, session)
    gate.check(items)
    return BatchReceipt(receipts=append(system, follower, items))


@router.get("/streams/{id}/head", responses={403: {"description": "role-not-allowed, out-of-scope"}})
def head(id: StreamId, system: SystemDep, access: HeadAccess) -> Head:
    """The stream's head: the next statement has ``seq + 1`` and ``prev = hash`` (记录链头)."""
    state = system.ledger.state(uuid.UUID(access.target.stream))
    return Head(seq=state.seq, hash=state.head)


CONVENIENCE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("/units/{id}/registration", ("UnitRegistered",), "Register an organisation unit (登记组织单位)."),
    ("/actors/{id}/registration", ("ActorRegistered",), "Register an actor and its roles (登记人员)."),
    ("/actors/{id}/keys", ("KeyEnrolled", "KeyRevoked"), "Enrol or revoke an actor's key (登记或吊销密钥)."),
    ("/members/{id}/registration", ("MemberRegistered",), "Register a member's file (建立党员档案)."),
)


def _convenience(types: tuple[str, ...], doc: str) -> Callable[..., Receipt]:
    def endpoint(
        id: StreamId,
        raw: RawJson,
        system: SystemDep,
        session: OptionalSession,
        follower: FollowerDep,
        gate: WriteGate,
    ) -> Receipt:
        items = [signed_item(raw)]
        check_items(items, session, stream=id, types=types)
        gate.check(items)
        return append(system, follower, items)[0]

    endpoint.__doc__ = doc + " The same write as POST /streams/{id}/statements, for these types only."
    return endpoint


for _path, _types, _doc in CONVENIENCE:
    _model = submission_model(f"Signed{''.join(_types)}", _types, _doc)
    router.add_api_route(
        _path,
        _convenience(_types, _doc),
        methods=["POST"],
        status_code=201,
        responses=WRITE_RESPONSES,
        openapi_extra=request_body(_model),
        name=f"register_{_path.split('/')[1]}_{_path.rsplit('/', 1)[1]}",
    )
