"""The 附件5 placements projection (统计归类): each cohort member's place in the table, over occurred time.

On the occurred basis a member's file as of T keeps the statements with ``occurred_at`` ≤ T (every
``Corrected`` always, domain.asof), so the file, and with it the member's 附件5 placement (in the cohort or
not, leaf column, marked columns, state, name), can only change at the member's distinct occurred dates;
between two of them the file is fixed and only ``home(T)`` can move, at the dates its ``homes`` list holds.
For every member stream a batch touches, the projection walks the file as of each of those change points
(one incremental fold over the stream, projections.asof_walk; a member seen in an earlier batch continues
its walk) and stores the *spans* ``[from_on, to_on)`` over which the placement is constant; ``to_on`` is
NULL for the span still open. Only cohort spans are stored (a member outside the cohort at T is not in the
table; a stream with no 认定失联 is not folded at all).

Tables: ``proj_placements`` (one row per span: member, dates, home at T, name, state, leaf column, marked
columns as one string of letters, the leaf columns the marks give), ``proj_placement_units`` (the unit
closure: one row per unit and each of its ancestors and itself, from the registry's current unit tree, so
"home in the subtree of U" is an indexed join) and ``proj_placement_meta`` (the registry version the closure
was built from). The statistics of a unit subtree as of T is then one query over the spans covering T
(projections.reads); the placements follow the recommended ``StatisticsOptions()`` and no campaign.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from domain.engine import stream_kind
from domain.member import MemberFile
from domain.registry import RegistryWorld
from ledger.events import StatementRecorded
from ledger.logstore import Cursor
from ledger.store import Ledger
from ledger.system import LedgerSystem
from projections.asof_walk import AsOfWalk, LogRow
from projections.base import Projection, Recorded
from projections.cohort import cohort_facts
from projections.files import is_member_statement
from projections.statistics import StatisticsOptions, column_marks, leaf_column, leaves_of
from projections.status import member_name

DEFAULTS = StatisticsOptions()
"""The options the stored placements follow (other options are computed on demand)."""
CHUNK = 200
"""Rows per multi-row INSERT, and ids per ``IN`` list."""
CONFIRMING = frozenset({"LostContactConfirmed", "Corrected"})
"""Statement types that can put a member in the cohort: the 认定失联, and a correction (its replacement
body may turn a 补录 record into one)."""
WALK_ROWS = 30_000
"""Statements the member walks kept between batches may hold (about 3 kB each with their folded file):
a member touched again continues its walk instead of re-reading its stream and walking it again."""
SPAN_COLUMNS = ("member_id", "from_on", "to_on", "home", "name", "state", "leaf", "marks", "marked")


@dataclass(frozen=True)
class Placement:
    """Where one cohort member stands in the 附件5 table as of a date (everything the table reads)."""

    home: str
    name: str
    state: str
    leaf: str
    marks: str
    """The marked columns, sorted letters in one string ("ABCF")."""
    marked: str
    """The leaf columns the marks give (``leaves_of``), sorted letters; equal to ``leaf`` when consistent."""


@dataclass(frozen=True)
class Span:
    """A placement held over the occurred dates ``[from_on, to_on)`` (``to_on`` None: still open)."""

    member_id: str
    from_on: date
    to_on: date | None
    placement: Placement

    def values(self) -> list[Any]:
        """The column values in ``SPAN_COLUMNS`` order."""
        p = self.placement
        to_on = self.to_on.isoformat() if self.to_on is not None else None
        return [
            self.member_id,
            self.from_on.isoformat(),
            to_on,
            p.home,
            p.name,
            p.state,
            p.leaf,
            p.marks,
            p.marked,
        ]


def placement(member_id: str, file: MemberFile, t: date) -> Placement | None:
    """The member's placement with ``file`` already cut to t (None when not in the cohort)."""
    facts = cohort_facts(member_id, file)
    if facts is None:
        return None
    marks = column_marks(facts, file, DEFAULTS)
    return Placement(
        home=file.home(t),
        name=member_name(file),
        state=facts.state,
        leaf=leaf_column(facts, file, DEFAULTS),
        marks="".join(sorted(marks)),
        marked="".join(sorted(leaves_of(marks))),
    )


class PlacementWalk:
    """A member's change points, found by one walk over its as-of files and continued as its stream grows.

    The points are the member's distinct occurred dates (at each, the placement from the file as of that
    date) and, inside each interval between two of them, every ``homes`` date of the file as of the
    interval's start (``home(T)`` moves while the file stays). Before its first 认定失联 no file of the
    member holds one, so those points carry None and no span. A date's placement is computed once: a
    continued walk only adds the new dates and re-cuts the last interval's home moves at the new date.
    """

    def __init__(self, member_id: str) -> None:
        self.member_id = member_id
        self.seq = 0
        """The seq of the last statement of the stream the walk has seen."""
        self.walk = AsOfWalk()
        self.points: list[tuple[date, Placement | None]] = []
        self.last_from = 0
        """Where the last date walked starts in ``points`` (replaced when rows of that date arrive)."""
        self.moves_from = 0
        """Where the home moves after the last date walked start in ``points`` (re-cut when continued)."""
        self.confirmed = False
        """Whether a statement of the stream may be a 认定失联 (before that, nothing is walked or kept)."""

    def add(self, rows: Sequence[LogRow], seq: int) -> bool:
        """Walk the stream's next rows (up to ``seq``): the new dates only, or the whole stream again.

        A stream none of whose statements can be a 认定失联 has no cohort span at any date: its rows are
        dropped unfolded. False (nothing done) when such a stream receives one that can be: the caller then
        walks the whole stream in a new walk.
        """
        if not self.confirmed:
            if not any(_may_confirm(statement) for statement, _, _ in rows):
                self.seq = seq
                return True
            if self.seq > 0:
                return False
            self.confirmed = True
        self.seq = seq
        if not self.walk.extend(rows):
            every = [*self.walk.rows, *rows]
            self.walk, self.points, self.last_from, self.moves_from = AsOfWalk(), [], 0, 0
            self.walk.extend(every)
        walk = self.walk
        again = walk.last
        end = walk.next_date()
        if again is not None and end is not None and end > again:
            del self.points[self.moves_from :]
            self.points.extend(self._moves(walk.current, again, end))
        for t, file in walk.walk():
            if t == again:
                del self.points[self.last_from :]
            self.last_from = len(self.points)
            self.points.append((t, placement(self.member_id, file, t)))
            self.moves_from = len(self.points)
            self.points.extend(self._moves(file, t, walk.next_date()))
        return True

    def weight(self) -> int:
        """What the walk holds, in statements (at least one)."""
        return max(len(self.walk.rows), 1)

    def spans(self) -> list[Span]:
        """The member's cohort spans so far."""
        return spans_of(self.member_id, self.points)

    def _moves(self, file: MemberFile, start: date, end: date | None) -> list[tuple[date, Placement | None]]:
        moves = sorted({since for since, _ in file.homes if start < since and (end is None or since < end)})
        return [(t, placement(self.member_id, file, t)) for t in moves]


def _may_confirm(statement: Mapping[str, Any]) -> bool:
    """Whether folding the statement can give a 认定失联 entry (a 补录 one, or one a correction makes)."""
    kind = statement["type"]
    if kind == "HistoricalRecordEntered":
        kind = statement["body"].get("record_type")
    return kind in CONFIRMING


def spans_of(member_id: str, points: Sequence[tuple[date, Placement | None]]) -> list[Span]:
    """Merge change points into maximal spans of one placement (gaps where the member is not in the cohort)."""
    spans: list[Span] = []
    current: Placement | None = None
    since = date.min
    for t, found in points:
        if found == current:
            continue
        if current is not None:
            spans.append(Span(member_id, since, t, current))
        current, since = found, t
    if current is not None:
        spans.append(Span(member_id, since, None, current))
    return spans


def member_spans(member_id: str, file: MemberFile) -> list[Span]:
    """Every cohort span of a member file (the whole stream walked)."""
    walk = PlacementWalk(member_id)
    walk.add(file.log, len(file.log))
    return walk.spans()


def unit_closure(registry: RegistryWorld) -> list[tuple[str, str]]:
    """(ancestor, unit) for every unit and each of its ancestors and itself: ``subtree`` as rows."""
    tree = registry.tree(date.max)
    rows = []
    for unit in tree.units:
        rows.append((unit, unit))
        rows.extend((ancestor, unit) for ancestor in tree.ancestors(unit))
    return rows


class Walks:
    """The placement walks of recently touched members, continued with each batch (a bounded cache).

    A member whose walk is not held (first seen, evicted, or another runner applied its last statements)
    has its earlier statements read from the event store and is walked from the start. The bound counts
    the statements the held walks keep (a member outside the cohort keeps none and counts one), so a
    province rebuild keeps a fixed amount of memory whatever the ledger's size.
    """

    def __init__(self, ledger: Ledger, budget: int = WALK_ROWS) -> None:
        self.ledger = ledger
        self.budget = budget
        self.held = 0
        self._walks: OrderedDict[str, PlacementWalk] = OrderedDict()

    def __len__(self) -> int:
        """How many members' walks are held."""
        return len(self._walks)

    def clear(self) -> None:
        """Forget every walk."""
        self._walks.clear()
        self.held = 0

    def follow(self, stream: str, items: Sequence[Recorded]) -> PlacementWalk:
        """The member's walk once ``items`` (its next statements, in stream order) are walked."""
        first, last = items[0].seq, items[-1].seq
        rows: list[LogRow] = [(item.statement, item.hash, item.recorded_at) for item in items]
        walk = self._walks.pop(stream, None)
        if walk is not None:
            self.held -= walk.weight()
        if walk is None or walk.seq != first - 1 or not walk.add(rows, last):
            walk = PlacementWalk(stream)
            walk.add([*self._stored(stream, first - 1), *rows] if first > 1 else rows, last)
        self._walks[stream] = walk
        self.held += walk.weight()
        while self.held > self.budget and len(self._walks) > 1:
            self.held -= self._walks.popitem(last=False)[1].weight()
        return walk

    def _stored(self, stream: str, upto: int) -> list[LogRow]:
        """The member statements of a stream with seq ≤ ``upto``, from the event store."""
        rows: list[LogRow] = []
        for event in self.ledger.app.events.get(uuid.UUID(stream), lte=upto):
            recorded = cast(StatementRecorded, event)
            statement = recorded.statement_object()
            if stream_kind(statement["type"]) == "member":
                rows.append((statement, recorded.hash, recorded.recorded_at))
        return rows


@dataclass(frozen=True)
class Prepared:
    """A batch's changes: the new spans of each touched member, and the unit closure when it moved."""

    spans: dict[str, list[Span]]
    closure: list[tuple[str, str]] | None
    registry_version: int


class PlacementsProjection(Projection):
    """附件5统计归类 — the stored placements read model (see the module docstring)."""

    name = "placements"
    title = "附件5统计归类"
    tables = ("proj_placements", "proj_placement_units", "proj_placement_meta")

    def __init__(self, system: LedgerSystem, *, batch_size: int = 500) -> None:
        self.walks = Walks(system.ledger)
        super().__init__(system, batch_size=batch_size)

    def ddl(self) -> list[str]:
        """The spans, the unit closure and the closure's registry version, with their indexes."""
        return [
            "CREATE TABLE IF NOT EXISTS {t}proj_placements (member_id TEXT NOT NULL, from_on TEXT NOT NULL,"
            " to_on TEXT, home TEXT NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL, leaf TEXT NOT NULL,"
            " marks TEXT NOT NULL, marked TEXT NOT NULL, PRIMARY KEY (member_id, from_on))",
            # covers the 附件5 tally (projections.placed_reads): counted from the index alone
            "CREATE INDEX IF NOT EXISTS proj_placements_tally ON {t}proj_placements"
            " (home, from_on, to_on, marks, leaf, marked)",
            "CREATE TABLE IF NOT EXISTS {t}proj_placement_units (ancestor TEXT NOT NULL, unit TEXT NOT NULL,"
            " PRIMARY KEY (ancestor, unit))",
            "CREATE TABLE IF NOT EXISTS {t}proj_placement_meta (id INTEGER PRIMARY KEY,"
            " registry_version INTEGER NOT NULL)",
        ]

    def forget(self) -> None:
        """Drop the cached member walks."""
        self.walks.clear()

    def prepare(self, batch: Sequence[Recorded]) -> Prepared:
        """The spans of every member the batch touches; the unit closure when the registry moved."""
        ledger = self.system.ledger
        if ledger.registry_version != self.log.registry_version():
            ledger.reload_registry()
        arrived: dict[str, list[Recorded]] = {}
        for item in batch:
            if is_member_statement(item):
                arrived.setdefault(item.stream, []).append(item)
        spans = {stream: self.walks.follow(stream, items).spans() for stream, items in arrived.items()}
        version = ledger.registry_version
        closure = unit_closure(ledger.registry) if self._closure_version() != version else None
        return Prepared(spans, closure, version)

    def write(self, cursor: Cursor, prepared: Prepared) -> None:
        """Replace each touched member's spans; replace the unit closure when it moved."""
        sql = self.log.sql
        members = list(prepared.spans)
        for start in range(0, len(members), CHUNK):
            chunk = members[start : start + CHUNK]
            marks = ",".join("?" for _ in chunk)
            cursor.execute(sql(f"DELETE FROM {{t}}proj_placements WHERE member_id IN ({marks})"), chunk)
        rows = [span.values() for spans in prepared.spans.values() for span in spans]
        _insert(cursor, sql, "proj_placements", SPAN_COLUMNS, rows)
        if prepared.closure is not None:
            cursor.execute(sql("DELETE FROM {t}proj_placement_units"))
            _insert(
                cursor, sql, "proj_placement_units", ("ancestor", "unit"), [list(r) for r in prepared.closure]
            )
            cursor.execute(sql("DELETE FROM {t}proj_placement_meta"))
            cursor.execute(
                sql("INSERT INTO {t}proj_placement_meta (id, registry_version) VALUES (1, ?)"),
                [prepared.registry_version],
            )

    def _closure_version(self) -> int | None:
        with self.log.reading() as cursor:
            cursor.execute(self.log.sql("SELECT registry_version FROM {t}proj_placement_meta WHERE id = 1"))
            row = cursor.fetchone()
        return int(row["registry_version"]) if row is not None else None


def _insert(cursor: Cursor, sql: Any, table: str, columns: Sequence[str], rows: Sequence[list[Any]]) -> None:
    """Multi-row INSERTs of ``CHUNK`` rows each (one round trip per chunk on both backends)."""
    one = "(" + ",".join("?" for _ in columns) + ")"
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        values = ",".join(one for _ in chunk)
        cursor.execute(
            sql(f"INSERT INTO {{t}}{table} ({', '.join(columns)}) VALUES {values}"),
            [value for row in chunk for value in row],
        )


# -- reads ---------------------------------------------------------------------------------------------


PLACED = ("member_id", "name", "state", "leaf", "marks", "marked")
"""The span columns the 附件5 read lists (``projections.placed_reads``; the table reads rows by these names)."""


def spans_covering(unit: str | None, at: date) -> tuple[str, list[Any]]:
    """FROM … WHERE of the spans covering ``at`` whose home lies in the subtree of ``unit``."""
    t = at.isoformat()
    covering = "s.from_on <= ? AND (s.to_on IS NULL OR s.to_on > ?)"
    if unit is None:
        return f" FROM {{t}}proj_placements s WHERE {covering}", [t, t]
    join = " JOIN {t}proj_placement_units u ON u.unit = s.home AND u.ancestor = ?"
    return f" FROM {{t}}proj_placements s{join} WHERE {covering}", [unit, t, t]


def cohort_ids(system: LedgerSystem, unit: str | None, at: date) -> set[str]:
    """Ids of the members in the cohort (any campaign's cohort is a subset) of the subtree as of ``at``."""
    where, params = spans_covering(unit, at)
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql(f"SELECT s.member_id AS member_id{where}"), params)
        return {str(row["member_id"]) for row in cursor.fetchall()}
