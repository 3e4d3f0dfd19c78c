"""evolve(state, statement) for member streams (状态演化): the §3.2 transitions, cases and instances.

Pure and deterministic: the same statements in the same order always give the same `MemberFile`. A
`Corrected` statement replays the whole stream with the corrected body (or without the withdrawn one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from domain.cases import advance, step_of, supersede
from domain.dates import day
from domain.member import DeclaredSigner, Entry, Finding, MemberFile, Snapshot, Suspension, renewed
from domain.states import CASE_STATES, SUSPENDED, MemberState, Transition, triggered_by

OPENING = frozenset({"OutOfControlListed", "PocketMemberFlagged", "LostContactConfirmed"})
POCKET = "pocket"
SUPERSEDED_PATHS = frozenset({"P3", "P9", "P11"})


def unwrap(statement: Mapping[str, Any]) -> tuple[str, Mapping[str, Any], tuple[DeclaredSigner, ...]]:
    """The record's type, body and declared signers (a 补录 record is unwrapped, §5.4)."""
    body = statement["body"]
    if statement["type"] != "HistoricalRecordEntered":
        return statement["type"], body, ()
    signers = tuple(
        DeclaredSigner(s["name"], s["role"], s["unit"], s.get("standing")) for s in body["original_signers"]
    )
    return body["record_type"], body["record_body"], signers


def evolve_member(
    file: MemberFile,
    statement: Mapping[str, Any],
    digest: str,
    recorded_at: str,
    findings: tuple[str, ...] = (),
) -> MemberFile:
    """Fold one accepted member-stream statement; `findings` are the 补录 guard codes (§5.4), first first."""
    logged = (*file.log, (statement, digest, recorded_at))
    if statement["type"] == "Corrected":
        return replay(logged, file.findings)
    draft = renewed(file, log=logged)
    _fold(draft, statement, digest, recorded_at, findings)
    return draft


def replay(
    log: tuple[tuple[Mapping[str, Any], str, str], ...], findings: tuple[Finding, ...] = ()
) -> MemberFile:
    """The file rebuilt from its log, every `Corrected` applied to its target; 补录 findings are kept."""
    fixes = corrections(log)
    codes = {f.hash: tuple(g.code for g in findings if g.hash == f.hash) for f in findings}
    file = MemberFile()
    for statement, digest, recorded_at in log:
        _fold_corrected(file, statement, digest, recorded_at, codes.get(digest, ()), fixes.get(digest))
    extra = tuple(f for f in findings if f not in file.findings)
    _set(file, log=log, findings=(*file.findings, *extra))
    return file


def corrections(log: Iterable[tuple[Mapping[str, Any], str, str]]) -> dict[str, Mapping[str, Any]]:
    """The body of the `Corrected` of each corrected statement (by hash), the last one when several are."""
    return {st["body"]["corrects"]: st["body"] for st, _, _ in log if st["type"] == "Corrected"}


def replay_step(
    file: MemberFile,
    statement: Mapping[str, Any],
    digest: str,
    recorded_at: str,
    fix: Mapping[str, Any] | None,
) -> MemberFile:
    """One step of ``replay``: ``file`` with the statement folded on as its correction ``fix`` has it.

    ``fix`` is the body of the `Corrected` of the statement in the log being replayed (``corrections``),
    None when it is not corrected; a `Corrected` itself is folded as its own entry. Folding a log row by
    row with the corrections of the whole log gives ``replay`` of that log without its 补录 findings, with
    one fold per row: an as-of walk (projections.asof_walk), which knows every correction of the stream
    from its first date, folds each kept row once instead of replaying the log at each `Corrected`.
    """
    draft = renewed(file, log=(*file.log, (statement, digest, recorded_at)))
    _fold_corrected(draft, statement, digest, recorded_at, (), fix)
    return draft


def _fold_corrected(
    file: MemberFile,
    statement: Mapping[str, Any],
    digest: str,
    recorded_at: str,
    findings: tuple[str, ...],
    fix: Mapping[str, Any] | None,
) -> None:
    """``_fold`` the statement as its correction ``fix`` has it: the replacement body, or withdrawn."""
    withdrawn = bool(fix and fix.get("withdrawn"))
    current = statement
    if fix and fix.get("replacement") is not None:
        current = {**statement, "body": fix["replacement"]}
    _fold(file, current, digest, recorded_at, findings, withdrawn=withdrawn)


def _set(draft: MemberFile, **changes: Any) -> None:
    """Change fields of a file still being folded, in place.

    Only ``evolve_member`` and ``replay`` call the fold, each on a copy nobody else holds yet: the file is
    frozen for everyone once it is returned. One copy per statement instead of one per changed aspect.
    """
    assert draft.__dataclass_fields__.keys() >= changes.keys(), f"unknown fields {set(changes)}"
    draft.__dict__.update(changes)


def _fold(
    file: MemberFile,
    statement: Mapping[str, Any],
    digest: str,
    recorded_at: str,
    findings: tuple[str, ...],
    *,
    withdrawn: bool = False,
) -> None:
    """Apply one statement to the draft ``file`` in place (see ``_set``)."""
    kind, body, signers = unwrap(statement)
    t = day(statement["occurred_at"]) or date.min
    historical = statement["type"] == "HistoricalRecordEntered"
    new_findings = tuple(Finding(code, digest) for code in findings)
    if historical and any(e.historical and e.occurred_at > t for e in file.entries):
        new_findings = (*new_findings, Finding("historical-out-of-order", digest))
    opens = kind in OPENING and not file.case_open and _opens_case(kind, body)
    case_no = file.case_no + 1 if opens and not withdrawn else file.case_no
    entry = _entry(
        hash=digest,
        seq=int(statement.get("seq", 0)),
        type=kind,
        occurred_at=t,
        recorded_at=recorded_at,
        actor=str(statement.get("actor", "")),
        body=MappingProxyType(dict(body)),
        case_no=case_no,
        historical=historical,
        signers=signers,
        withdrawn=withdrawn,
    )
    _set(file, stream=statement.get("stream", file.stream), entries=(*file.entries, entry))
    if new_findings:
        _set(file, findings=(*file.findings, *new_findings))
    if withdrawn:
        return
    if opens:
        _set(file, case_no=case_no, case_open=True, case_opened_at=t)
    _registration(file, kind, body, t)
    if entry.ref is not None:  # only a path statement moves the instances (``advance`` keeps them otherwise)
        before = Snapshot(file.state, file.flags, file.case_open) if file.state is not None else None
        _set(file, instances=advance(file, entry, before))
    _transition(file, entry, historical)


def _entry(**fields: Any) -> Entry:
    """An `Entry` of the given fields, every one given, without the frozen dataclass ``__init__``.

    One entry is made per statement folded, and the frozen ``__init__`` sets each of its eleven fields
    through ``object.__setattr__`` (about a tenth of a fold); every value here is already valid.
    """
    assert fields.keys() == Entry.__dataclass_fields__.keys(), f"fields {set(fields)}"
    entry = object.__new__(Entry)
    entry.__dict__.update(fields)
    return entry


def _opens_case(kind: str, body: Mapping[str, Any]) -> bool:
    return kind != "PocketMemberFlagged" or body.get("whereabouts_known") is False


def _registration(file: MemberFile, kind: str, body: Mapping[str, Any], t: date) -> None:
    if kind == "MemberRegistered" and file.state is None:
        pocket = frozenset({POCKET}) if POCKET in body.get("special_status", ()) else frozenset()
        _set(
            file, member_type=body.get("member_type", "full"), joined_on=day(body.get("joined_on")),
            homes=((date.min, body["home"]),), flags=pocket,
        )  # fmt: skip
    elif kind == "FullMembershipRecorded":
        _set(file, member_type="full", full_since=day(body.get("approved_on")) or t)
    elif kind == "PocketMemberFlagged" and body.get("whereabouts_known") is True:
        _set(file, flags=file.flags | {POCKET})
    elif kind == "RelationReceived":
        letter = _letter(file, body.get("letter_no"))
        if letter is not None and letter.get("to_unit"):
            _set(file, homes=(*file.homes, (t, letter["to_unit"])), flags=file.flags - {POCKET})


def _letter(file: MemberFile, letter_no: object) -> Mapping[str, Any] | None:
    letters = [e.body for e in file.entries if e.type in ("RelationTransferred", "TransferReissued")]
    return next((b for b in reversed(letters) if b.get("letter_no") == letter_no), None)


def _facts(file: MemberFile, entry: Entry) -> Mapping[str, Any]:
    if entry.type != "RelationReceived":
        return entry.body
    letter = _letter(file, entry.body.get("letter_no"))
    return {**entry.body, "letter": "inside" if letter is not None and letter.get("to_unit") else "outside"}


def _matches(
    row: Transition,
    file: MemberFile,
    entry: Entry,
    step: str | None,
    facts: Mapping[str, Any],
    *,
    any_source: bool,
) -> bool:
    if row.trigger == step and row.trigger != entry.type and not entry.ref:
        return False
    if file.state is None:
        if row.sources:
            return False
    elif not any_source and file.state not in row.sources:
        return False
    if row.flag is not None and row.flag not in file.flags and not any_source:
        return False
    return all(facts.get(c.field) in c.values for c in row.when)


def _transition(file: MemberFile, entry: Entry, historical: bool) -> None:
    if entry.body.get("remedies"):
        return
    step = step_of(entry.type, entry.body)
    rows = triggered_by(entry.type, step)
    if not rows:
        _suspension(file, entry, step)
        return
    facts = _facts(file, entry)
    row = next((r for r in rows if _matches(r, file, entry, step, facts, any_source=False)), None)
    if row is None and historical and file.state is not None:
        row = next(
            (r for r in rows if r.sources and _matches(r, file, entry, step, facts, any_source=True)), None
        )
    if row is None:
        _suspension(file, entry, step)
        return
    if row.target is None:
        _revoke(file, entry)
        return
    flags = file.flags
    if row.sets_flag:
        flags = flags | {row.sets_flag}
    if row.clears_flag:
        flags = flags - {row.clears_flag}
    instances = file.instances
    if row.no == "T6":
        instances = supersede(instances, file.case_no, SUPERSEDED_PATHS)
    _set(file, state=row.target, flags=flags, instances=instances)
    if row.target not in CASE_STATES:
        _set(file, case_open=False)
    _suspension(file, entry, step)


def _suspension(file: MemberFile, entry: Entry, step: str | None) -> None:
    if step == "P9.2" and entry.body.get("outcome") == "passed":
        _set(file, suspension=Suspension(decision=entry.occurred_at))
    elif step == "P9.3" and entry.type == "Approved":
        _set(file, suspension=renewed(file.suspension or Suspension(), approval=entry.occurred_at))
    elif step == "P9.4":
        _set(file, suspension=renewed(file.suspension or Suspension(), filing=entry.occurred_at))


def _revoke(file: MemberFile, entry: Entry) -> None:
    target = entry.body.get("target")
    instance = next((i for i in file.instances if i.effect_hash == target), None)
    if instance is None or instance.before is None:
        return
    before = instance.before
    instances = tuple(
        renewed(i, status="ended", end_reason="revoked") if i is instance else i for i in file.instances
    )
    reopen = before.state in CASE_STATES
    _set(
        file, state=before.state, flags=before.flags, instances=instances,
        case_open=reopen, case_no=instance.case_no if reopen else file.case_no,
    )  # fmt: skip


def member_state_is(file: MemberFile, state: MemberState) -> bool:
    """Convenience for tests and projections."""
    return file.state is state


SUSPENDED_FLAG = SUSPENDED
