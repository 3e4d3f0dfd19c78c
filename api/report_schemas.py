"""Response models of the unit reports: the three registers, the 附件5 table and 回头看.

They document the JSON answers on the OpenAPI page (``?format=xlsx`` answers the official layout as an
``.xlsx`` file instead); the projections compute them (``projections.reads``). Field names that are the
forms' own labels (填报单位, 填表日期, 统计时间) keep them as JSON keys.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.read_schemas import Basis


class UnitName(BaseModel):
    """The unit whose subtree a report covers."""

    id: str | None
    name: str


class Register(BaseModel):
    """失联党员名册 / 经查找取得联系党员登记表 / 经查找仍然无法取得联系党员登记表 (forms §3.4–§3.6)."""

    model_config = ConfigDict(populate_by_name=True)

    kind: str = Field(examples=["roster"])
    title: str = Field(examples=["失联党员名册"])
    unit: UnitName
    filler_unit: str = Field(alias="填报单位")
    fill_date: str = Field(alias="填表日期", description="T: the register as of the end of that day")
    basis: Basis
    campaign: str | None
    columns: list[str] = Field(description="the official columns, in printed order")
    rows: list[dict[str, Any]] = Field(description="one per member: member_id and column label → value")
    notes: list[str] = Field(description="填表说明")


class RelationCheck(BaseModel):
    """One relation of the table's note (or C≥D+E+F): its two sides and whether it holds."""

    rule: str = Field(examples=["A=B+O+X"])
    left: int
    right: int
    holds: bool


class PlacedMember(BaseModel):
    """A cohort member: its leaf column by precedence and every column it counts in."""

    member_id: str
    name: str
    leaf: str
    columns: list[str]
    state: str | None


class Statistics(BaseModel):
    """附件5 与党组织失去联系党员规范管理和组织处置有关情况统计表, as of 统计时间, with its checks."""

    model_config = ConfigDict(populate_by_name=True)

    title: str
    unit: UnitName
    at: str = Field(alias="统计时间")
    basis: Basis
    campaign: str | None
    headers: dict[str, str] = Field(description="column letter → official heading")
    counts: dict[str, int] = Field(description="column letter A–X → count")
    ok: bool = Field(description="every relation holds and every member sits in exactly one leaf")
    checks: list[RelationCheck]
    violations: list[dict[str, Any]] = Field(
        description="over the whole cohort, whichever members are listed"
    )
    members: list[PlacedMember] = Field(
        description="the cohort members from members_offset, at most members_limit of them, ordered by"
        " branch at 统计时间, name, id"
    )
    members_total: int = Field(description="how many members the cohort holds (counts A)")
    members_offset: int = Field(description="the position of the first member listed")
    members_limit: int | None = Field(description="the most members listed (null: every one)")
    note: str


class Finding(BaseModel):
    """One 回头看 finding: what is wrong, in which case and step, and the statement concerned."""

    code: str = Field(examples=["step-missing"])
    label: str = Field(examples=["缺少必经步骤"])
    path: str | None
    case_no: int | None
    step: str | None
    note: str
    hash: str = Field(description="the statement concerned ('' when the finding is about a missing one)")


class DisposedCase(BaseModel):
    """A case whose disposition (◆ step) is on record."""

    path: str
    case_no: int
    effect_on: str | None


class LookbackMember(BaseModel):
    """One member with disposed cases or findings."""

    member_id: str
    name: str
    home: str
    home_name: str
    disposed: list[DisposedCase]
    findings: list[Finding]


class CodeCount(BaseModel):
    """How many findings of one code the subtree has."""

    code: str
    label: str
    count: int


class Lookback(BaseModel):
    """回头看: findings per member of the subtree and counts per code, as of a date."""

    title: str
    unit: UnitName
    as_of: str
    basis: Basis
    by_code: list[CodeCount]
    members: list[LookbackMember]
