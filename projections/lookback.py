"""回头看 (look-back, procedures §4.19): every disposed case checked after the fact, per member and per unit.

For each path instance whose ◆ step is on record (a disposition) the findings are:
- ``step-missing``: a required step behind the ◆ step (followed back through the pre column, through missing
  steps too) or a completion step owed after it (备案, 通知, 宣布) with no record; ``step-out-of-order``: a
  step dated before a step its pre column names;
- ``member-signature-missing``: a passed resolution of a path that needs the member's signature whose
  signature step is on record but names no signature or refusal note for it (a missing signature step is
  ``step-missing``);
- ``quorum-not-met`` / ``vote-without-majority``: a resolution or committee decision taken without
  quorum, or, with quorum, without the majority its own figures need (§5.3) under the settings read now;
- ``materials-missing``: a material a step lists that is not present in the case (§2.10: attached, scanned
  into a 补录 record, or rendered from the record);
- ``suspension-under-two-years``: a P10 自行脱党除名 effective before the 2-year window of the suspension ended;
- ``correction-pending``: a 回头看 ``LookBackReviewed`` rectify with no ``LookBackRectified`` yet.
Besides: every guard a 补录 paper record failed (§5.4, e.g. ``wrong-level``, ``approval-level``), named by the
record's step (a look-back finding of the same code in the same instance stands for it),
``historical-out-of-order``, ``late-entry`` of live statements and ``status-without-procedure`` (T1).
Not computed: ``eligible-count-differs`` (needs the branch roster at the meeting date).
Pure over a member file: the read in projections.reads folds the members of a unit as of T.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from domain.asof import late_entries
from domain.cases import result_of, step_of, table_step
from domain.guards.meetings import passes
from domain.guards.table import GUARDS
from domain.member import Entry, Instance, MemberFile, StepDone
from domain.procedures import steps_for
from domain.procedures.model import Material, PreAlt, Step
from domain.settings import DomainSettings
from projections.deadlines import qualifies, window_end

SIGNATURES = frozenset({"MemberSigned", "SignatureRefusalNoted"})
"""The statements of a member's signature step (签字, or the note that he refused or could not sign)."""
OUTSIDE = frozenset({"PA", "PL", "PT", "PM"})
APPLICATIONS = {
    "withdrawal-application": "WithdrawalApplied",
    "restoration-application": "RestorationApplied",
}
STATUS_WITHOUT_PROCEDURE = frozenset({"retained", "suspended", "deceased"})

FINDING_LABELS: dict[str, str] = {info.code: info.zh for info in GUARDS.values()} | {
    "step-missing": "缺少必经步骤",
    "step-out-of-order": "步骤顺序颠倒",
    "member-signature-missing": "缺少本人签字或拒签说明",
    "vote-without-majority": "表决未过半数",
    "quorum-not-met": "到会人数未过半数",
    "materials-missing": "缺少材料",
    "suspension-under-two-years": "停止党籍未满二年即作除名处置",
    "correction-pending": "回头看整改未完成",
    "late-entry": "逾期补记",
    "historical-out-of-order": "补录记录日期顺序颠倒",
    "status-without-procedure": "登记状态缺少处置程序依据",
}
"""Chinese labels of every finding code: the look-back's own, and the guard codes 补录 records carry."""


def _finding(code: str, path: str | None, case_no: int | None, step: str | None, note: str,
             digest: str = "") -> dict[str, Any]:  # fmt: skip
    return {"code": code, "path": path, "case_no": case_no, "step": step, "note": note, "hash": digest}


class _Check:
    """The findings of one disposed instance (see the module docstring)."""

    def __init__(self, file: MemberFile, inst: Instance, settings: DomainSettings) -> None:
        self.file, self.inst, self.settings = file, inst, settings
        self.steps = {s.id: s for s in steps_for(inst.path, settings)}
        self.case = [e for e in file.entries if e.case_no == inst.case_no and not e.withdrawn]
        self.out: list[dict[str, Any]] = []

    def add(self, code: str, step: str | None, note: str, digest: str = "") -> None:
        self.out.append(_finding(code, self.inst.path, self.inst.case_no, step, note, digest))

    def step(self, step_id: str) -> Step | None:
        return self.steps.get(step_id) or table_step(step_id)

    def required(self, step_id: str) -> bool:
        step = self.step(step_id)
        return step is not None and not step.optional and step.gb_for is None

    def records(self, alt: PreAlt) -> list[tuple[str, Any, str]]:
        """(result, date, hash) of the records of a pre alternative: the instance's, or the case's for (c)."""
        step = self.step(alt.step)
        if step is None:
            return []
        if step.case_level or alt.step.split(".")[0] != self.inst.path:
            fixed = {k: v for k, v in step.fixed.items() if "." not in k}
            found = [(result_of(e.type, e.body) or "", e.occurred_at, e.hash) for e in self.case
                     if e.type in step.statements and all(e.body.get(k, v) == v for k, v in fixed.items())]  # fmt: skip
        else:
            found = [(s.result or "", s.occurred_at, s.hash) for s in self.inst.done(alt.step)][-1:]
        return [r for r in found if not alt.results or r[0] in alt.results]

    def chain(self, effect: StepDone) -> None:
        """Missing and out-of-order steps behind the ◆ step, and the completion steps owed after it."""
        seen: set[str] = set()
        todo: list[tuple[str, str]] = [(effect.step, effect.hash)]
        for following in self.steps.values():
            after = any(a.step == effect.step and (not a.results or effect.result in a.results)
                        for pre in following.pre for a in pre.any_of)  # fmt: skip
            if after and self.required(following.id) and not following.case_level:
                if self.inst.latest(following.id) is None:
                    self.add("step-missing", following.id, f"owed after {effect.step}", effect.hash)
                else:
                    todo.append((following.id, effect.hash))
        while todo:
            step_id, needed_by = todo.pop()
            step = self.step(step_id)
            if step is None or step_id in seen:
                continue
            seen.add(step_id)
            mine = self.inst.latest(step_id)
            for pre in step.pre:
                found = [(alt, r) for alt in pre.any_of for r in self.records(alt)]
                if found:
                    alt, (_, on, _) = found[0]
                    todo.append((alt.step, mine.hash if mine else needed_by))
                    if mine is not None and mine.occurred_at < on:
                        self.add("step-out-of-order", step_id, f"dated before {alt.step}", mine.hash)
                elif any(self.required(a.step) for a in pre.any_of):
                    first = next(a.step for a in pre.any_of if self.required(a.step))
                    self.add(
                        "step-missing", first, f"required before {step_id}", mine.hash if mine else needed_by
                    )
                    todo.append((first, mine.hash if mine else needed_by))

    def materials(self) -> None:
        """Materials each step on record lists, as guard 41 reads them (§2.10), present in the case now."""
        attached = {str(e.body.get("form")) for e in self.case if e.type == "MaterialAttached"}
        attached |= {str(s.get("form")) for s in _sources(self.file, self.case) if s.get("form")}
        for done in self.inst.steps:
            step, entry = self.step(done.step), self.file.entry(done.hash)
            if step is None or entry is None:
                continue
            for material in step.materials:
                if self.applies(material, entry) and not self.present(material.code, attached):
                    self.add("materials-missing", done.step, material.code, done.hash)

    def applies(self, material: Material, entry: Entry) -> bool:
        if material.with_step and self.inst.latest(material.with_step) is None:
            return False
        contacted = any(e.type == "ContactRestored" and e.seq < entry.seq for e in self.case)
        return material.contacted is None or material.contacted == contacted

    def present(self, code: str, attached: set[str]) -> bool:
        rendered = {
            "registration-form": True,
            "search-record": any(e.type == "SearchAttemptRecorded" and qualifies(self.file, e) for e in self.case),
            "branch-resolution": self.inst.latest_of("GeneralMeetingResolved") is not None,
            "committee-resolution": self.inst.latest_of("Approved") is not None,
            "suspension-approval": any(i.path == "P9" and i.latest("P9.3") and i.latest("P9.4")
                                       for i in self.file.instances),
        }  # fmt: skip
        if code in APPLICATIONS:
            return any(e.type == APPLICATIONS[code] for e in self.case)
        return bool(rendered[code]) if code in rendered else code in attached

    def signature_step(self, resolution: str) -> str | None:
        """The step recording the member's signature (or the note) on this resolution step, if the path has one."""
        for step in self.steps.values():
            if SIGNATURES & set(step.statements) and any(
                a.step == resolution for p in step.pre for a in p.any_of
            ):
                return step.id
        return None

    def meetings(self) -> None:
        """The figures of each resolution and committee decision, and the member's signature on resolutions."""
        named = {
            e.body.get("resolution") for e in self.file.entries if e.type in SIGNATURES and not e.withdrawn
        }
        for done in self.inst.steps:
            entry = self.file.entry(done.hash)
            body: Mapping[str, Any] = entry.body if entry is not None else {}
            vote, cm = body.get("vote"), body.get("cmeeting")
            if isinstance(vote, Mapping):
                quorate = self.figures(done, vote["present_voters"], vote["eligible_voters"], "党员大会")
                if quorate and done.result == "passed" and not passes(vote, self.settings.vote_pass_basis):
                    self.add("vote-without-majority", done.step, "passed without a majority", done.hash)
                signing = self.signature_step(done.step)
                recorded = signing is not None and self.inst.latest(signing) is not None
                if done.result == "passed" and recorded and done.hash not in named:
                    self.add(
                        "member-signature-missing", done.step, f"{signing} names another record", done.hash
                    )
            if isinstance(cm, Mapping) and self.figures(
                done, cm["members_present"], cm["members_total"], "委员会"
            ):
                agreeing = done.result in ("agree", "approved") or done.type == "CommitteeOpinionGiven"
                short = cm.get("members_for") is not None and cm["members_for"] * 2 <= cm["members_total"]
                if agreeing and short:
                    self.add("vote-without-majority", done.step, "agreed without a majority", done.hash)

    def figures(self, done: StepDone, present: int, total: int, body: str) -> bool:
        """Whether more than half attended; ``quorum-not-met`` when not (a majority is then moot)."""
        if present * 2 > total:
            return True
        self.add("quorum-not-met", done.step, f"{body}到会不足", done.hash)
        return False

    def suspension(self, effect: StepDone) -> None:
        """自行脱党除名 (P10) effective before the 2-year window of the suspension ended."""
        end = window_end(self.file, self.settings)
        applies = self.inst.path == "P10" and not self.settings.direct_lapse_removal_allowed
        if applies and end is not None and effect.occurred_at < end:
            self.add("suspension-under-two-years", effect.step, f"window ends {end}", effect.hash)


def _sources(file: MemberFile, case: list[Entry]) -> Iterator[Mapping[str, Any]]:
    """The scans of the 补录 records among these entries (a `sources` entry with a `form` counts, §2.10)."""
    hashes = {e.hash for e in case if e.historical}
    for statement, digest, _ in file.log:
        if digest in hashes:
            yield from statement["body"].get("sources") or ()


def instance_findings(file: MemberFile, inst: Instance, settings: DomainSettings) -> list[dict[str, Any]]:
    """The findings of one disposed instance."""
    effect = next((s for s in inst.steps if s.hash == inst.effect_hash), None)
    if effect is None:
        return []
    check = _Check(file, inst, settings)
    check.chain(effect)
    check.materials()
    check.meetings()
    check.suspension(effect)
    order = {step_id: n for n, step_id in enumerate(check.steps)}
    return sorted(check.out, key=lambda f: order.get(f["step"], len(order)))


def _record_finding(file: MemberFile, code: str, digest: str, note: str) -> dict[str, Any]:
    """A finding about one record, named by the record's step (``P6.8``, ``P0.4``) and case."""
    entry = file.entry(digest)
    if entry is None:
        return _finding(code, None, None, None, note, digest)
    step = step_of(entry.type, entry.body)
    path = entry.ref[0] if entry.ref else step.split(".")[0] if step else None
    return _finding(code, path, entry.case_no, step, note, digest)


def member_findings(file: MemberFile, settings: DomainSettings) -> list[dict[str, Any]]:
    """Every look-back finding of one member: per disposed instance, then 补录, corrections, late entries."""
    out: list[dict[str, Any]] = []
    for inst in disposed(file):
        if inst.path not in OUTSIDE:
            out.extend(instance_findings(file, inst, settings))
    own = {(f["code"], f["path"], f["case_no"]) for f in out}
    for finding in dict.fromkeys(file.findings):  # a replayed file may carry a finding twice
        found = _record_finding(file, finding.code, finding.hash, "补录")
        if (found["code"], found["path"], found["case_no"]) not in own:
            out.append(found)
    registered = next((e for e in file.entries if e.type == "MemberRegistered"), None)
    special = set(registered.body.get("special_status") or ()) if registered is not None else set()
    if registered is not None and not registered.historical and special & STATUS_WITHOUT_PROCEDURE:
        note = ", ".join(sorted(special & STATUS_WITHOUT_PROCEDURE))
        out.append(_finding("status-without-procedure", None, None, None, note, registered.hash))
    rectified = {
        e.body.get("lookback") for e in file.entries if e.type == "LookBackRectified" and not e.withdrawn
    }
    for entry in file.entries:
        rectify = entry.type == "LookBackReviewed" and entry.body.get("conclusion") == "rectify"
        if rectify and not entry.withdrawn and entry.hash not in rectified:
            target = _record_finding(file, "correction-pending", str(entry.body.get("target")), "整改未完成")
            out.append({**target, "hash": entry.hash})
    historical = {e.hash for e in file.entries if e.historical}
    for digest in late_entries(file, settings.late_entry_days, settings.ledger_timezone):
        if digest not in historical:
            out.append(_record_finding(file, "late-entry", digest, "补记"))
    return out


def disposed(file: MemberFile) -> list[Instance]:
    """The instances whose ◆ step is on record."""
    return [i for i in file.instances if i.effect_hash is not None]
