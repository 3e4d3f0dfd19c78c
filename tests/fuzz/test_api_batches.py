"""Fuzzing batch writes over HTTP: a batch of signed statements with one item damaged in a generated way
(a field replaced by arbitrary JSON, a forged signature, a stale head, another ledger) is answered
without a 5xx, with a problem document, and writes all of its statements or none of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Served, served  # noqa: F401  (the fixture, reused)
from tests.fuzz.test_statement_fuzz import ANY_JSON
from tests.reliability.scale import sized
from tests.world import Actor

MEMBERS = 3


@dataclass
class Cast:
    """A clerk and the members its batches write to (shared by every generated example)."""

    clerk: Actor
    members: list[str]


@pytest.fixture
def cast(served: Served) -> Iterator[Cast]:  # noqa: F811
    yield Cast(served.world.enrol(["BST"]), [served.world.member() for _ in range(MEMBERS)])


DAMAGE = st.sampled_from(["none", "field", "signature", "stale", "ledger", "body"])


@settings(
    max_examples=sized(25, 500), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    damage=DAMAGE,
    index=st.integers(0, MEMBERS - 1),
    value=ANY_JSON,
    field=st.sampled_from(
        ["v", "ledger", "stream", "seq", "prev", "type", "occurred_at", "actor", "key", "body"]
    ),
)
def test_a_damaged_batch_writes_all_or_nothing(
    served: Served,  # noqa: F811
    cast: Cast,
    damage: str,
    index: int,
    value: Any,
    field: str,
) -> None:
    world, ledger = served.world, served.world.system.ledger
    items: list[dict[str, Any]] = []
    for n, member in enumerate(cast.members):
        body = {
            "kind": "dues",
            "period": f"2026-{n + 1:02d}",
            "amount_fen": 2000 + ledger.max_notification_id(),
        }
        statement, signature = world.statement(member, "ParticipationRecorded", body, cast.clerk)
        items.append({"statement": statement, "signature": signature})
    target = items[index]
    if damage == "field":
        target["statement"][field] = value
    elif damage == "signature":
        _, forged = world.statement(cast.members[index], "ParticipationRecorded", {}, world.admin)
        target["signature"] = forged
    elif damage == "stale":
        target["statement"]["seq"] -= 1
    elif damage == "ledger":
        target["statement"]["ledger"] = "another.example.org/ledger"
    elif damage == "body":
        target["statement"]["body"] = value
    before = [len(ledger.read_stream(member)) for member in cast.members]

    payload = json.dumps({"items": items}, allow_nan=True, ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )
    response = served.client.post(
        "/statements/batch", content=payload, headers={"Content-Type": "application/json"}
    )

    after = [len(ledger.read_stream(member)) for member in cast.members]
    assert response.status_code < 500, response.text
    if response.status_code == 201:
        assert after == [n + 1 for n in before]
        assert len(response.json()["receipts"]) == MEMBERS
    else:
        assert after == before, response.text  # no partial write
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json().get("index", index) == index  # the refusal names the damaged item
        assert damage != "none", response.text
