"""The authorisation table (权限表): which roles may call each endpoint, and on which targets.

This table is data (its vocabulary, re-exported here: ``api.authz_model``): ``api.authz`` enforces it,
the tests walk it in full, and ``docs/authorization.md`` is rendered from it
(``python -m api.authz_table > docs/authorization.md``). Role codes are those of procedures.md §1.3.
A target is the stream an endpoint reads or writes; its *kind* (member, unit, actor, or a stream not
begun yet) selects the roles. With scope ``subtree`` the target must lie in the subtree
of the caller's unit: a member's home branch today, a unit itself, an actor's unit. The one exception
(DESIGN.md "Who may do what"): the branch named in an open transfer letter may read the member's head
and record the receipt (``RelationReceived``).
"""

from __future__ import annotations

from collections.abc import Mapping

from api.authz_model import ALL, AUDITORS, MEMBER_WRITERS, READERS, ROLES, Rule, Scope, Target
from api.authz_model import public as _public

__all__ = [
    "ALL", "AUDITORS", "BY_KEY", "MEMBER_WRITERS", "READERS", "ROLES", "RULES", "Rule", "Scope", "Target",
    "render_markdown", "rule",
]  # fmt: skip

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

LISTED = "the unit must lie in the caller's subtree; each member included is written to the access log"

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
        "/members/{id}/dossier.pdf",
        "全程纪实表（PDF）",
        Scope.SUBTREE,
        {Target.MEMBER: READERS},
        "the print view rendered by headless Chromium; written to the access log",
    ),
    Rule(
        "GET",
        "/units/{id}/registers/{form}",
        "名册与登记表",
        Scope.SUBTREE,
        {Target.UNIT: READERS},
        f"`form`: roster | contacted | uncontactable; JSON or `.xlsx`; {LISTED}",
    ),
    Rule(
        "GET",
        "/units/{id}/statistics",
        "附件5统计表",
        Scope.SUBTREE,
        {Target.UNIT: READERS},
        "JSON or `.xlsx`; counts over the whole cohort, members a page at a time (`members_offset`,"
        f" `members_limit` up to 5,000 or `all`); {LISTED.replace('member included', 'member listed')}",
    ),
    Rule("GET", "/units/{id}/lookback", "回头看", Scope.SUBTREE, {Target.UNIT: READERS}, LISTED),
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
        "the answer names row numbers and hashes only; the chain must extend every issued checkpoint",
    ),
    Rule(
        "POST",
        "/access-log/verify",
        "查阅日志链校验（含所持检查点）",
        Scope.LEDGER,
        {Target.NONE: AUDITORS},
        'optional body `{"checkpoint": <note>}`: a checkpoint the inspector kept must be extended too',
    ),
    Rule(
        "GET",
        "/access-log/checkpoint",
        "查阅日志检查点",
        Scope.LEDGER,
        {Target.NONE: AUDITORS},
        "text/plain C2SP signed note by the ledger key over the size and head hash; also kept",
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
        "`unit`). Each read of a member's data (stream, status, dossier, bundle, and each member a list, a",
        "register, the statistics or 回头看 include) is appended to the hash-chained access log",
        "(`GET /access-log`).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(render_markdown(), end="")
