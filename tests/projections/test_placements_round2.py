"""A correction folded in one step (``domain.evolve.replay_step``) against the replay it replaces.

The placements walk (projections.asof_walk) used to fold a ``Corrected`` by replaying the whole kept log;
it now folds each kept row once, as its correction has it. The oracle is ``replay``: for every member of
the demo and of the story world whose stream holds a correction, on both backends, the log folded row by
row with the corrections of the whole log must give exactly the replayed file (findings aside: the walk
judges no 补录 record), and so must every prefix of the log (the walk's files are such prefixes).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from api.demo.run import run_demo
from domain.evolve import corrections, replay, replay_step
from domain.member import MemberFile, renewed
from ledger.settings import Settings
from ledger.system import open_ledger
from projections.asof_walk import AsOfWalk, LogRow
from projections.status import StatusProjection
from tests.conftest import settings_for
from tests.projections.test_placements import DEMO_MEMBERS, DEMO_SEED, build_world, whole_files


@pytest.fixture
def corrected(settings: Settings, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, MemberFile]:
    """The member files of the demo and of the story world whose stream holds a ``Corrected``."""
    found: dict[str, MemberFile] = {}
    run_demo(settings, seed=DEMO_SEED, members=DEMO_MEMBERS)
    system = open_ledger(settings)
    try:
        StatusProjection(system).catch_up()
        found |= whole_files(system)
    finally:
        system.close()
    # the story world on SQLite whatever the backend: a second ledger in the test schema would clash
    driver, _, _ = build_world(settings_for("sqlite", tmp_path / "world", request))
    try:
        found |= whole_files(driver.system)
    finally:
        driver.close()
    return {m: f for m, f in found.items() if any(st["type"] == "Corrected" for st, _, _ in f.log)}


def stepped(log: Sequence[LogRow]) -> list[MemberFile]:
    """The files after each row of ``log``, each row folded once with the corrections of the whole log."""
    fixes = corrections(log)
    file, out = MemberFile(), []
    for statement, digest, recorded_at in log:
        file = replay_step(file, statement, digest, recorded_at, fixes.get(digest))
        out.append(file)
    return out


def test_a_log_folded_step_by_step_is_its_replay(corrected: dict[str, MemberFile]) -> None:
    replaced = 0
    for member, file in corrected.items():
        files = stepped(file.log)
        assert files[-1] == replay(file.log), member
        assert renewed(file, findings=()) == files[-1], member
        for n, step in enumerate(files):
            assert step == replay(file.log[: n + 1]) or _corrects_later(file.log, n), (member, n)
        replaced += sum(st["type"] == "Corrected" and st["body"].get("replacement") is not None
                        for st, _, _ in file.log)  # fmt: skip
    assert corrected and replaced


def test_a_withdrawal_folded_in_one_step_is_its_replay(corrected: dict[str, MemberFile]) -> None:
    """The demo withdraws nothing: each of its corrections is turned into a withdrawal of its target."""
    withdrawn = 0
    for member, file in corrected.items():
        log = tuple(_withdrawing(row) for row in file.log)
        files = stepped(log)
        assert files[-1] == replay(log), member
        for n, step in enumerate(files):
            assert step == replay(log[: n + 1]) or _corrects_later(log, n), (member, n)
        withdrawn += sum(e.withdrawn for e in files[-1].entries)
    assert withdrawn


def _withdrawing(row: LogRow) -> LogRow:
    """A ``Corrected`` row made a withdrawal of the same target; any other row as it is."""
    statement, digest, recorded_at = row
    if statement["type"] != "Corrected":
        return row
    body = {"corrects": statement["body"]["corrects"], "withdrawn": True, "replacement": None}
    return {**statement, "body": body}, digest, recorded_at


def test_the_walk_folds_each_kept_row_once(corrected: dict[str, MemberFile]) -> None:
    for member, file in corrected.items():
        walk = AsOfWalk()
        assert walk.extend(file.log)
        folded = 0
        for _, cut in walk.walk():
            folded = len(cut.log)
            assert cut == replay(cut.log), member
        assert folded == len(file.log), member


def _corrects_later(log: Sequence[LogRow], n: int) -> bool:
    """Whether a ``Corrected`` after row n corrects a row up to n (the prefix's replay then lacks it)."""
    upto = {digest for _, digest, _ in log[: n + 1]}
    return any(fix in upto for fix in corrections(log[n + 1 :]))
