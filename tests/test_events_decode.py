"""``decode_stored``: the readers' fast decoding of stored statements equals the library's, and fails alike."""

from __future__ import annotations

from dataclasses import replace

import pytest
from eventsourcing.persistence import MapperDeserialisationError

from ledger.events import StatementRecorded, decode_stored
from ledger.settings import Settings
from tests.world import make_world


def test_every_stored_statement_decodes_as_the_library_decodes_it(settings: Settings) -> None:
    world = make_world(settings)
    try:
        clerk = world.enrol(["BST"])
        for n in range(3):
            world.participation(world.member(f"党员{n}"), clerk)
        app = world.system.ledger.app
        stored = app.recorder.select_notifications(start=0, limit=1000)
        assert len(stored) > 10
        assert bool(app.mapper.cipher) == (settings.backend == "postgres")
        for notification in stored:
            event = app.mapper.to_domain_event(notification)
            assert isinstance(event, StatementRecorded)
            fast = decode_stored(app.mapper, notification)
            assert (fast.statement, fast.hash, fast.signature, fast.recorded_at) == (
                event.statement, event.hash, event.signature, event.recorded_at,
            )  # fmt: skip
            assert fast.statement_object() == event.statement_object()
    finally:
        world.system.close()


def test_a_damaged_or_foreign_stored_event_is_refused_as_by_the_library(settings: Settings) -> None:
    world = make_world(settings)
    try:
        app = world.system.ledger.app
        first = app.recorder.select_notifications(start=0, limit=1)[0]
        damaged = replace(first, state=first.state[: len(first.state) // 2])
        with pytest.raises(MapperDeserialisationError):
            app.mapper.to_domain_event(damaged)
        with pytest.raises(MapperDeserialisationError):
            decode_stored(app.mapper, damaged)
        with pytest.raises(MapperDeserialisationError, match="not a statement"):
            decode_stored(app.mapper, replace(first, topic="ledger.other:Event"))
    finally:
        world.system.close()
