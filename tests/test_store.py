"""The append path: signatures, keys, chains, atomic batches — on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from ledger import keys
from ledger.errors import (
    BadSignature,
    RevokedKey,
    StaleHead,
    StepNotAllowed,
    UnknownKey,
    ValidationFailed,
    WrongLedger,
)
from ledger.settings import Settings
from ledger.statement import GENESIS_PREV, sign_statement, statement_hash
from ledger.system import open_ledger
from tests.world import Actor, World, make_world


@pytest.fixture
def world(settings: Settings) -> World:
    w = make_world(settings)
    yield w  # type: ignore[misc]
    w.system.close()


def test_genesis_enrols_the_root_administrator(world: World) -> None:
    records = world.system.ledger.read_stream(world.admin.id)
    genesis = records[0].statement
    assert genesis["type"] == "KeyEnrolled"
    assert genesis["seq"] == 1 and genesis["prev"] == GENESIS_PREV
    assert genesis["actor"] == world.system.ledger.ledger_actor
    assert genesis["body"]["roles"] == ["ADM"]
    assert world.system.log.size() == 1


def test_accepted_statement_is_stored_exactly_as_signed(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    statement, signature = world.statement(
        member, "ParticipationRecorded", {"kind": "dues", "period": "2026-01"}, clerk
    )
    receipt = world.system.ledger.append(statement, signature)
    assert receipt.hash == statement_hash(statement).hex()
    assert receipt.seq == 2  # after the registration (MemberRegistered)
    stored = world.system.ledger.read_stream(member)[1]
    assert stored.statement == statement
    assert stored.signature == signature
    assert stored.recorded_at.endswith("Z") and len(stored.recorded_at) == 27


def test_second_statement_chains_on_the_first(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    first = world.participation(member, clerk)
    second = world.participation(member, clerk, period="2026-02")
    stored = world.system.ledger.read_stream(member)
    assert stored[2].statement["prev"] == first.hash
    assert second.seq == 3


def test_stale_head_is_refused_with_the_current_head(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    first = world.participation(member, clerk)
    statement, signature = world.statement(
        member, "ParticipationRecorded", {"kind": "dues"}, clerk, seq=1, prev=GENESIS_PREV
    )
    with pytest.raises(StaleHead) as refused:
        world.system.ledger.append(statement, signature)
    assert refused.value.details["head"] == {"seq": 2, "hash": first.hash}


def test_wrong_prev_with_right_seq_is_stale(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    world.participation(member, clerk)
    statement, signature = world.statement(
        member, "ParticipationRecorded", {"kind": "dues"}, clerk, prev="ab" * 32
    )
    with pytest.raises(StaleHead):
        world.system.ledger.append(statement, signature)


def test_concurrent_writer_from_another_process_is_detected(world: World) -> None:
    """Two ledger objects (as two API processes) race on one stream: the loser gets stale-head."""
    clerk = world.enrol(["BST"])
    member = world.member()
    world.participation(member, clerk)
    other = World(world.settings, open_ledger(world.settings), world.admin)
    try:
        a = world.statement(member, "ParticipationRecorded", {"kind": "dues", "period": "2026-02"}, clerk)
        b = other.statement(member, "ParticipationRecorded", {"kind": "dues", "period": "2026-03"}, clerk)
        world.system.ledger.append(*a)
        with pytest.raises(StaleHead):
            other.system.ledger.append(*b)
    finally:
        other.system.close()
    assert len(world.system.ledger.read_stream(member)) == 3


def test_bad_signature_is_refused(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    statement, _ = world.statement(member, "ParticipationRecorded", {"kind": "dues"}, clerk)
    forged = keys.sign_statement_hash(keys.generate(), statement_hash(statement))
    with pytest.raises(BadSignature):
        world.system.ledger.append(statement, forged)
    with pytest.raises(BadSignature):
        world.system.ledger.append(statement, "not base64!")


def test_changed_statement_no_longer_matches_its_signature(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    statement, signature = world.statement(
        member, "ParticipationRecorded", {"kind": "dues", "period": "2026-01"}, clerk
    )
    statement["body"]["period"] = "2026-02"
    with pytest.raises(BadSignature):
        world.system.ledger.append(statement, signature)


def test_key_of_another_actor_is_unknown(world: World) -> None:
    clerk = world.enrol(["BST"])
    stranger = Actor(str(uuid.uuid4()), clerk.key)
    with pytest.raises(UnknownKey):
        world.append(world.member(), "ParticipationRecorded", {"kind": "dues"}, stranger)
    never_enrolled = Actor(clerk.id, keys.generate())
    with pytest.raises(UnknownKey):
        world.append(world.member(), "ParticipationRecorded", {"kind": "dues"}, never_enrolled)


def test_revoked_key_signs_nothing_more_whatever_its_date(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    world.participation(member, clerk)
    revoke = {"actor": clerk.id, "key_id": keys.key_id(clerk.key.public_key()), "revoked_at": "2026-03-20"}
    world.append(clerk.id, "KeyRevoked", revoke, world.admin)
    with pytest.raises(RevokedKey):
        world.append(member, "ParticipationRecorded", {"kind": "dues"}, clerk, occurred_at="2026-01-06")
    assert len(world.system.ledger.read_stream(member)) == 2


def test_only_an_administrator_enrols_keys(world: World) -> None:
    clerk = world.enrol(["BST"])
    key = keys.generate()
    newcomer = str(uuid.uuid4())
    body = {
        "actor": newcomer,
        "key_id": keys.key_id(key.public_key()),
        "public_key": keys.public_key_b64(key.public_key()),
    }
    with pytest.raises(StepNotAllowed):
        world.append(newcomer, "KeyEnrolled", body, clerk)


def test_key_statement_must_sit_on_the_actors_own_stream(world: World) -> None:
    key = keys.generate()
    body = {
        "actor": str(uuid.uuid4()),
        "key_id": keys.key_id(key.public_key()),
        "public_key": keys.public_key_b64(key.public_key()),
    }
    with pytest.raises(StepNotAllowed):
        world.append(str(uuid.uuid4()), "KeyEnrolled", body, world.admin)


def test_key_id_must_match_the_public_key(world: World) -> None:
    key = keys.generate()
    actor = str(uuid.uuid4())
    body = {"actor": actor, "key_id": "0" * 16, "public_key": keys.public_key_b64(key.public_key())}
    with pytest.raises(ValidationFailed):
        world.append(actor, "KeyEnrolled", body, world.admin)


def test_ledger_key_signs_only_the_genesis(world: World, settings: Settings) -> None:
    ledger_key = keys.load_private_key(settings.ledger_key_path, None)
    impostor = Actor(world.system.ledger.ledger_actor, ledger_key)
    key = keys.generate()
    actor = str(uuid.uuid4())
    body = {
        "actor": actor,
        "key_id": keys.key_id(key.public_key()),
        "public_key": keys.public_key_b64(key.public_key()),
        "roles": ["ADM"],
    }
    with pytest.raises(StepNotAllowed):
        world.append(actor, "KeyEnrolled", body, impostor)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"ledger": "another.example/ledger"}, WrongLedger),
        ({"v": 2}, ValidationFailed),
        ({"seq": 0}, ValidationFailed),
        ({"seq": "1"}, ValidationFailed),
        ({"occurred_at": "2026-02-30"}, ValidationFailed),
        ({"stream": "not-a-uuid"}, ValidationFailed),
        ({"extra": 1}, ValidationFailed),
        ({"type": "NoSuchStatement"}, ValidationFailed),
        ({"body": {"kind": "dues", "amount_fen": 1.5}}, ValidationFailed),
    ],
)
def test_malformed_statements_are_refused_and_change_nothing(world: World, change: dict, error: type) -> None:  # type: ignore[type-arg]
    clerk = world.enrol(["BST"])
    member = world.member()
    statement, _ = world.statement(member, "ParticipationRecorded", {"kind": "dues"}, clerk)
    statement.update(change)
    try:
        _, signature = sign_statement(statement, clerk.key)
    except ValidationFailed:
        signature = "AAAA"  # not even canonicalisable: refused before any signature check
    before = world.system.ledger.max_notification_id()
    with pytest.raises(error):
        world.system.ledger.append(statement, signature)
    assert world.system.ledger.max_notification_id() == before


def test_batch_is_all_or_nothing_and_names_the_failing_statement(world: World) -> None:
    clerk = world.enrol(["BST"])
    m1, m2 = world.member(), world.member()
    good = world.statement(m1, "ParticipationRecorded", {"kind": "dues"}, clerk)
    bad_statement, _ = world.statement(m2, "ParticipationRecorded", {"kind": "dues"}, clerk)
    before = world.system.ledger.max_notification_id()
    with pytest.raises(BadSignature) as refused:
        world.system.ledger.append_many([good, (bad_statement, good[1])])
    assert refused.value.details["index"] == 1
    assert world.system.ledger.max_notification_id() == before
    receipts = world.system.ledger.append_many(
        [good, world.statement(m2, "ParticipationRecorded", {"kind": "dues"}, clerk)]
    )
    assert [r.seq for r in receipts] == [2, 2]
    assert receipts[1].notification_id == receipts[0].notification_id + 1


def test_batch_may_chain_several_statements_of_one_stream(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    first = world.statement(member, "ParticipationRecorded", {"kind": "dues", "period": "2026-01"}, clerk)
    second = world.statement(
        member,
        "ParticipationRecorded",
        {"kind": "dues", "period": "2026-02"},
        clerk,
        seq=3,
        prev=statement_hash(first[0]).hex(),
    )
    receipts = world.system.ledger.append_many([first, second])
    assert [r.seq for r in receipts] == [2, 3]


def test_revocation_recorded_by_another_process_takes_effect_at_once(world: World) -> None:
    """The signer's cached key state is re-checked inside the insert transaction."""
    clerk = world.enrol(["BST"])
    member = world.member()
    world.participation(member, clerk)  # this process now holds the clerk's key state in its cache
    other = World(world.settings, open_ledger(world.settings), world.admin)
    try:
        revoke = {
            "actor": clerk.id,
            "key_id": keys.key_id(clerk.key.public_key()),
            "revoked_at": "2026-03-20",
        }
        other.append(clerk.id, "KeyRevoked", revoke, world.admin)
    finally:
        other.system.close()
    with pytest.raises(RevokedKey):
        world.participation(member, clerk, period="2026-02")
    assert len(world.system.ledger.read_stream(member)) == 2


def test_bad_signature_is_reported_before_a_stale_head(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    world.participation(member, clerk)
    statement, _ = world.statement(
        member, "ParticipationRecorded", {"kind": "dues"}, clerk, seq=1, prev=GENESIS_PREV
    )
    forged = keys.sign_statement_hash(keys.generate(), statement_hash(statement))
    with pytest.raises(BadSignature):
        world.system.ledger.append(statement, forged)


def test_refusal_on_a_head_written_by_another_process_is_reported_stale(world: World) -> None:
    """A process that never saw a stream assumes seq 1 starts it; the truth is a stale head, not a guard."""
    clerk = world.enrol(["BST"])
    member = world.member()
    other = World(world.settings, open_ledger(world.settings), world.admin)
    try:
        statement, signature = other.statement(
            member, "ParticipationRecorded", {"kind": "dues"}, clerk, seq=1, prev=GENESIS_PREV
        )
        with pytest.raises(StaleHead) as refused:
            other.system.ledger.append(statement, signature)
        assert refused.value.details["head"]["seq"] == 1
    finally:
        other.system.close()


def test_bad_signature_is_reported_before_a_guard_refusal(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    statement, _ = world.statement(member, "OutOfControlListed", {"absence": "ab" * 32}, clerk)
    forged = keys.sign_statement_hash(keys.generate(), statement_hash(statement))
    with pytest.raises(BadSignature):
        world.system.ledger.append(statement, forged)
