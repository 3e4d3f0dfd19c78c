"""The 附件5 placements projection (统计归类): each cohort member's place in the table, over occurred time.

On the occurred basis a member's file as of T keeps the statements with ``occurred_at`` ≤ T (every
``Corrected`` always, domain.asof), so the file, and with it the member's 附件5 placement (in the cohort or
not, leaf column, marked columns, state, name), can only change at the member's distinct occurred dates;
between two of them the file is fixed and only ``home(T)`` can move, at the dates its ``homes`` list holds.
For every member stream a batch touches, the projection folds the file as of each of those change points
and stores the *spans* ``[from_on, to_on)`` over which the placement is constant; ``to_on`` is NULL for the
span still open. Only cohort spans are stored (a member outside the cohort at T is not in the table).

Tables: ``proj_placements`` (one row per span: member, dates, home at T, name, state, leaf column, marked
columns as one string of letters, the leaf columns the marks give), ``proj_placement_units`` (the unit
closure: one row per unit and each of its ancestors and itself, from the registry's current unit tree, so
"home in the subtree of U" is an indexed join) and ``proj_placement_meta`` (the registry version the closure
was built from). The statistics of a unit subtree as of T is then one query over the spans covering T
(projections.reads); the placements follow the recommended ``StatisticsOptions()`` and no campaign.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.asof import as_of
from domain.dates import day
from domain.evolve import evolve_member
from domain.member import MemberFile
from domain.registry import RegistryWorld
from ledger.logstore import Cursor
from ledger.system import LedgerSystem
from projections.base import Projection, Recorded
from projections.cohort import cohort_facts
from projections.files import MemberFiles, is_member_statement
from projections.statistics import StatisticsOptions, column_marks, leaf_column, leaves_of
from projections.status import member_name

DEFAULTS = StatisticsOptions()
"""The options the stored placements follow (other options are computed on demand)."""
CHUNK = 200
"""Rows per multi-row INSERT, and ids per ``IN`` list."""
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


def as_of_each(file: MemberFile, dates: Sequence[date]) -> Iterator[MemberFile]:
    """``as_of(file, d)`` on the occurred basis for each of the ascending ``dates``.

    When the statements kept at d extend those kept at the previous date (the usual case: statements are
    appended in occurred order and none is corrected), the previous file is folded forward with the new
    statements; otherwise (a back-dated statement, a ``Corrected`` kept at every date) it is replayed.
    """
    log = file.log
    always = [statement["type"] == "Corrected" for statement, _, _ in log]
    occurred = [day(statement["occurred_at"]) for statement, _, _ in log]
    codes: dict[str, list[str]] = {}
    for finding in file.findings:
        codes.setdefault(finding.hash, []).append(finding.code)
    current: MemberFile | None = None
    before: tuple[int, ...] = ()
    for d in dates:
        kept = tuple(i for i, on in enumerate(occurred) if always[i] or (on is not None and on <= d))
        if current is not None and kept[: len(before)] == before:
            for i in kept[len(before) :]:
                statement, digest, recorded_at = log[i]
                current = evolve_member(current, statement, digest, recorded_at, tuple(codes.get(digest, ())))
        else:
            current = as_of(file, d)
        before = kept
        yield current


def change_points(member_id: str, file: MemberFile) -> list[tuple[date, Placement | None]]:
    """Each date from which the member's placement may differ, with the placement from that date on.

    The dates are the member's distinct occurred dates from its first 认定失联 on (no file before it holds
    one), and inside each interval between two of them every ``homes`` date of the file as of the
    interval's start. Consecutive points may carry the same placement; ``spans_of`` merges them.
    """
    if file.state is None:
        return []
    starts = [e.occurred_at for e in file.entries if e.type == "LostContactConfirmed" and not e.withdrawn]
    if not starts:
        return []
    first = min(starts)
    found = {
        on
        for statement, _, _ in file.log
        if statement["type"] != "Corrected" and (on := day(statement["occurred_at"])) is not None
    }
    dates = sorted(d for d in found if d >= first)
    points: list[tuple[date, Placement | None]] = []
    for n, cut in enumerate(as_of_each(file, dates)):
        start, end = dates[n], dates[n + 1] if n + 1 < len(dates) else None
        moves = sorted({since for since, _ in cut.homes if start < since and (end is None or since < end)})
        for t in (start, *moves):
            points.append((t, placement(member_id, cut, t)))
    return points


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
    """Every cohort span of a member file (the whole stream folded)."""
    return spans_of(member_id, change_points(member_id, file))


def unit_closure(registry: RegistryWorld) -> list[tuple[str, str]]:
    """(ancestor, unit) for every unit and each of its ancestors and itself: ``subtree`` as rows."""
    tree = registry.tree(date.max)
    rows = []
    for unit in tree.units:
        rows.append((unit, unit))
        rows.extend((ancestor, unit) for ancestor in tree.ancestors(unit))
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
        self.files = MemberFiles(system.ledger)
        super().__init__(system, batch_size=batch_size)

    def ddl(self) -> list[str]:
        """The spans, the unit closure and the closure's registry version, with their indexes."""
        return [
            "CREATE TABLE IF NOT EXISTS {t}proj_placements (member_id TEXT NOT NULL, from_on TEXT NOT NULL,"
            " to_on TEXT, home TEXT NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL, leaf TEXT NOT NULL,"
            " marks TEXT NOT NULL, marked TEXT NOT NULL, PRIMARY KEY (member_id, from_on))",
            "CREATE INDEX IF NOT EXISTS proj_placements_home ON {t}proj_placements (home, from_on)",
            "CREATE TABLE IF NOT EXISTS {t}proj_placement_units (ancestor TEXT NOT NULL, unit TEXT NOT NULL,"
            " PRIMARY KEY (ancestor, unit))",
            "CREATE TABLE IF NOT EXISTS {t}proj_placement_meta (id INTEGER PRIMARY KEY,"
            " registry_version INTEGER NOT NULL)",
        ]

    def forget(self) -> None:
        """Drop the cached member files."""
        self.files.clear()

    def prepare(self, batch: Sequence[Recorded]) -> Prepared:
        """The spans of every member the batch touches; the unit closure when the registry moved."""
        ledger = self.system.ledger
        if ledger.registry_version != self.log.registry_version():
            ledger.reload_registry()
        latest: dict[str, MemberFile] = {}
        for item in batch:
            if is_member_statement(item):
                latest[item.stream] = self.files.after(item)
        spans = {stream: member_spans(stream, file) for stream, file in latest.items()}
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
"""The span columns the 附件5 read lists (``statistics.placed_table`` reads rows by these names)."""


def _where(unit: str | None, at: date) -> tuple[str, list[Any]]:
    """FROM … WHERE of the spans covering ``at`` whose home lies in the subtree of ``unit``."""
    t = at.isoformat()
    covering = "s.from_on <= ? AND (s.to_on IS NULL OR s.to_on > ?)"
    if unit is None:
        return f" FROM {{t}}proj_placements s WHERE {covering}", [t, t]
    join = " JOIN {t}proj_placement_units u ON u.unit = s.home AND u.ancestor = ?"
    return f" FROM {{t}}proj_placements s{join} WHERE {covering}", [unit, t, t]


def placed(
    system: LedgerSystem, unit: str | None, at: date
) -> tuple[list[Mapping[str, Any]], dict[str, int]]:
    """The cohort members of the subtree as of ``at`` and how many of them each column counts.

    One query over the spans covering ``at``: rows with the ``PLACED`` columns, ordered by home at T, name,
    id in code-point order (``COLLATE "C"`` on PostgreSQL, SQLite's binary order). The column counts are
    summed from the same rows, grouped by their set of marked columns (a handful of distinct sets): the
    document lists every member anyway, and a second aggregate query would scan the same spans again.
    """
    where, params = _where(unit, at)
    collate = ' COLLATE "C"' if system.log.postgres else ""
    order = f" ORDER BY s.home{collate}, s.name{collate}, s.member_id{collate}"
    columns = ", ".join(f"s.{c}" for c in PLACED)
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql(f"SELECT {columns}{where}{order}"), params)
        rows = list(cursor.fetchall())
    counts: dict[str, int] = {}
    for marks, n in Counter(row["marks"] for row in rows).items():
        for letter in marks:
            counts[letter] = counts.get(letter, 0) + n
    return rows, counts


def cohort_ids(system: LedgerSystem, unit: str | None, at: date) -> set[str]:
    """Ids of the members in the cohort (any campaign's cohort is a subset) of the subtree as of ``at``."""
    where, params = _where(unit, at)
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql(f"SELECT s.member_id AS member_id{where}"), params)
        return {str(row["member_id"]) for row in cursor.fetchall()}
