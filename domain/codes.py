"""Code lists (代码表) as data: the numbered lists of the forms, the checkboxes of the registration form,
and the organisation lists (unit kinds, levels, roles).

Each list is a :class:`CodeList`: the stable code stored in statements (an ``int`` for the lists the forms
number ①–⑨, an English ``str`` otherwise) and its official Chinese label. The ``Literal`` alias beside each
list is the type statement bodies use; a test keeps alias and list in step. The procedure vocabularies
(outcomes, paths, materials, search and step values) live in ``domain.statements.vocab*``; every list, from
either place, is found by :func:`lookup` and :func:`label`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Generic, Literal, TypeVar

C = TypeVar("C", str, int)

CIRCLED = "①②③④⑤⑥⑦⑧⑨"
_REGISTRY: dict[str, CodeList[Any]] = {}
_VOCABULARY_MODULES = (
    "domain.statements.vocab",
    "domain.statements.vocab_case",
    "domain.statements.vocab_steps",
)


@dataclass(frozen=True, eq=False)
class CodeList(Generic[C]):
    """A code list: codes in their official order, each with its Chinese label.

    ``numbered`` lists are printed by the forms as circled numbers ①–⑨ (the code is the number).
    Creating a list registers it under ``key`` for :func:`lookup`.
    """

    key: str
    title: str
    labels: Mapping[C, str]
    numbered: bool = False

    def __post_init__(self) -> None:
        if self.key in _REGISTRY:
            raise ValueError(f"code list {self.key!r} is defined twice")
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        _REGISTRY[self.key] = self

    @property
    def codes(self) -> tuple[C, ...]:
        """The codes in official order."""
        return tuple(self.labels)

    def label(self, code: C) -> str:
        """The Chinese label of ``code``; ``KeyError`` if the code is not in the list."""
        return self.labels[code]

    def display(self, code: C) -> str:
        """The label as a form prints it: ``①外出务工经商`` for numbered lists, the bare label otherwise."""
        if self.numbered and isinstance(code, int):
            return CIRCLED[code - 1] + self.labels[code]
        return self.labels[code]

    def __contains__(self, code: object) -> bool:
        return code in self.labels

    def __iter__(self) -> Iterator[C]:
        return iter(self.labels)


def all_code_lists() -> Mapping[str, CodeList[Any]]:
    """Every code list of the domain, by key (the statement vocabularies included)."""
    for name in _VOCABULARY_MODULES:
        importlib.import_module(name)
    return MappingProxyType(_REGISTRY)


def lookup(key: str) -> CodeList[Any]:
    """The code list named ``key`` (e.g. ``"cause"``, ``"outcome"``); ``KeyError`` if there is none."""
    return all_code_lists()[key]


def label(key: str, code: str | int) -> str:
    """The Chinese label of ``code`` in the list ``key``, for UIs and printed forms."""
    return lookup(key).labels[code]


# --- forms §2.1–§2.3: the numbered lists (identical in [S002] and [S003]) ---------------------------

CauseCode = Literal[1, 2, 3, 4, 5, 6, 7]
CAUSE_OTHER = 7
CAUSE: CodeList[int] = CodeList(
    "cause",
    "失去联系情形",
    {
        1: "外出务工经商",
        2: "单位改制或破产",
        3: "毕业后去向不明",
        4: "工作单位改变",
        5: "出国（境）",
        6: "居住地改变",
        7: "其他（具体原因在备注栏中注明）",
    },
    numbered=True,
)

OccupationCode = Literal[1, 2, 3, 4, 5, 6, 7, 8]
# ④ as [S003] prints it; [S002] prints 「党机关事业单位离退休人员」 for the same category (forms §2.3).
OCCUPATION: CodeList[int] = CodeList(
    "occupation",
    "职业",
    {
        1: "国有企业解除劳动关系人员",
        2: "非公有制企业离职人员",
        3: "农村外出务工经商人员",
        4: "机关事业单位离退休人员",
        5: "高校毕业生",
        6: "街道社区人户分离人员",
        7: "组织关系在人才中心人员",
        8: "其他",
    },
    numbered=True,
)

OrgCategoryCode = Literal[1, 2, 3, 4, 5, 6, 7, 8, 9]
ORG_CATEGORY: CodeList[int] = CodeList(
    "org_category",
    "党组织类别",
    {
        1: "国有企业",
        2: "非公有制企业",
        3: "农村",
        4: "党政机关",
        5: "学校",
        6: "其他事业单位",
        7: "街道社区",
        8: "社会组织",
        9: "其他",
    },
    numbered=True,
)

# --- forms §2.4, §3.1: 《中国共产党党员基本情况登记表》 -------------------------------------------------

Sex = Literal["male", "female"]
SEX: CodeList[str] = CodeList("sex", "性别", {"male": "男", "female": "女"})

MaritalStatus = Literal["unmarried", "married", "divorced", "remarried"]
# The form prints no 丧偶 box; such a case goes to 备注 (field 34).
MARITAL_STATUS: CodeList[str] = CodeList(
    "marital_status",
    "婚姻状况",
    {"unmarried": "未婚", "married": "已婚", "divorced": "离婚", "remarried": "复婚"},
)

MemberType = Literal["full", "probationary"]
MEMBER_TYPE: CodeList[str] = CodeList(
    "member_type", "党员类型", {"full": "正式党员", "probationary": "预备党员"}
)

UnitCategory = Literal[
    "rural", "community", "organ", "institution", "state_enterprise", "private_enterprise", "social_org",
    "other",
]  # fmt: skip
# Field 25: eight boxes, not the ①–⑨ 党组织类别 list (forms §2.4).
UNIT_CATEGORY: CodeList[str] = CodeList(
    "unit_category",
    "单位类别（登记表）",
    {
        "rural": "农村",
        "community": "社区",
        "organ": "机关",
        "institution": "事业单位",
        "state_enterprise": "国有企业",
        "private_enterprise": "非公有制企业",
        "social_org": "社会组织",
        "other": "其他",
    },
)

Circumstance = Literal["hardship", "retired"]
CIRCUMSTANCE: CodeList[str] = CodeList(
    "circumstance", "生活困难 / 离退休", {"hardship": "生活困难党员", "retired": "离退休党员"}
)

SpecialStatus = Literal["pocket", "religion", "retained", "suspended", "deceased"]
SPECIAL_STATUS: CodeList[str] = CodeList(
    "special_status",
    "特殊状态",
    {
        "pocket": "“口袋”党员",
        "religion": "参教信教党员",
        "retained": "保留组织关系",
        "suspended": "停止党籍",
        "deceased": "死亡",
    },
)
#: Special statuses that each fix the member's initial state (procedures T1), so at most one may be ticked.
EXCLUSIVE_SPECIAL_STATUSES = frozenset({"retained", "suspended", "deceased"})

# --- procedures §1.1, §1.3: organisation units, levels, roles ----------------------------------------

UnitKind = Literal["branch", "general_branch", "grassroots_committee", "org_department"]
UNIT_KIND: CodeList[str] = CodeList(
    "unit_kind",
    "组织类型",
    {
        "branch": "党支部",
        "general_branch": "党总支",
        "grassroots_committee": "基层党委",
        "org_department": "党委组织部门",
    },
)
#: The kinds a unit of each kind may have as parent (``org_department`` may also have none).
UNIT_PARENT_KINDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "branch": frozenset({"general_branch", "grassroots_committee"}),
        "general_branch": frozenset({"grassroots_committee"}),
        "grassroots_committee": frozenset({"grassroots_committee", "org_department"}),
        "org_department": frozenset({"org_department"}),
    }
)

AdminLevel = Literal["county", "prefecture", "province", "central"]
ADMIN_LEVEL: CodeList[str] = CodeList(
    "admin_level",
    "组织部门层级",
    {"county": "县级（县、区、县级市）", "prefecture": "市级", "province": "省级", "central": "中央"},
)
#: Higher number = higher level; an org_department's parent must rank strictly higher.
ADMIN_LEVEL_RANK: Mapping[str, int] = MappingProxyType(
    {"county": 1, "prefecture": 2, "province": 3, "central": 4}
)

Standing = Literal["full", "probationary", "none"]
STANDING: CodeList[str] = CodeList(
    "standing", "本人党籍", {"full": "正式党员", "probationary": "预备党员", "none": "非党员"}
)

Role = Literal["SEC", "BCM", "BST", "GBS", "CSEC", "CMEM", "CST", "ODL", "ODS", "REV", "APH", "INS", "ADM"]
ROLE: CodeList[str] = CodeList(
    "role",
    "角色",
    {
        "SEC": "支部书记",
        "BCM": "支委委员",
        "BST": "支部工作人员",
        "GBS": "党总支书记",
        "CSEC": "党委书记 / 副书记",
        "CMEM": "党委委员",
        "CST": "党委工作人员（组织员）",
        "ODL": "组织部门负责人",
        "ODS": "组织部门工作人员",
        "REV": "回头看审核人",
        "APH": "申诉受理人",
        "INS": "检查人员",
        "ADM": "管理员",
    },
)
_ANY_UNIT = frozenset(UNIT_KIND.codes)
#: The unit kinds in which each role is held (procedures §1.3, column "held in").
ROLE_UNIT_KINDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "SEC": frozenset({"branch", "general_branch"}),
        "BCM": frozenset({"branch"}),
        "BST": frozenset({"branch"}),
        "GBS": frozenset({"general_branch"}),
        "CSEC": frozenset({"grassroots_committee"}),
        "CMEM": frozenset({"grassroots_committee"}),
        "CST": frozenset({"grassroots_committee"}),
        "ODL": frozenset({"org_department"}),
        "ODS": frozenset({"org_department"}),
        "REV": frozenset({"grassroots_committee", "org_department"}),
        "APH": frozenset({"grassroots_committee", "org_department"}),
        "INS": _ANY_UNIT,
        "ADM": _ANY_UNIT,
    }
)
