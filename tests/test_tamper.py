"""Tampering with the database directly is detected and localised by `ledger verify`, never a crash."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from ledger import keys, note
from ledger.events import StatementRecorded
from ledger.logstore import node_key
from ledger.settings import Settings
from ledger.statement import new_statement, sign_statement
from ledger.verify import VerifyReport, verify_ledger
from tests.rawdb import RawDb
from tests.world import World, make_world


@dataclass
class Scene:
    world: World
    db: RawDb
    members: list[str]


@pytest.fixture
def scene(settings: Settings) -> Iterator[Scene]:
    world = make_world(settings)
    clerk = world.enrol(["BST"])
    members = [world.member() for _ in range(3)]
    for period in ("2026-01", "2026-02", "2026-03"):
        for member in members:
            world.participation(member, clerk, period=period)
    world.system.bring_log_up_to_date()
    db = RawDb(settings)
    yield Scene(world, db, members)
    db.close()
    world.system.close()


def verify(scene: Scene) -> VerifyReport:
    system = scene.world.system
    return verify_ledger(
        system.ledger, system.log, ledger_public_key=system.ledger.ledger_public_key, workers=1
    )


def checks(report: VerifyReport) -> set[str]:
    return {failure.check for failure in report.failures}


def row_of(scene: Scene, stream: str, seq: int) -> tuple[int, str, int, bytes]:
    return next(row for row in scene.db.events() if row[1] == stream and row[2] == seq)


def test_untouched_ledger_verifies(scene: Scene) -> None:
    report = verify(scene)
    assert report.ok, report.failures
    assert report.statements == report.leaves == scene.world.system.log.size()


def test_changed_body_byte_is_detected_at_its_statement(scene: Scene) -> None:
    nid, stream, seq, state = row_of(scene, scene.members[1], 3)  # the 2026-02 dues
    if scene.db.postgres:  # encrypted at rest: flip one ciphertext byte
        tampered = state[:-5] + bytes([state[-5] ^ 0x01]) + state[-4:]
    else:
        assert b"2026-02" in state
        tampered = state.replace(b"2026-02", b"2026-09", 1)
    scene.db.set_state(nid, tampered)
    report = verify(scene)
    assert not report.ok
    located = [(f.check, f.stream, f.seq) for f in report.failures]
    assert any(s == stream and q == seq for _, s, q in located)
    assert checks(report) & ({"decode"} if scene.db.postgres else {"hash"})


def test_deleted_row_breaks_its_chain_and_orphans_its_leaf(scene: Scene) -> None:
    nid, stream, _, _ = row_of(scene, scene.members[0], 2)
    scene.db.delete_event(nid)
    report = verify(scene)
    assert {"chain", "leaf-orphan"} <= checks(report)
    chain = next(f for f in report.failures if f.check == "chain")
    assert (chain.stream, chain.seq) == (stream, 3)


def test_swapped_payloads_are_detected(scene: Scene) -> None:
    a = row_of(scene, scene.members[0], 1)
    b = row_of(scene, scene.members[2], 3)
    scene.db.set_state(a[0], b[3])
    scene.db.set_state(b[0], a[3])
    report = verify(scene)
    assert "placement" in checks(report)
    placed = {(f.stream, f.seq) for f in report.failures if f.check == "placement"}
    assert {(a[1], a[2]), (b[1], b[2])} <= placed


def test_forged_row_is_detected(scene: Scene) -> None:
    world = scene.world
    forger = keys.generate()
    victim = scene.members[0]
    head = world.system.ledger.state(uuid.UUID(victim))
    statement = new_statement(
        ledger=world.origin,
        stream=victim,
        seq=head.seq + 1,
        prev=head.head,
        type="ParticipationRecorded",
        occurred_at="2026-03-15",
        actor=str(uuid.uuid4()),
        private_key=forger,
        body={"kind": "dues"},
    )
    digest, signature = sign_statement(statement, forger)
    from datetime import UTC, datetime

    from ledger.canonical import canonical

    event = StatementRecorded(
        originator_id=uuid.UUID(victim),
        originator_version=head.seq + 1,
        timestamp=datetime.now(UTC),
        statement=canonical(statement).decode(),
        hash=digest,
        signature=signature,
        recorded_at="2026-03-15T00:00:00.000000Z",
    )
    world.system.ledger.app.save(event)  # bypasses every check of the append path
    report = verify(scene)
    forged = [f for f in report.failures if f.stream == victim and f.seq == head.seq + 1]
    assert forged and forged[0].check == "key"
    assert report.pending == 1


def test_truncated_tail_is_detected(scene: Scene) -> None:
    rows = scene.db.events()
    last_ids = [row[0] for row in rows[-3:]]
    for nid in last_ids:
        scene.db.delete_event(nid)
    size = len(rows) - 3
    scene.db.execute("DELETE FROM ledger_leaves WHERE position >= ?", (size,))
    scene.db.execute("DELETE FROM ledger_nodes")  # the attacker also rebuilds nothing: everything is gone
    report = verify(scene)
    assert "checkpoint-beyond-log" in checks(report)


def test_checkpoint_signed_by_another_key_is_detected(scene: Scene) -> None:
    latest = scene.world.system.log.latest_checkpoint()
    assert latest is not None
    impostor = keys.generate()
    body = note.checkpoint_body(scene.world.origin, latest.tree_size, latest.root_hash)
    forged = note.sign_note(body, scene.world.origin, impostor)
    scene.db.execute("UPDATE ledger_checkpoints SET note = ? WHERE tree_size = ?", (forged, latest.tree_size))
    report = verify(scene)
    failure = next(f for f in report.failures if f.check == "checkpoint-signature")
    assert failure.tree_size == latest.tree_size


def test_forked_tree_is_detected(scene: Scene) -> None:
    scene.db.execute("UPDATE ledger_nodes SET hash = ? WHERE node = ?", (b"\x07" * 32, node_key(1, 1)))
    report = verify(scene)
    assert "tree-node" in checks(report)
    node = next(f for f in report.failures if f.check == "tree-node")
    assert node.position == 2


def test_rewritten_leaf_is_detected(scene: Scene) -> None:
    scene.db.execute(
        "UPDATE ledger_leaves SET recorded_at = ? WHERE position = 4", ("2020-01-01T00:00:00.000000Z",)
    )
    report = verify(scene)
    assert "leaf-mismatch" in checks(report)
    assert next(f for f in report.failures if f.check == "leaf-mismatch").position == 4
