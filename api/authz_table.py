"""The authorisation table (权限表): which roles may call each endpoint, and on which targets.

This table is data: ``api.authz`` enforces it, the tests walk it in full, and ``docs/authorization.md`` is
rendered from it (``python -m api.authz_table > docs/authorization.md``). Role codes are those of
procedures.md §1.3. A target is the stream an endpoint reads or writes; its *kind* (member, unit, actor,
or a stream not begun yet) selects the roles. With scope ``subtree`` the target must lie in the subtree
of the caller's unit: a member's home branch today, a unit itself, an actor's unit. The one exception
(DESIGN.md "Who may do what"): the branch named in an open transfer letter may read the member's head
and record the receipt (``RelationReceived``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

ROLES: Mapping[str, str] = {
    "SEC": "支部书记",
    "BCM": "支委委员",
    "BST": "支部工作人员",
    "GBS": "党总支书记",
    "CSEC": "党委书记",
    "CMEM": "党委委员",
    "CST": "党委工作人员",
    "ODL": "组织部门负责人",
    "ODS": "组织部门工作人员",
    "REV": "回头看审核人",
    "APH": "申诉受理人",
    "INS": "检查人员",
    "ADM": "管理员",
}
"""Every role code of procedures.md §1.3 with its Chinese label."""

ALL = frozenset(ROLES)
MEMBER_WRITERS = frozenset({"SEC", "BCM", "BST", "GBS", "CSEC", "CMEM", "CST", "ODL", "ODS", "REV", "APH"})
"""Roles that sign statements on member streams (the domain guards then check the step and level)."""
READERS = MEMBER_WRITERS | {"INS"}
"""Roles that read members' files (INS, REV and APH read within their unit's subtree)."""
AUDITORS = frozenset({"INS", "ADM"})


class Scope(StrEnum):
    """Where an endpoint's target must lie."""

    PUBLIC = "public"
    """No sign-in needed (transparency endpoints: a token when ``public_transparency`` is off)."""
    LEDGER = "ledger"
    """Signed in with an allowed role; the endpoint concerns the whole ledger, not one unit's data."""
    SUBTREE = "subtree"
    """The target must lie in the subtree of the caller's unit (the root administrator has no unit: all)."""


class Target(StrEnum):
    """The kind of stream an endpoint acts on."""

    NONE = "none"
    MEMBER = "member"
    UNIT = "unit"
    ACTOR = "actor"
    EMPTY = "empty"
    """A stream with no statement yet (its scope is given by what the first statement names)."""


@dataclass(frozen=True)
class Rule:
    """One endpoint: its label, scope, and the roles allowed per target kind."""

    method: str
    path: str
    label: str
    scope: Scope
    roles: Mapping[Target, frozenset[str]]
    note: str = ""

    @property
    def key(self) -> str:
        """``METHOD /path``: how routes name their rule."""
        return f"{self.method} {self.path}"

    def allowed(self, target: Target) -> frozenset[str]:
        """The roles allowed on this kind of target (none when the kind does not apply)."""
        return self.roles.get(target, frozenset())


def _public(method: str, path: str, label: str, note: str = "") -> Rule:
    return Rule(method, path, label, Scope.PUBLIC, {}, note)


TRANSPARENCY = "public unless the `public_transparency` setting is off; then any signed-in actor"
WRITES = {
    Target.MEMBER: MEMBER_WRITERS,
    Target.UNIT: frozenset({"ADM", "ODL"}),
    Target.ACTOR: frozenset({"ADM"}),
}
WRITES_NOTE = (
    "per statement: the signer's roles and the stream named by the statement (a new member's `home`, a "
    "new unit's `parent`, a new actor's `unit`); exception: the receiving branch of an open transfer "
    "letter records `RelationReceived`"
)

RULES: tuple[Rule, ...] = (
    _public("GET", "/health", "服务运行状态"),
    _public("GET", "/ready", "服务就绪状态"),
    _public("POST", "/auth/challenge", "登录挑战"),
    _public("POST", "/auth/token", "登录令牌"),
    _public("GET", "/ledger/checkpoint", "最新检查点", TRANSPARENCY),
    _public("GET", "/ledger/verifier-key", "账本验证公钥", TRANSPARENCY),
    _public("GET", "/ledger/proof/inclusion", "包含证明", TRANSPARENCY),
    _public("GET", "/ledger/proof/consistency", "一致性证明", TRANSPARENCY),
    _public("GET", "/ledger/leaves", "日志叶子", TRANSPARENCY),
    Rule(
        "GET",
        "/streams/{id}/head",
        "记录链头",
        Scope.SUBTREE,
        {Target.MEMBER: READERS, Target.UNIT: ALL, Target.ACTOR: ALL, Target.EMPTY: ALL},
        "a stream not begun yet (seq 0) is in every scope; the receiving branch of an open transfer "
        "letter may read the member's head",
    ),
    Rule(
        "GET",
        "/streams/{id}",
        "记录链（含逐条验证）",
        Scope.SUBTREE,
        {Target.MEMBER: READERS, Target.UNIT: ALL, Target.ACTOR: ALL},
        "reads of a member stream are written to the access log",
    ),
    Rule("POST", "/streams/{id}/statements", "提交签名记录", Scope.SUBTREE, WRITES, WRITES_NOTE),
    Rule("POST", "/statements/batch", "批量提交", Scope.SUBTREE, WRITES, WRITES_NOTE),
    Rule(
        "POST", "/units/{id}/registration", "登记组织单位", Scope.SUBTREE, {Target.UNIT: frozenset({"ADM"})}
    ),
    Rule(
        "POST",
        "/actors/{id}/registration",
        "登记人员",
        Scope.SUBTREE,
        {Target.ACTOR: frozenset({"ADM"})},
    ),
    Rule("POST", "/actors/{id}/keys", "登记或吊销密钥", Scope.SUBTREE, {Target.ACTOR: frozenset({"ADM"})}),
    Rule(
        "POST",
        "/members/{id}/registration",
        "建立党员档案",
        Scope.SUBTREE,
        {Target.MEMBER: MEMBER_WRITERS},
        "the domain guards then admit SEC/BST of the member's branch only",
    ),
    Rule(
        "GET",
        "/members",
        "党员查询",
        Scope.SUBTREE,
        {Target.NONE: READERS, Target.UNIT: READERS},
        "the `unit` filter (default: the caller's unit) must lie in the caller's subtree; each member "
        "listed is written to the access log",
    ),
    Rule(
        "GET",
        "/members/{id}/status",
        "党员状态",
        Scope.SUBTREE,
        {Target.MEMBER: READERS},
        "written to the access log",
    ),
    Rule(
        "GET",
        "/members/{id}/dossier",
        "全程纪实表",
        Scope.SUBTREE,
        {Target.MEMBER: READERS},
        "written to the access log",
    ),
    Rule(
        "GET",
        "/members/{id}/bundle",
        "导出验证包",
        Scope.SUBTREE,
        {Target.MEMBER: READERS},
        "written to the access log",
    ),
    Rule(
        "GET",
        "/overdue",
        "逾期事项",
        Scope.SUBTREE,
        {Target.NONE: READERS, Target.UNIT: READERS},
        "the `unit` filter (default: the caller's unit) must lie in the caller's subtree; each member "
        "listed is written to the access log",
    ),
    Rule(
        "GET",
        "/access-log",
        "查阅日志查询",
        Scope.SUBTREE,
        {Target.NONE: AUDITORS, Target.MEMBER: AUDITORS},
        "`member` and `unit` filters must lie in the caller's subtree; `unit` defaults to the caller's",
    ),
    Rule(
        "GET",
        "/access-log/verify",
        "查阅日志链校验",
        Scope.LEDGER,
        {Target.NONE: AUDITORS},
        "the answer names row numbers and hashes only",
    ),
)

BY_KEY: Mapping[str, Rule] = {rule.key: rule for rule in RULES}


def rule(key: str) -> Rule:
    """The rule of ``METHOD /path``; a route without a rule is a programming error."""
    return BY_KEY[key]


def _cell(roles: frozenset[str]) -> str:
    if not roles:
        return "—"
    if roles == ALL:
        return "all roles"
    return ", ".join(code for code in ROLES if code in roles)


def render_markdown() -> str:
    """``docs/authorization.md``: the table above as Markdown."""
    lines = [
        "# Authorisation: role × endpoint (权限表)",
        "",
        "Generated from `api/authz_table.py` (`python -m api.authz_table > docs/authorization.md`); a test",
        "checks that this file equals the rendered table. Refusals are RFC 9457 problems: 403",
        "`role-not-allowed` (no allowed role) or `out-of-scope` (the target lies outside the subtree of the",
        "caller's unit), never a silent filter. Writes are authenticated by their signatures: the caller is",
        "the signer (a token sent along must be the signer's). Roles are those the actor holds today.",
        "",
        "## Roles",
        "",
        "| code | 中文 |",
        "|---|---|",
        *(f"| {code} | {label} |" for code, label in ROLES.items()),
        "",
        "## Endpoints",
        "",
        "| endpoint | 中文 | scope | member stream | unit stream | actor stream | new stream | no target "
        "| notes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    kinds = (Target.MEMBER, Target.UNIT, Target.ACTOR, Target.EMPTY, Target.NONE)
    for entry in RULES:
        cells = (
            ["anyone"] * len(kinds)
            if entry.scope is Scope.PUBLIC
            else [_cell(entry.allowed(k)) for k in kinds]
        )
        lines.append(
            f"| `{entry.key}` | {entry.label} | {entry.scope.value} | {' | '.join(cells)} | {entry.note} |"
        )
    lines += [
        "",
        "Scopes: `public` needs no sign-in; `ledger` concerns the whole ledger; `subtree` needs the target",
        "(a member's home branch today, a unit, an actor's unit) inside the subtree of the caller's unit.",
        "Writes to a stream not begun yet take their scope from the first statement (`home`, `parent`,",
        "`unit`). Each read of a member's data (stream, status, dossier, bundle, and each member a list shows)",
        "is appended to the hash-chained access log (`GET /access-log`).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(render_markdown(), end="")
