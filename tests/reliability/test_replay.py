"""Retrying a write is safe: the same signed statement sent twice is recorded once, the repeat is refused
as ``already-recorded`` with the first receipts, and the SDK takes those as the answer to a write whose
answer it lost (a connection broken after the commit) instead of rebuilding it into a duplicate."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.client import LedgerClient
from ledger import keys
from ledger.errors import AlreadyRecorded, BadSignature, StaleHead
from ledger.settings import Settings
from tests.reliability.pgcluster import free_port
from tests.world import World, make_world

DUES = {"kind": "dues", "period": "2026-01", "amount_fen": 2000}


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    w = make_world(settings)
    yield w
    w.system.close()


def test_the_same_signed_statement_twice_is_recorded_once(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    statement, signature = world.statement(member, "ParticipationRecorded", DUES, clerk)
    first = world.system.ledger.append(statement, signature)
    with pytest.raises(AlreadyRecorded) as again:
        world.system.ledger.append(statement, signature)
    assert isinstance(again.value, StaleHead)  # in-process callers that handle a lost race still do
    assert again.value.details["receipts"] == [
        {
            "hash": first.hash,
            "stream": member,
            "seq": 2,
            "recorded_at": first.recorded_at,
            "order": first.notification_id,
        }
    ]
    assert again.value.details["head"] == {"seq": 2, "hash": first.hash}
    assert [r.hash for r in world.system.ledger.read_stream(member)][1:] == [first.hash]
    world.system.bring_log_up_to_date()
    leaves = world.system.log.leaves(0, world.system.log.size())
    assert [leaf.statement_hash for leaf in leaves].count(first.hash) == 1


def test_a_batch_sent_twice_is_recorded_once(world: World) -> None:
    clerk = world.enrol(["BST"])
    members = [world.member(), world.member()]
    items = [world.statement(m, "ParticipationRecorded", DUES, clerk) for m in members]
    first = world.system.ledger.append_many(items)
    with pytest.raises(AlreadyRecorded) as again:
        world.system.ledger.append_many(items)
    assert [r["hash"] for r in again.value.details["receipts"]] == [r.hash for r in first]
    assert [r["order"] for r in again.value.details["receipts"]] == [r.notification_id for r in first]
    assert [len(world.system.ledger.read_stream(m)) for m in members] == [2, 2]


def test_a_batch_only_partly_recorded_is_merely_stale(world: World) -> None:
    clerk = world.enrol(["BST"])
    recorded, fresh = world.member(), world.member()
    old = world.statement(recorded, "ParticipationRecorded", DUES, clerk)
    world.system.ledger.append(*old)
    new = world.statement(fresh, "ParticipationRecorded", DUES, clerk)
    with pytest.raises(StaleHead) as refused:
        world.system.ledger.append_many([old, new])
    assert not isinstance(refused.value, AlreadyRecorded)
    assert len(world.system.ledger.read_stream(fresh)) == 1  # all or nothing


def test_another_statement_on_the_same_head_is_stale_not_recorded(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    mine = world.statement(member, "ParticipationRecorded", DUES, clerk)
    theirs = world.statement(member, "ParticipationRecorded", {**DUES, "period": "2026-02"}, clerk)
    world.system.ledger.append(*mine)
    with pytest.raises(StaleHead) as refused:
        world.system.ledger.append(*theirs)
    assert refused.value.code == "stale-head"


def test_a_recorded_statement_with_a_forged_signature_is_refused(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    statement, signature = world.statement(member, "ParticipationRecorded", DUES, clerk)
    world.system.ledger.append(statement, signature)
    forged = world.statement(member, "ParticipationRecorded", DUES, world.enrol(["BST"]))[1]
    with pytest.raises(BadSignature):
        world.system.ledger.append(statement, forged)


class LosesAnswers(httpx.BaseTransport):
    """Hands each request to the real app in full, then loses the answer of the first ``lose`` writes, as
    a connection that breaks after the server committed and before the client read the response."""

    def __init__(self, app: TestClient, lose: int) -> None:
        self.app = app
        self.lose = lose

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.app.send(request)
        response.read()
        if request.method == "POST" and request.url.path.endswith("statements") and self.lose > 0:
            self.lose -= 1
            raise httpx.RemoteProtocolError("server disconnected without sending a response", request=request)
        return httpx.Response(response.status_code, headers=response.headers, content=response.content)


@pytest.fixture
def app(settings: Settings, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(settings, follow_log=False)) as client:
        yield client


def _sdk(world: World, app: TestClient, tmp_path: Path, lose: int) -> LedgerClient:
    clerk = world.enrol(["BST"])
    key_file = tmp_path / "clerk.pem"
    keys.save_private_key(clerk.key, key_file, None)
    http = httpx.Client(base_url="http://testserver", transport=LosesAnswers(app, lose))
    return LedgerClient("http://testserver", clerk.id, key_file, http=http)


def test_the_sdk_takes_the_first_receipt_when_the_answer_was_lost(
    world: World, app: TestClient, tmp_path: Path
) -> None:
    member = world.member()
    with _sdk(world, app, tmp_path, lose=2) as sdk:
        receipt = sdk.append(member, "ParticipationRecorded", DUES, "2026-03-14")
        batch = [
            sdk.sign(
                member,
                "ParticipationRecorded",
                {**DUES, "period": "2026-02"},
                "2026-03-14",
                seq=3,
                prev=receipt.hash,
            )
        ]
        [second] = sdk.submit_batch(batch)
    stored = world.system.ledger.read_stream(member)
    assert [r.hash for r in stored] == [stored[0].hash, receipt.hash, second.hash]
    assert (receipt.seq, second.seq) == (2, 3)
    assert receipt.recorded_at == stored[1].recorded_at


def test_the_sdk_gives_up_after_its_outage_budget(tmp_path: Path) -> None:
    key_file = tmp_path / "k.pem"
    keys.save_private_key(keys.generate(), key_file, None)
    nobody = f"http://127.0.0.1:{free_port()}"  # nothing listens there: every attempt is refused
    with LedgerClient(nobody, "00000000-0000-4000-8000-000000000000", key_file, timeout=2) as sdk:
        sdk.outage_budget = 1.0
        started = time.monotonic()
        with pytest.raises(httpx.ConnectError):
            sdk.checkpoint()
        elapsed = time.monotonic() - started
    assert 0.6 <= elapsed <= 3.5  # retried with backoff (0.1 + 0.2 + 0.4 s …), then gave up
