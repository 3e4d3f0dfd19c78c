"""Export bundles verify offline with only the verifier key; any change to them is named."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from ledger import keys, note
from ledger.bundle import BUNDLE_FORMAT, export_bundle, verify_bundle
from ledger.settings import Settings
from tests.world import World, make_world


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    w = make_world(settings)
    yield w
    w.system.close()


def member_file(world: World) -> tuple[str, dict[str, Any]]:
    clerk = world.enrol(["BST"])
    secretary = world.secretary
    member = world.member()
    world.participation(member, clerk, period="2026-01")
    world.participation(member, secretary, period="2026-02")
    world.participation(world.member(), clerk)  # someone else's file: not in the bundle
    world.system.bring_log_up_to_date()
    return member, export_bundle(world.system, member)


def test_bundle_holds_the_stream_and_the_enrolment_chain(world: World) -> None:
    member, bundle = member_file(world)
    assert bundle["format"] == BUNDLE_FORMAT
    assert bundle["origin"] == world.origin
    streams = [entry["statement"]["stream"] for entry in bundle["entries"]]
    assert streams[:2] == [member, member]
    assert world.admin.id in streams  # the genesis, signed by the ledger key
    assert any(entry["position"] == 0 for entry in bundle["entries"])
    assert len(bundle["keys"]) == 4  # ledger key, root administrator, clerk, secretary
    assert {e["statement"]["type"] for e in bundle["entries"]} >= {"ActorRegistered", "KeyEnrolled"}
    report = verify_bundle(json.loads(json.dumps(bundle)), world.system.verifier_key())
    assert report.ok, report.failures
    assert report.entries == len(bundle["entries"])


def test_bundle_checkpoint_is_the_latest(world: World) -> None:
    _, bundle = member_file(world)
    latest = world.system.log.latest_checkpoint()
    assert latest is not None and bundle["checkpoint"] == latest.note


def tampered(bundle: dict[str, Any], change: Any) -> dict[str, Any]:
    copy_ = copy.deepcopy(bundle)
    change(copy_)
    return copy_


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("body", lambda b: b["entries"][0]["statement"]["body"].update(period="2025-12"), "hash"),
        ("signature", lambda b: b["entries"][1].update(signature=b["entries"][0]["signature"]), "signature"),
        ("proof", lambda b: b["entries"][0]["proof"].reverse(), "not included"),
        (
            "position",
            lambda b: b["entries"][0].update(position=b["entries"][0]["position"] + 1),
            "not included",
        ),
        (
            "recorded_at",
            lambda b: b["entries"][0].update(recorded_at="2020-01-01T00:00:00.000000Z"),
            "not included",
        ),
        ("dropped entry", lambda b: b["entries"].pop(0), "chain"),
        ("checkpoint", lambda b: b.update(checkpoint=b["checkpoint"].replace("\n", "\n\n", 1)), "checkpoint"),
        ("format", lambda b: b.update(format="other/1"), "not a"),
    ],
)
def test_any_change_to_a_bundle_is_named(world: World, name: str, change: Any, expected: str) -> None:
    _, bundle = member_file(world)
    report = verify_bundle(tampered(bundle, change), world.system.verifier_key())
    assert not report.ok, name
    assert expected in report.failures[0], report.failures


def test_key_swapped_for_an_attackers_is_refused(world: World) -> None:
    _, bundle = member_file(world)
    attacker = keys.generate()
    signer = bundle["entries"][0]["statement"]["key"]
    forged = tampered(
        bundle, lambda b: b["keys"][signer].update(public_key=keys.public_key_b64(attacker.public_key()))
    )
    report = verify_bundle(forged, world.system.verifier_key())
    assert any("signature" in failure or "enrolled" in failure for failure in report.failures)


def test_another_ledgers_verifier_key_is_refused(world: World) -> None:
    _, bundle = member_file(world)
    other = note.VerifierKey.from_public_key(world.origin, keys.generate().public_key()).encode()
    report = verify_bundle(bundle, other)
    assert not report.ok and "checkpoint" in report.failures[0]


def test_garbage_is_refused_not_crashed(world: World) -> None:
    key = world.system.verifier_key()
    for garbage in (
        None,
        [],
        {"format": BUNDLE_FORMAT},
        {"format": BUNDLE_FORMAT, "origin": world.origin, "checkpoint": 5},
    ):
        assert not verify_bundle(garbage, key).ok
    assert not verify_bundle({"format": BUNDLE_FORMAT}, "not a key").ok
