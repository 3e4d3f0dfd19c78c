"""附件5 《与党组织失去联系党员规范管理和组织处置有关情况统计表》: columns A–X, as of 统计时间 T.

Each cohort member (forms §4.5: every member with a 认定失联 on record by T) is placed twice, by two
independent codings: ``leaf_column`` walks the precedence rule of forms §4.5 and returns one leaf column;
``column_marks`` tests each of the 24 columns by its own predicate on the member's state and history. The
table counts the marks; the identities of the table's note (A=B+O+X; B=C+G+M+N; G=H+I+J+K+L;
O=P+S+V+W; P=Q+R; S=T+U), C ≥ D+E+F, and "each member in exactly one leaf, the one precedence gives" are
then checked and every violation is reported, never forced.

The open points of forms §4.5 are :class:`StatisticsOptions` with the recommended defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from domain.member import MemberFile
from projections.cohort import CohortFacts

TITLE = "与党组织失去联系党员规范管理和组织处置有关情况统计表"
HEADERS: dict[str, str] = {
    "A": "超过六个月未与党组织联系的党员总数",
    "B": "经查找取得联系的党员·总数",
    "C": "纳入组织管理人数",
    "D": "保留组织关系人数",
    "E": "停止党籍人数",
    "F": "限期改正人数",
    "G": "给予组织处置出党人数",
    "H": "劝退或劝而不退除名人数",
    "I": "自行脱党除名人数",
    "J": "退党除名人数",
    "K": "不予承认党员资格人数",
    "L": "取消预备党员资格人数",
    "M": "开除党籍人数",
    "N": "目前尚在调查核实人数",
    "O": "目前仍未取得联系的党员·总数",
    "P": "给予组织处置出党人数",
    "Q": "自行脱党除名人数",
    "R": "取消预备党员资格人数",
    "S": "停止党籍人数",
    "T": "确定无法取得联系而停止党籍人数",
    "U": "因出国（境）定居而停止党籍人数",
    "V": "开除党籍人数",
    "W": "尚在查找联系人数",
    "X": "确认已死亡的人数",
}
NOTE = (
    "备注：1.表内关系：A＝B+O+X；B＝C+G+M+N；G＝H+I+J+K+L；O＝P+S+V+W；P＝Q+R；S=T+U；"
    "2.在经查找取得联系的党员中，给予开除党籍以外的其他党纪处分的数量，统计在“纳入组织管理人数”（C）项中；"
    "3.目前仍未取得联系的党员中“开除党籍人数”（V）项，应为依据《中国共产党员纪律处分条例》第三十六条规定，"
    "党组织作出开除党籍决定的。"
)
IDENTITIES: tuple[tuple[str, str], ...] = (
    ("A", "BOX"), ("B", "CGMN"), ("G", "HIJKL"), ("O", "PSVW"), ("P", "QR"), ("S", "TU"),
)  # fmt: skip
LEAVES = ("C", "D", "E", "F", "H", "I", "J", "K", "L", "M", "N", "Q", "R", "T", "U", "V", "W", "X")
"""Leaf columns; "C" as a leaf means 纳入组织管理 with none of D, E, F."""

OUT_B = {"REMOVED_ADVISED": "H", "REMOVED_LAPSED": "I", "REMOVED_WITHDRAWN": "J", "NOT_RECOGNISED": "K",
         "PROBATION_CANCELLED": "L"}  # fmt: skip
OUT_O = {"REMOVED_LAPSED": "Q", "PROBATION_CANCELLED": "R"}
SUSPENDED_O = {"SUSPENDED_UNCONTACTABLE": "T", "SUSPENDED_ABROAD": "U"}
MANAGED = frozenset({"NORMAL", "RETAINED", "SUSPENDED_ABROAD", "CORRECTING", "TRANSFERRED_OUT"})
PENDING = frozenset({"CONTACTED", "ADVISED", "OUT_OF_CONTROL", "LOST_SEARCHING", "LOST_UNCONTACTABLE",
                     "SUSPENDED_UNCONTACTABLE"})  # fmt: skip
SEARCHING = frozenset({"OUT_OF_CONTROL", "LOST_SEARCHING", "LOST_UNCONTACTABLE", "NOT_RECOGNISED"})


@dataclass(frozen=True)
class StatisticsOptions:
    """The open points of forms §4.5, with the recommended defaults.

    (i) ``f_counts_corrected``: a member whose 限期改正 ended corrected stays in C+F (default) or in C only;
    (ii) ``suspended_contacted``: a T member who regains contact before restoration is approved counts in N
    (default, contacted side) or stays in T; (iii) ``relapsed_side``: a contacted member who loses contact
    again stays on the B side (default: 经查找取得联系 is historical) or moves back to O.
    """

    f_counts_corrected: bool = True
    suspended_contacted: Literal["N", "T"] = "N"
    relapsed_side: Literal["contacted", "not_contacted"] = "contacted"


def contacted_side(facts: CohortFacts, file: MemberFile, opts: StatisticsOptions) -> bool:
    """forms §4.5 step 2, with open points (ii) and (iii)."""
    if not facts.contacted or facts.contact_on is None:
        return False
    if opts.suspended_contacted == "T" and "suspended" in facts.flags:
        return False
    if opts.relapsed_side == "not_contacted":
        again = [
            e for e in file.entries if e.type == "LostContactConfirmed" and e.occurred_at > facts.contact_on
        ]
        if again and file.state is not None and file.state.value in PENDING:
            return False
    return True


def _p4(file: MemberFile) -> tuple[bool, bool]:
    """(a 限期改正 approved and not revoked, that period ended ``corrected``)."""
    approved, corrected = False, False
    for inst in file.instances:
        if inst.path == "P4" and inst.effect_hash and inst.end_reason != "revoked":
            approved = True
            ended = inst.latest("P4.11")
            corrected = ended is not None and ended.result == "corrected"
    return approved, corrected


def _lesser_discipline(file: MemberFile) -> bool:
    return any(
        e.type == "DisciplineRecorded" and e.body.get("sanction") != "expulsion" and not e.withdrawn
        for e in file.entries
    )


def leaf_column(facts: CohortFacts, file: MemberFile, opts: StatisticsOptions) -> str:
    """The one leaf column of forms §4.5, by its precedence order (steps 1, 2a–2k, 3a–3f)."""
    state = facts.state
    if state == "DECEASED":
        return "X"
    if contacted_side(facts, file, opts):
        if state == "EXPELLED":
            return "M"
        if state in OUT_B:
            return OUT_B[state]
        if state == "RETAINED":
            return "D"
        if state == "SUSPENDED_ABROAD":
            return "E"
        approved, corrected = _p4(file)
        if state == "CORRECTING" or (approved and state in PENDING - {"SUSPENDED_UNCONTACTABLE"}):
            return "F"
        if state in ("NORMAL", "TRANSFERRED_OUT"):
            return "F" if approved and corrected and opts.f_counts_corrected else "C"
        if _lesser_discipline(file) and "suspended" not in facts.flags:
            return "C"
        return "N"
    if state == "EXPELLED":
        return "V"
    if state in OUT_O:
        return OUT_O[state]
    if state in SUSPENDED_O:
        return SUSPENDED_O[state]
    return "W"


def column_marks(facts: CohortFacts, file: MemberFile, opts: StatisticsOptions) -> set[str]:
    """Every column the member counts in, each tested by its own predicate (not derived from the leaf).

    The predicates of a side are only tested on that side (every column but A and X lies on one): B and
    its parts need the contacted side, O and its parts the other, X neither. The placements projection
    marks every cohort member at each of its change dates, so the history (``_p4``, lesser discipline) is
    read only when a predicate of the member's side asks for it.
    """
    s = facts.state
    marks = {"A"}
    if s == "DECEASED":
        marks.add("X")
    elif contacted_side(facts, file, opts):
        marks.add("B")
        approved, corrected = _p4(file)
        in_c = "suspended" not in facts.flags and (
            s in MANAGED or (s in ("CONTACTED", "ADVISED") and (approved or _lesser_discipline(file)))
        )
        if in_c:
            marks.add("C")
            in_f = s == "CORRECTING" or (
                approved and (s != "NORMAL" or (corrected and opts.f_counts_corrected))
            )
            if in_f and s not in ("RETAINED", "SUSPENDED_ABROAD"):
                marks.add("F")
        if s == "RETAINED":
            marks.add("D")
        elif s == "SUSPENDED_ABROAD":
            marks.add("E")
        elif s in OUT_B:
            marks.update(("G", OUT_B[s]))
        elif s == "EXPELLED":
            marks.add("M")
        if s in PENDING and not in_c:
            marks.add("N")
    else:
        marks.add("O")
        if s in OUT_O:
            marks.update(("P", OUT_O[s]))
        if s in SUSPENDED_O:
            marks.update(("S", SUSPENDED_O[s]))
        if s == "EXPELLED":
            marks.add("V")
        if s in SEARCHING:
            marks.add("W")
    return marks


def leaves_of(marks: set[str]) -> set[str]:
    """The leaf columns among a member's marks ("C" when C holds without D, E or F)."""
    found = {m for m in marks if m in LEAVES and m != "C"}
    if "C" in marks and not marks & {"D", "E", "F"}:
        found.add("C")
    return found


@dataclass
class StatisticsTable:
    """The counts, the checks and each member's placement."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HEADERS, 0))
    members: list[dict[str, Any]] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)

    def place(
        self, member_id: str, name: str, state: str, leaf: str, marks: Iterable[str], leaves: Iterable[str]
    ) -> None:
        """List one member (columns sorted) and report a ``leaf`` violation when its marks give other leaves.

        Counting the marks is the caller's: ``tabulate`` adds them one by one, the stored read
        (projections.reads) sums them per set of marked columns of the stored rows.
        """
        self.members.append({"member_id": member_id, "name": name, "leaf": leaf, "columns": sorted(marks),
                             "state": state})  # fmt: skip
        marked = sorted(leaves)
        if marked != [leaf]:
            self.violations.append(
                {"code": "leaf", "member_id": member_id, "name": name, "leaf": leaf, "marked": marked}
            )

    def check(self) -> None:
        """Check the identities and C ≥ D+E+F against the counted columns; record every violation."""
        c = self.counts
        for total, parts in IDENTITIES:
            summed = sum(c[p] for p in parts)
            if c[total] != summed:
                self.violations.append(
                    {
                        "code": "identity",
                        "rule": f"{total}={'+'.join(parts)}",
                        "left": c[total],
                        "right": summed,
                    }
                )
        if c["C"] < c["D"] + c["E"] + c["F"]:
            self.violations.append(
                {"code": "subtotal", "rule": "C≥D+E+F", "left": c["C"], "right": c["D"] + c["E"] + c["F"]}
            )


def tabulate(rows: Iterable[tuple[CohortFacts, MemberFile, str]], opts: StatisticsOptions) -> StatisticsTable:
    """The 附件5 counts over ``rows`` (facts, file as of T, member name), with every check done."""
    table = StatisticsTable()
    for facts, file, name in rows:
        marks = column_marks(facts, file, opts)
        for letter in marks:
            table.counts[letter] += 1
        leaf = leaf_column(facts, file, opts)
        table.place(facts.member_id, name, facts.state, leaf, marks, leaves_of(marks))
    table.check()
    return table


def placed_member(row: Mapping[str, str]) -> dict[str, Any]:
    """One listed member from a stored placement row (``member_id``, ``name``, ``state``, ``leaf``, ``marks``)."""
    return {"member_id": row["member_id"], "name": row["name"], "leaf": row["leaf"],
            "columns": list(row["marks"]), "state": row["state"]}  # fmt: skip


def leaf_violation(row: Mapping[str, str]) -> dict[str, Any] | None:
    """The ``leaf`` violation of a stored placement row whose marks give other leaves (``marked``), or None."""
    if row["marked"] == row["leaf"]:
        return None
    return {"code": "leaf", "member_id": row["member_id"], "name": row["name"], "leaf": row["leaf"],
            "marked": list(row["marked"])}  # fmt: skip


def stored_table(
    counts: Mapping[str, int], members: Iterable[Mapping[str, str]], mismatched: Iterable[Mapping[str, str]]
) -> StatisticsTable:
    """The 附件5 table from counts summed in SQL, the members listed, and the rows whose leaf disagrees.

    Rows are stored placements (projections.placements): ``member_id``, ``name``, ``state``, ``leaf``,
    ``marks`` (sorted letters), ``marked`` (the leaf columns the marks give, sorted letters). The counts
    and the violations cover the whole cohort whatever part of it ``members`` lists.
    """
    table = StatisticsTable()
    for letter, n in counts.items():
        table.counts[letter] += n
    table.members.extend(placed_member(row) for row in members)
    table.violations.extend(v for row in mismatched if (v := leaf_violation(row)) is not None)
    table.check()
    return table
