"""The bulk load path of the store (``Ledger.append_days``, ``Ledger.preverify``): the same checks as
``append_many``, several recording days per transaction, signatures checked ahead in worker processes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ledger.errors import BadSignature, GuardRefused, StaleHead
from ledger.settings import Settings
from ledger.statement import statement_hash
from tests.world import World, make_world

DAY_1 = datetime(2026, 3, 16, 8, 0, tzinfo=UTC)
DAY_2 = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    w = make_world(settings)
    yield w
    w.system.close()


def dues(world: World, member: str, period: str, signer: object, **kw: object) -> tuple[dict, str]:  # type: ignore[type-arg]
    body = {"kind": "dues", "period": period, "amount_fen": 2000}
    return world.statement(member, "ParticipationRecorded", body, signer, **kw)  # type: ignore[arg-type]


def test_days_share_one_transaction_each_recorded_as_of_its_day(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    first = dues(world, member, "2026-01", clerk)
    prev = statement_hash(first[0]).hex()
    second = dues(world, member, "2026-02", clerk, seq=3, prev=prev, occurred_at="2026-03-20")
    other = dues(world, world.member(), "2026-01", clerk)
    with pytest.raises(GuardRefused, match="future-date"):  # judged as of its own day
        world.system.ledger.append_days([(DAY_1, [first, other, second])])
    receipts = world.system.ledger.append_days([(DAY_1, [first, other]), (DAY_2, [second])])
    assert [(r.seq, r.recorded_at[:10]) for r in receipts] == [
        (2, "2026-03-16"),
        (2, "2026-03-16"),
        (3, "2026-03-20"),
    ]
    assert [n.notification_id for n in receipts] == list(
        range(receipts[0].notification_id, receipts[0].notification_id + 3)
    )
    stored = world.system.ledger.read_stream(member)
    assert [s.recorded_at[:10] for s in stored[1:]] == ["2026-03-16", "2026-03-20"]
    assert stored[2].statement == second[0]


def test_days_are_all_or_nothing_and_name_the_failing_statement(world: World) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    good = dues(world, member, "2026-01", clerk)
    forged, _ = dues(world, world.member(), "2026-01", clerk)
    before = world.system.ledger.max_notification_id()
    with pytest.raises(BadSignature) as refused:
        world.system.ledger.append_days([(DAY_1, [good]), (DAY_2, [(forged, good[1])])])
    assert refused.value.details["index"] == 1
    assert world.system.ledger.max_notification_id() == before
    with pytest.raises(StaleHead):  # the chain is checked across days as within one
        world.system.ledger.append_days([(DAY_1, [good]), (DAY_2, [good])])
    assert world.system.ledger.max_notification_id() == before


def test_signatures_checked_ahead_are_taken_and_a_bad_one_is_still_refused(world: World) -> None:
    ledger = world.system.ledger
    clerk = world.enrol(["BST"])
    m1, m2 = world.member(), world.member()
    good = dues(world, m1, "2026-01", clerk)
    statement, _ = dues(world, m2, "2026-01", clerk)
    bad = (statement, good[1])
    unknown_signer = {**good[0], "actor": str(uuid.uuid4())}
    assert ledger.preverify([good, bad, (unknown_signer, good[1])]) == 2  # the unknown signer is left out
    assert ledger.append_many([good])[0].seq == 2
    with pytest.raises(BadSignature):
        ledger.append_many([bad])
    assert not ledger._ahead  # both answers were taken from the checks made ahead


def test_a_statement_changed_after_its_check_ahead_is_verified_on_its_own_hash(world: World) -> None:
    ledger = world.system.ledger
    clerk = world.enrol(["BST"])
    member = world.member()
    statement, signature = dues(world, member, "2026-01", clerk)
    assert ledger.preverify([(statement, signature)]) == 1
    changed = {**statement, "body": {**statement["body"], "amount_fen": 1}}
    with pytest.raises(BadSignature):
        ledger.append_many([(changed, signature)])
    assert ledger.append_many([(statement, signature)])[0].seq == 2
