"""Member files (党员档案, 一人一档) folded from the log for projections, with a small cache.

A projection receives statements in log order; the file a statement applies to is the one folded from
the stream's earlier statements. The cache holds the file after the last statement seen per stream, so a
rebuild folds each stream once; a miss (restart, another runner, eviction) refolds from the event store.
The cache is bounded by the statements its files hold together (not by a count of files, whose size
varies with the stream), so a rebuild of a ledger of millions of statements keeps a fixed memory.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from typing import cast

from domain.engine import evolve, stream_kind
from domain.member import MemberFile
from ledger.events import StatementRecorded
from ledger.store import Ledger
from projections.base import Recorded

CACHE_STATEMENTS = 20_000
"""The statements the cached files may hold together (≈ 2.5 kB each): the least recently used go first."""


class MemberFiles:
    """The member file of each stream as of a given seq, folded with the domain's ``evolve``."""

    def __init__(self, ledger: Ledger, budget: int = CACHE_STATEMENTS) -> None:
        self.ledger = ledger
        self.budget = budget
        self._files: OrderedDict[str, tuple[int, MemberFile]] = OrderedDict()
        self._held = 0

    @property
    def held(self) -> int:
        """How many statements the cached files hold together (at most ``budget``, or one longer file)."""
        return self._held

    def clear(self) -> None:
        """Forget every cached file."""
        self._files.clear()
        self._held = 0

    def after(self, item: Recorded) -> MemberFile:
        """The file of ``item``'s stream once ``item`` is applied."""
        before = self.before(item.stream, item.seq)
        file = evolve(before, item.statement, item.hash, item.recorded_at)
        self._remember(item.stream, item.seq, file)
        return file

    def before(self, stream: str, seq: int) -> MemberFile:
        """The file of a stream folded over its statements with ``seq`` below ``seq``."""
        cached = self._files.get(stream)
        if cached is not None and cached[0] == seq - 1:
            return cached[1]
        file = MemberFile()
        if seq > 1:
            for event in self.ledger.app.events.get(uuid.UUID(stream), lte=seq - 1):
                recorded = cast(StatementRecorded, event)
                statement = recorded.statement_object()
                if stream_kind(statement["type"]) == "member":
                    file = evolve(file, statement, recorded.hash, recorded.recorded_at)
        return file

    def _remember(self, stream: str, seq: int, file: MemberFile) -> None:
        old = self._files.pop(stream, None)
        if old is not None:
            self._held -= len(old[1].log)
        self._files[stream] = (seq, file)
        self._held += len(file.log)
        while self._held > self.budget and len(self._files) > 1:
            _, (_, evicted) = self._files.popitem(last=False)
            self._held -= len(evicted.log)


def is_member_statement(item: Recorded) -> bool:
    """Whether the statement belongs to a member stream (not a unit or actor stream)."""
    return stream_kind(item.type) == "member" and item.type not in ("KeyEnrolled", "KeyRevoked")
