"""党员基本情况登记: the first statement of every member stream, with the 34 fields of
《中国共产党党员基本情况登记表》 (forms §3.1, [003]).

:data:`MEMBER_FIELDS` maps each printed field number to its body key, as ``MemberDataCorrected.field`` uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pydantic import ConfigDict, Field

from domain.codes import (
    EXCLUSIVE_SPECIAL_STATUSES,
    Circumstance,
    MaritalStatus,
    MemberType,
    Sex,
    SpecialStatus,
    UnitCategory,
)
from domain.fields import (
    Count,
    Date,
    Doc,
    IdNumber,
    OptionalText,
    ShortText,
    Text,
    UniqueList,
    Uuid,
    as_date,
)
from domain.identity import parse_id_number
from domain.statements import examples as ex
from domain.statements.base import Body, Checked, Problems
from domain.statements.vocab_case import OpinionLevel


class Mobility(Checked):
    """Field 27 党员流动情况: ticked 流动党员, with 流入地（单位）."""

    destination: Text


class InService(Checked):
    """Field 28 在职党员情况: ticked 在职党员, with the 报到社区."""

    community: Text


class RegistrationOpinion(Checked):
    """Fields 31–33: the opinion block of the branch, the general branch or the grassroots committee."""

    level: OpinionLevel
    opinion: OptionalText | None = None
    signer_name: ShortText | None = None
    date: Date | None = None


#: Field number of the form → (body key, Chinese label). Fields 31–33 are the ``opinions`` of each level.
MEMBER_FIELDS: Mapping[int, tuple[str, str]] = MappingProxyType(
    {
        1: ("name", "姓名"),
        2: ("sex", "性别"),
        3: ("ethnicity", "民族"),
        4: ("native_place", "籍贯"),
        5: ("birth_date", "出生日期"),
        6: ("id_number", "身份证号码"),
        7: ("mobile", "手机号码"),
        8: ("other_contacts", "其他联系方式"),
        9: ("household_address", "户籍所在地"),
        10: ("residence_address", "实际居住地址"),
        11: ("marital_status", "婚姻状况"),
        12: ("graduated_from", "毕业院校"),
        13: ("education", "学历"),
        14: ("degree", "学位"),
        15: ("work_started_on", "参加工作时间"),
        16: ("work_unit_and_post", "工作单位及职务（职称）"),
        17: ("joined_on", "入党日期"),
        18: ("joined_org", "入党时所在党组织"),
        19: ("full_on", "转正日期"),
        20: ("home", "现所在支部"),
        21: ("entered_branch_on", "进入支部日期"),
        22: ("party_posts", "党内职务"),
        23: ("monthly_dues_fen", "每月党费交纳数额（分）"),
        24: ("member_type", "党员类型"),
        25: ("unit_category", "单位类别"),
        26: ("circumstances", "生活困难党员 / 离退休党员"),
        27: ("mobility", "党员流动情况"),
        28: ("in_service", "在职党员情况"),
        29: ("special_status", "特殊状态"),
        30: ("member_signed", "本人签名（盖印）"),
        31: ("opinions", "党支部意见"),
        32: ("opinions", "党总支审核意见"),
        33: ("opinions", "基层党（工）委审核意见"),
        34: ("remarks", "备注"),
    }
)
#: The opinion level each of fields 31–33 holds.
OPINION_FIELDS: Mapping[int, OpinionLevel] = MappingProxyType(
    {31: "branch", 32: "general_branch", 33: "grassroots_committee"}
)


class MemberRegistered(Body):
    """党员基本情况登记: the member's registration form (fields 1–34) plus the ledger's own keys.

    Only what the procedures need is required (name, member type, 入党日期, home branch): the seeds let a
    branch mark what it cannot yet establish and complete it later ([004] 五核查). Body-only rules:
    ``full_on`` iff a full member, not before ``joined_on``; the ID number valid (GB 11643) and, when the
    birth date or sex is given too, agreeing with it ([003] note 3); at most one of 保留组织关系 / 停止党籍 /
    死亡;
    one opinion per level.
    """

    label = "党员基本情况登记"
    model_config = ConfigDict(
        json_schema_extra=ex.examples(
            {
                "name": "赵磊",
                "sex": "male",
                "ethnicity": "汉族",
                "native_place": "安徽省怀宁县",
                "birth_date": "1985-03-12",
                "id_number": ex.ID_NUMBER,
                "mobile": "13905561234",
                "household_address": "安徽省安庆市安河县城关镇东街12号",
                "residence_address": "安徽省安庆市安河县城关镇东街12号",
                "marital_status": "married",
                "graduated_from": "安徽师范大学",
                "education": "大学本科",
                "degree": "学士",
                "work_started_on": "2007-07-01",
                "work_unit_and_post": "安河县东街社区居委会 工作人员",
                "joined_on": "2006-05-20",
                "joined_org": "安徽师范大学文学院学生党支部",
                "full_on": "2007-05-20",
                "home": ex.UNIT_B1,
                "entered_branch_on": "2012-03-01",
                "monthly_dues_fen": 1500,
                "member_type": "full",
                "unit_category": "community",
                "circumstances": [],
                "mobility": {"destination": "浙江省杭州市"},
                "special_status": [],
                "member_signed": True,
                "opinions": [
                    {"level": "branch", "opinion": "情况属实", "signer_name": "周明", "date": "2017-03-10"}
                ],
                "form_scan": ex.doc("中国共产党党员基本情况登记表（赵磊）"),
            }
        )
    )

    name: ShortText
    sex: Sex | None = None
    ethnicity: OptionalText | None = None
    native_place: OptionalText | None = None
    birth_date: Date | None = None
    id_number: IdNumber | None = None
    mobile: OptionalText | None = None
    other_contacts: OptionalText | None = None
    household_address: OptionalText | None = None
    residence_address: OptionalText | None = None
    marital_status: MaritalStatus | None = None
    graduated_from: OptionalText | None = None
    education: OptionalText | None = None
    degree: OptionalText | None = None
    work_started_on: Date | None = None
    work_unit_and_post: OptionalText | None = None
    joined_on: Date
    joined_org: OptionalText | None = None
    full_on: Date | None = None
    home: Uuid
    entered_branch_on: Date | None = None
    party_posts: OptionalText | None = None
    monthly_dues_fen: Count | None = None
    member_type: MemberType
    unit_category: UnitCategory | None = None
    circumstances: UniqueList[Circumstance] = Field(default_factory=list)
    mobility: Mobility | None = None
    in_service: InService | None = None
    special_status: UniqueList[SpecialStatus] = Field(default_factory=list)
    member_signed: bool | None = None
    opinions: list[RegistrationOpinion] = Field(default_factory=list)
    remarks: OptionalText | None = None
    form_scan: Doc | None = None

    def cross_field_rules(self, problems: Problems) -> None:
        problems.require_iff("full_on", self.full_on, self.member_type == "full", "when member_type is full")
        if self.full_on is not None and self.full_on < self.joined_on:
            problems.add("full_on", "order", "转正日期 is before 入党日期")
        if self.birth_date is not None and self.joined_on <= self.birth_date:
            problems.add("joined_on", "order", "入党日期 is not after the birth date")
        if self.id_number is not None:
            encoded = parse_id_number(self.id_number)
            if self.birth_date is not None and as_date(self.birth_date) != encoded.birth_date:
                problems.add(
                    "birth_date", "mismatch", "出生日期 differs from the birth date in the ID number"
                )
            if self.sex is not None and self.sex != encoded.sex:
                problems.add("sex", "mismatch", "性别 differs from the sex encoded in the ID number")
        if len(EXCLUSIVE_SPECIAL_STATUSES.intersection(self.special_status)) > 1:
            problems.add("special_status", "exclusive", "保留组织关系, 停止党籍 and 死亡 exclude each other")
        levels = [opinion.level for opinion in self.opinions]
        for index, level in enumerate(levels):
            if level in levels[:index]:
                problems.add(("opinions", index, "level"), "unique", "one opinion per level")
