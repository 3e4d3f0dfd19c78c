"""One member stream's file as of each of its occurred dates (按发生日期), folded incrementally.

On the occurred basis the file as of T is the fold, in stream order, of the statements with
``occurred_at`` ≤ T, every ``Corrected`` always included (domain.asof). Walking the stream's distinct
occurred dates in ascending order, the statements kept only grow, so each date's file comes from the
previous one: when the statements new at a date all lie after every statement already kept (the usual
case: statements are appended in occurred order), they are folded onto the previous file; when one lies
before a kept statement (a back-dated record), only the kept statements from the first still-waiting one
on are folded again, from a file that holds exactly the statements before it (``base``), instead of
replaying the whole stream. Every ``Corrected`` is kept from the first date on, so each kept row is folded
once, as its correction has it (``domain.evolve.replay_step``): the file equals ``as_of``'s, which replays
the kept log with every correction applied.

A walk can be continued with the statements a stream receives later (``extend``): they come after every
statement already seen in stream order, so when each is dated after the last date walked and none is a
``Corrected``, the dates already walked keep their files and only the new dates are walked.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from domain.dates import day
from domain.evolve import replay_step
from domain.member import MemberFile

LogRow = tuple[Mapping[str, Any], str, str]
"""(statement, hash, recorded_at): one row of a member file's log."""


class AsOfWalk:
    """The as-of files of one member stream at its occurred dates, ascending, each folded from the last."""

    def __init__(self) -> None:
        self.rows: list[LogRow] = []
        self.corrected: set[int] = set()
        """Indices of the ``Corrected`` rows."""
        self.fixes: dict[str, Mapping[str, Any]] = {}
        """The body of the ``Corrected`` of each corrected row, by hash (``domain.evolve.corrections``)."""
        self.kept: list[int] = []
        """Indices (stream order) of the rows the current file holds, ascending."""
        self.waiting: list[int] = []
        """Indices of the dated rows not kept yet, ascending (the rows a later date brings)."""
        self.dates: list[tuple[date, int]] = []
        """A heap of (occurred date, index) of the waiting rows."""
        self.current = MemberFile()
        self.base = MemberFile()
        """The fold of the kept rows before the first waiting row (never folded again)."""
        self.based = 0
        """How many kept rows ``base`` holds."""
        self.last: date | None = None
        """The last date walked."""

    def extend(self, rows: Sequence[LogRow]) -> bool:
        """Add the stream's next rows; False (nothing added) when a date already walked would change.

        Rows dated on the last date walked are welcome: they come after every kept row in stream order, so
        that date is walked again from its file. A row dated before it, or a ``Corrected`` (it applies at
        every date), once a date has been walked, changes earlier files: the caller walks the whole stream
        again.
        """
        if self.last is not None:
            for statement, _, _ in rows:
                on = day(statement["occurred_at"])
                if statement["type"] == "Corrected" or (on is not None and on < self.last):
                    return False
        for row in rows:
            statement = row[0]
            i = len(self.rows)
            self.rows.append(row)
            if statement["type"] == "Corrected":
                self.corrected.add(i)
                self.fixes[statement["body"]["corrects"]] = statement["body"]
            elif (on := day(statement["occurred_at"])) is not None:
                self.waiting.append(i)
                heapq.heappush(self.dates, (on, i))
        return True

    def next_date(self) -> date | None:
        """The next date a walk would reach (None when every dated row is kept)."""
        return self.dates[0][0] if self.dates else None

    def walk(self) -> Iterator[tuple[date, MemberFile]]:
        """(date, the file as of that date) for each date not walked yet (or walked before ``extend``)."""
        while self.dates:
            t = self.dates[0][0]
            new: list[int] = []
            while self.dates and self.dates[0][0] == t:
                new.append(heapq.heappop(self.dates)[1])
            if self.last is None:
                new.extend(self.corrected)
            new.sort()
            self._keep(new)
            self.last = t
            yield t, self.current

    def _keep(self, new: list[int]) -> None:
        """Fold the rows kept from this date on into ``current``; move ``base`` up to the first waiting row."""
        if not self.kept or new[0] > self.kept[-1]:
            held = len(self.kept)
            self.kept.extend(new)
            self.current = self._fold(self.current, held, len(self.kept))
        else:
            for i in new:
                insort(self.kept, i)
            self.current = self._fold(self.base, self.based, len(self.kept))
        for i in new:
            if self.waiting and self.waiting[0] == i:
                self.waiting.pop(0)
            elif i in self.waiting:
                self.waiting.remove(i)
        first_waiting = self.waiting[0] if self.waiting else len(self.rows)
        if self.kept[-1] < first_waiting:
            self.base, self.based = self.current, len(self.kept)
        else:
            upto = bisect_left(self.kept, first_waiting)
            self.base, self.based = self._fold(self.base, self.based, upto), upto

    def _fold(self, file: MemberFile, start: int, stop: int) -> MemberFile:
        """``file`` (the fold of ``kept[:start]``) with the kept rows ``kept[start:stop]`` folded on.

        Each row is folded as its correction has it: every ``Corrected`` of the stream is kept from the
        first date walked on (a later one makes ``extend`` refuse), and a correction follows its target in
        stream order, so the rows folded so far are those of ``replay`` of the kept log.
        """
        rows, fixes = self.rows, self.fixes
        for i in self.kept[start:stop]:
            statement, digest, recorded_at = rows[i]
            file = replay_step(file, statement, digest, recorded_at, fixes.get(digest))
        return file
