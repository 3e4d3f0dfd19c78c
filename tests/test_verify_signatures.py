"""Whole-ledger verification names the statement whose stored signature does not verify, and keeps its
signature queue bounded however far the workers fall behind."""

from __future__ import annotations

import base64

import orjson

from ledger import keys
from ledger.keys import sign_statement_hash
from ledger.settings import Settings
from ledger.sigcheck import IN_FLIGHT_PER_WORKER, SignatureChecker
from ledger.verify import verify_ledger
from tests.rawdb import RawDb
from tests.world import make_world


def test_a_replaced_signature_is_reported_at_its_statement(settings: Settings) -> None:
    world = make_world(settings)
    db = RawDb(settings)
    try:
        clerk = world.enrol(["BST"])
        member = world.member()
        for period in ("2026-01", "2026-02"):
            world.participation(member, clerk, period=period)
        world.system.bring_log_up_to_date()
        nid, stream, seq, stored = next(row for row in db.events() if row[1] == member and row[2] == 2)
        cipher = world.system.ledger.app.mapper.cipher
        state = orjson.loads(cipher.decrypt(stored) if cipher else stored)
        other = sign_statement_hash(
            keys.generate(), bytes.fromhex(state["hash"])
        )  # well formed, by the wrong key
        assert other != state["signature"]
        state["signature"] = other
        changed = orjson.dumps(state)
        db.set_state(nid, cipher.encrypt(changed) if cipher else changed)
        system = world.system
        report = verify_ledger(system.ledger, system.log, ledger_public_key=system.ledger.ledger_public_key)
        assert [(f.check, f.stream, f.seq) for f in report.failures] == [("signature", stream, seq)]
    finally:
        db.close()
        world.system.close()


def test_the_queue_stays_bounded_and_early_failures_are_kept() -> None:
    key = keys.generate()
    raw = key.public_key().public_bytes_raw()
    good = sign_statement_hash(key, bytes.fromhex("ab" * 32))
    bad = base64.b64encode(b"\0" * 64).decode()
    checker = SignatureChecker(workers=1, chunk=2)
    most = 0
    for reference in range(200):
        checker.add((reference, raw, bytes.fromhex("ab" * 32), bad if reference % 50 == 7 else good))
        most = max(most, checker.in_flight)
    assert most <= IN_FLIGHT_PER_WORKER + 1
    assert checker.finish() == [7, 57, 107, 157]
