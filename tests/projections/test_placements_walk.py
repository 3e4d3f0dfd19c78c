"""The placements walk against a fold from scratch at each date, for every member stream of the demo.

``projections.placements`` finds a member's spans with one walk over its as-of files (each folded from the
previous one, ``projections.asof_walk``) and continues the walk batch by batch. The oracle here is the
computation that walk replaced: the file folded from scratch (``domain.asof.as_of``) at each distinct
occurred date of the stream, the placement read from it there and at each ``homes`` date of the interval
that follows. The streams are the demo's (every procedure path) and the story world's (corrections, a
back-dated statement, a home move). The walk only reads the stored statements, so one backend suffices.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

import pytest

from api.demo.run import run_demo
from domain.asof import as_of
from domain.dates import day
from domain.member import MemberFile, renewed
from ledger.system import open_ledger
from projections.asof_walk import AsOfWalk
from projections.placements import Placement, PlacementWalk, Span, member_spans, placement, spans_of
from projections.status import StatusProjection
from tests.conftest import settings_for
from tests.projections.test_placements import DEMO_MEMBERS, DEMO_SEED, build_world, whole_files

SPLITS = 4
"""Random ways each stream is cut into batches for the continued walk."""


@pytest.fixture(scope="module")
def streams(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> dict[str, MemberFile]:
    """Every member file of the demo and of the story world, folded from its whole stream."""
    found: dict[str, MemberFile] = {}
    demo = settings_for("sqlite", tmp_path_factory.mktemp("demo"), request)
    run_demo(demo, seed=DEMO_SEED, members=DEMO_MEMBERS)
    system = open_ledger(demo)
    try:
        StatusProjection(system).catch_up()
        found |= whole_files(system)
    finally:
        system.close()
    driver, _, _ = build_world(settings_for("sqlite", tmp_path_factory.mktemp("world"), request))
    try:
        found |= whole_files(driver.system)
    finally:
        driver.close()
    return found


def occurred_dates(file: MemberFile) -> list[date]:
    """The stream's distinct occurred dates (a ``Corrected`` applies at every date and brings none)."""
    found = {day(st["occurred_at"]) for st, _, _ in file.log if st["type"] != "Corrected"}
    return sorted(d for d in found if d is not None)


def folded_points(member_id: str, file: MemberFile) -> Iterator[tuple[date, Placement | None]]:
    """The replaced computation: the file folded from scratch at each date, and the home moves after it."""
    dates = occurred_dates(file)
    for n, start in enumerate(dates):
        cut = as_of(file, start)
        end = dates[n + 1] if n + 1 < len(dates) else None
        moves = sorted({since for since, _ in cut.homes if start < since and (end is None or since < end)})
        for t in (start, *moves):
            yield t, placement(member_id, cut, t)


def folded_spans(member_id: str, file: MemberFile) -> list[Span]:
    """The member's spans from the fold at each date."""
    return spans_of(member_id, list(folded_points(member_id, file)))


def without_findings(file: MemberFile) -> MemberFile:
    """The file with its 补录 findings dropped (no placement reads them; the walk does not judge them)."""
    return renewed(file, findings=())


def test_each_file_of_the_walk_is_the_file_folded_from_scratch_at_its_date(
    streams: dict[str, MemberFile],
) -> None:
    walked = 0
    for file in streams.values():
        walk = AsOfWalk()
        assert walk.extend(file.log)
        dates = []
        for t, cut in walk.walk():
            assert without_findings(cut) == without_findings(as_of(file, t)), t
            dates.append(t)
        assert dates == occurred_dates(file)
        walked += len(dates)
    assert walked > 5 * len(streams)


def test_the_walk_gives_the_spans_of_the_fold_at_each_date_for_every_member(
    streams: dict[str, MemberFile],
) -> None:
    placed = 0
    for member, file in streams.items():
        spans = member_spans(member, file)
        assert spans == folded_spans(member, file), member
        placed += bool(spans)
    assert 10 < placed < len(streams)  # the cohort and members never in it
    corrected = [f for f in streams.values() if any(st["type"] == "Corrected" for st, _, _ in f.log)]
    back_dated = [f for f in streams.values() if occurred_dates(f) != _in_stream_order(f)]
    assert corrected and back_dated


def test_a_walk_continued_batch_by_batch_gives_the_spans_of_one_walk(streams: dict[str, MemberFile]) -> None:
    rng = random.Random(11)
    restarted = 0
    for member, file in streams.items():
        expected = folded_spans(member, file)
        for _ in range(SPLITS):
            walk = PlacementWalk(member)
            log, seq = file.log, 0
            cuts = sorted(rng.sample(range(1, len(log)), min(3, len(log) - 1))) if len(log) > 1 else []
            for cut in [*cuts, len(log)]:
                before = walk.walk
                if not walk.add(log[seq:cut], cut):  # its first 认定失联: the stream is walked whole
                    walk = PlacementWalk(member)
                    assert walk.add(log[:cut], cut)
                restarted += walk.walk is not before and before.last is not None
                seq = cut
            assert walk.spans() == expected, (member, cuts)
    assert restarted > 0  # a batch with a back-dated statement or a correction walks the stream again


def _in_stream_order(file: MemberFile) -> list[date]:
    """The distinct occurred dates in the order the stream first reaches them."""
    seen: list[date] = []
    for st, _, _ in file.log:
        on = day(st["occurred_at"])
        if st["type"] != "Corrected" and on is not None and on not in seen:
            seen.append(on)
    return seen
