"""The Python SDK against the real ASGI app: sign-in, appends with stale-head retries, proofs."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.client import LedgerApiError, LedgerClient
from domain.statements import BODY_MODELS
from ledger import keys
from ledger.settings import Settings
from tests.world import Actor, World, make_world

DUES = {"kind": "dues", "period": "2026-01", "amount_fen": 2000}


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    world = make_world(settings)
    yield world
    world.system.close()


@pytest.fixture
def http(settings: Settings, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(settings, follow_log=False)) as client:
        yield client


def sdk_for(actor: Actor, http: TestClient, tmp_path: Path, world: World) -> LedgerClient:
    path = tmp_path / f"{actor.id}.pem"
    keys.save_private_key(actor.key, path, "pass phrase")
    return LedgerClient(
        "http://testserver",
        actor.id,
        path,
        "pass phrase",
        http=http,
        verifier_key=world.system.verifier_key(),
    )


def test_the_sdk_appends_and_proves_inclusion(world: World, http: TestClient, tmp_path: Path) -> None:
    clerk = world.enrol(["BST"])
    sdk = sdk_for(clerk, http, tmp_path, world)
    member = world.member()
    first = sdk.append(member, "ParticipationRecorded", DUES, "2026-03-14")
    model = BODY_MODELS["ParticipationRecorded"].model_validate({"kind": "org_life"})
    second = sdk.append(member, "ParticipationRecorded", model, "2026-03-15")
    assert (first.seq, second.seq) == (2, 3)
    assert sdk.head(member) == (3, second.hash)
    world.system.bring_log_up_to_date()
    inclusion = sdk.verify_inclusion(second.hash, wait=0)
    assert inclusion.position == second.order - 1 and inclusion.tree_size == sdk.checkpoint().size


def test_the_sdk_rebuilds_on_a_stale_head(
    world: World, http: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = world.enrol(["BST"])
    sdk = sdk_for(clerk, http, tmp_path, world)
    member = world.member()
    registered = world.head(member)
    world.participation(member, clerk)
    monkeypatch.setattr(sdk, "head", lambda stream: registered)
    receipt = sdk.append(member, "ParticipationRecorded", DUES, "2026-03-14")
    assert receipt.seq == 3
    sdk.max_retries = 0
    with pytest.raises(LedgerApiError) as refused:
        sdk.append(member, "ParticipationRecorded", DUES, "2026-03-14")
    # the statement built on the stale head is byte-identical to the one recorded there
    assert refused.value.type == "already-recorded" and refused.value.status == 409


def test_the_sdk_reports_refusals_by_type(world: World, http: TestClient, tmp_path: Path) -> None:
    stray = Actor(str(uuid.uuid4()), keys.generate())
    sdk = sdk_for(stray, http, tmp_path, world)
    with pytest.raises(LedgerApiError) as refused:
        sdk.sign_in()
    assert refused.value.type == "unknown-key"
