"""The catalogue of demo stories: one per disposition path of SPEC.md (and the search states around them),
with the member type it needs, where it runs, and the years it may be moved by.

Every path id of `domain.procedures.PROCEDURES` is walked by at least one story: P0 (searching, 失控,
death), P1–P11, PR, PX, PN, PT, PM (with P1), PA (with P6), PL and PH (paper records and 回头看).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from api.demo import paths_advice as advice
from api.demo import paths_contacted as contacted
from api.demo import paths_correction as correction
from api.demo import paths_history as history
from api.demo import paths_lapsed as lapsed
from api.demo import paths_other as other
from api.demo.case import Case, shift_date
from api.demo.world import LIVE_FROM

DEMO_TODAY = "2026-11-20"
"""No demo statement is recorded after this day."""
MAX_SHIFT = 5


@dataclass(frozen=True)
class Story:
    """One kind of case: its name, Chinese label, function and constraints."""

    name: str
    label: str
    walk: Callable[[Case], None]
    member_type: str = "full"
    where: str = "direct"
    """"direct" (a branch directly under its committee), "gb" (under the general branch)."""


def _pt(c: Case) -> None:
    contacted.pt_transferred(c, c.transfer_to)


STORIES: tuple[Story, ...] = (
    Story("searching", "查找中（更正查找记录）", other.searching),
    Story("out_of_control", "失控", other.out_of_control),
    Story("deceased", "确认死亡", other.deceased),
    Story("p1", "P1 纳入正常管理 + 流动党员证", contacted.p1_normal),
    Story("p1_gb", "P1 纳入正常管理（党总支审核）", contacted.p1_general_branch, where="gb"),
    Story("p2", "P2 保留组织关系", contacted.p2_retained),
    Story("p3", "P3 停止党籍（出国定居）", contacted.p3_abroad),
    Story("p4", "P4 限期改正（决议更正）", correction.p4_corrected),
    Story("p5_accepts", "P5 劝退", advice.p5_accepts),
    Story("p5_refuses", "P5 劝而不退除名", advice.p5_refuses),
    Story("p6", "P6 自行脱党除名（已取得联系）", lapsed.p6_removed),
    Story("p6_appeal", "P6 除名后申诉撤销", lapsed.p6_appealed),
    Story("p7", "P7 自愿退党", contacted.p7_withdrawn),
    Story("p8", "P8 取消预备党员资格", contacted.p8_cancelled, member_type="probationary"),
    Story("p9", "P9 停止党籍（无法取得联系）", other.p9_suspended),
    Story("p10", "P10 停止党籍满二年除名", lapsed.p10_removed),
    Story("p11", "P11 取消预备党员资格（无法联系）", other.p11_cancelled, member_type="probationary"),
    Story("pr", "PR 二年内恢复党籍", other.pr_restored),
    Story("px", "PX 延长预备期", contacted.px_extended, member_type="probationary"),
    Story("pn", "PN 不予承认党员资格", contacted.pn_not_recognised),
    Story("pt", "PT 转移、补转组织关系", _pt),
    Story("ph_revoked", "补录 + 回头看撤销", history.paper_removal_revoked),
    Story("ph_remedied", "补录 + 回头看补办备案", history.paper_abroad_remedied),
)
"""Every story, in catalogue order."""


def allowed_shifts(story: Story, probe: Case) -> list[int]:
    """The whole-year shifts that keep a story between the units' go-live (or before it, for paper
    records) and `DEMO_TODAY`; `probe` is a throwaway case the story is walked on unshifted."""
    story.walk(probe)
    latest = max(p.recorded for p in probe.out)
    earliest = min(p.statement["occurred_at"] for p in probe.out)
    paper = [
        p.statement["occurred_at"] for p in probe.out if p.statement["type"] == "HistoricalRecordEntered"
    ]
    shifts = []
    for k in range(MAX_SHIFT + 1):
        if shift_date(latest, k) > DEMO_TODAY or (paper and shift_date(max(paper), k) >= LIVE_FROM):
            break
        if paper or shift_date(earliest, k) >= LIVE_FROM:
            shifts.append(k)
    return shifts
