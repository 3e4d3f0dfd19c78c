"""Response models of the member reads (党员查询, 状态, 全程纪实表, 导出验证包, 逾期事项).

They document the answers on the OpenAPI page; the projections compute them (``projections/``). The
dossier's entries and basic data keep the projection's open shape (a statement body differs per type).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Basis = Literal["occurred", "recorded"]


class UnitRef(BaseModel):
    """An organisation unit by id, with its registered name."""

    id: str
    name: str


class Deadline(BaseModel):
    """One running deadline (期限) of a member: what it is, since when, when due, whether overdue today."""

    code: str = Field(examples=["search-stale"])
    label: str = Field(examples=["查找记录超期"])
    start: str
    due: str
    overdue: bool


class RoleRef(BaseModel):
    """A role code with its Chinese label."""

    code: str
    label: str


class Signer(BaseModel):
    """Who signs a step: the acting level, the units at that level for this member, the roles."""

    level: str
    level_label: str
    units: list[str]
    roles: list[RoleRef]


class NextStep(BaseModel):
    """A step the procedure allows next (下一步), with the statements that record it and who signs."""

    path: str = Field(examples=["P4"])
    path_name: str
    step: str = Field(examples=["P4.3"])
    name: str
    statements: list[str]
    optional: bool
    signers: list[Signer]


class MemberStatus(BaseModel):
    """A member's status (党员状态): state, open case, next steps and deadlines."""

    member_id: str
    name: str
    home: UnitRef = Field(description="the member's branch (所在支部)")
    member_type: str
    state: str = Field(examples=["LOST_SEARCHING"])
    state_label: str = Field(examples=["失联-查找中"])
    cause: int | None = Field(description="失联原因 code 1..7")
    case_no: int
    case_open: bool
    active_path: str | None
    next_steps: list[NextStep]
    deadlines: list[Deadline]
    overdue: bool
    last_recorded_at: str
    as_of: str | None = Field(default=None, description="the date the status was folded as of, if any")
    basis: Basis | None = Field(default=None, description="occurred | recorded, with ``as_of``")


class MemberPage(BaseModel):
    """One page of the member list of a unit's subtree (党员查询)."""

    unit: str | None = Field(description="the unit whose subtree is listed (null: every unit)")
    page: int
    per_page: int
    total: int
    today: str
    members: list[MemberStatus]


class OverdueItem(BaseModel):
    """One overdue deadline (逾期事项) of one member."""

    member_id: str
    name: str
    home: UnitRef
    state: str
    state_label: str
    code: str
    label: str
    start: str
    due: str
    days_overdue: int


class OverduePage(BaseModel):
    """Overdue items of a unit's subtree, most overdue first."""

    unit: str | None
    page: int
    per_page: int
    total: int
    today: str
    items: list[OverdueItem]


class DossierBox(BaseModel):
    """One box of 附件4 with its entries (each a statement with signer, dates and verification)."""

    box: str
    label: str
    entries: list[dict[str, Any]]


class DossierCheckpoint(BaseModel):
    """The checkpoint the entries' inclusion was checked against."""

    tree_size: int
    root: str | None
    problem: str | None


class Dossier(BaseModel):
    """失联党员查找处置全程纪实表 (附件4) of one member, now or as of a date."""

    member_id: str
    title: str
    as_of: str | None
    basis: Basis
    basic: dict[str, Any] = Field(description="基本情况: name, sex, … organisation, last contact, cause")
    boxes: list[DossierBox]
    checkpoint: DossierCheckpoint | None


class BundleEntry(BaseModel):
    """A statement as signed, with its log position and RFC 9162 inclusion proof."""

    statement: dict[str, Any]
    hash: str
    signature: str
    position: int
    recorded_at: str
    proof: list[str]


class BundleKey(BaseModel):
    """A key that signed an entry: its actor and public key (base64)."""

    actor: str
    public_key: str


class ExportBundle(BaseModel):
    """``dangyuan-ledger-bundle/1``: verifiable offline with the ledger's verifier key (导出验证包)."""

    format: str = Field(examples=["dangyuan-ledger-bundle/1"])
    origin: str
    checkpoint: str = Field(description="the C2SP signed checkpoint note")
    entries: list[BundleEntry]
    keys: dict[str, BundleKey]
