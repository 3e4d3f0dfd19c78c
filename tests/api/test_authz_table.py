"""The whole authorisation table walked: every endpoint × every role × in-scope and out-of-scope targets.

Expected outcomes come from ``api.authz_table`` itself: a role the rule does not allow on the target's
kind is refused with 403 ``role-not-allowed``; an allowed role on a target outside its unit's subtree with
403 ``out-of-scope``; an allowed role in scope passes authorisation (writes are then judged by the
ledger: they are signed on a stale head here, so nothing is written). Runs on both backends.

Each role signs in once for the walk (its token stays valid: the test clock does not move), and Chromium
prints each distinct dossier page once: the PDF does not depend on who asks, only the authorisation does.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from api.authz_table import ROLES, RULES, Rule, Scope, Target, render_markdown
from api.pdf import html_to_pdf
from tests.api.authz_world import AuthzWorld, build
from tests.api.conftest import Served

AUTHZ_CODES = {"role-not-allowed", "out-of-scope"}
TALLY: Counter[str] = Counter()


def _write_cases(rule: Rule) -> list[tuple[Target, str, str, Callable[[dict[str, str]], dict[str, Any]]]]:
    """(kind, statement type, which target names the stream or "new", body builder) for a write endpoint."""
    every = [
        (Target.MEMBER, "ParticipationRecorded", "member", lambda t: {"kind": "dues", "period": "2026-01"}),
        (Target.MEMBER, "MemberRegistered", "new", lambda t: {"name": "新党员", "home": t["branch"]}),
        (Target.UNIT, "UnitDissolved", "unit", lambda t: {}),
        (
            Target.UNIT,
            "UnitRegistered",
            "new",
            lambda t: {"name": "新支部", "kind": "branch", "parent": t["unit"]},
        ),
        (Target.ACTOR, "KeyRevoked", "actor", lambda t: {"actor": t["actor"], "key_id": "0" * 16}),
        (
            Target.ACTOR,
            "ActorRegistered",
            "new",
            lambda t: {"name": "新人员", "unit": t["unit"], "roles": ["BST"]},
        ),
    ]
    only = {
        "/units/{id}/registration": {"UnitRegistered"},
        "/actors/{id}/registration": {"ActorRegistered"},
        "/actors/{id}/keys": {"KeyRevoked"},
        "/members/{id}/registration": {"MemberRegistered"},
    }.get(rule.path)
    return [case for case in every if only is None or case[1] in only]


def _expect(rule: Rule, role: str, kind: Target, inside: bool) -> str | None:
    if role not in rule.allowed(kind):
        return "role-not-allowed"
    return None if inside else "out-of-scope"


def _check(response: Any, expected: str | None, what: str, failures: list[str]) -> None:
    TALLY[expected or "allowed"] += 1
    problem = response.json() if response.headers.get("content-type") == "application/problem+json" else {}
    got = problem.get("type")
    if expected is None:
        if got in AUTHZ_CODES or (response.status_code == 401 and got == "unauthenticated"):
            failures.append(f"{what}: expected to pass, got {response.status_code} {got}")
    elif response.status_code != 403 or got != expected:
        failures.append(f"{what}: expected 403 {expected}, got {response.status_code} {got}")


def _filter(kind: Target, targets: dict[str, str]) -> dict[str, str]:
    """The query naming the target of an endpoint without ``{id}``: a member, or a unit filter."""
    if kind is Target.MEMBER:
        return {"member": targets["member"]}
    return {"unit": targets["unit"]} if kind is Target.UNIT else {}


def _walk_read(
    served: Served, aw: AuthzWorld, rule: Rule, failures: list[str], tokens: dict[str, dict[str, str]]
) -> int:
    calls = 0
    kinds = [k for k in (Target.MEMBER, Target.UNIT, Target.ACTOR) if "{id}" in rule.path and k in rule.roles]
    if rule.path == "/access-log":
        kinds = [Target.NONE, Target.MEMBER]
    if rule.path in ("/access-log/verify", "/access-log/checkpoint"):
        kinds = [Target.NONE]
    if rule.path in ("/members", "/overdue"):
        kinds = [Target.NONE, Target.UNIT]  # the UNIT target is the `unit` filter
    for role in ROLES:
        if role not in tokens:
            tokens[role] = served.sign_in(aw.actors[role])
        headers = tokens[role]
        for kind in kinds:
            for inside in (
                (True, False) if rule.scope is Scope.SUBTREE and kind is not Target.NONE else (True,)
            ):
                targets = aw.inside(role) if inside else aw.outside()
                if "{id}" in rule.path:
                    url, params = (
                        rule.path.replace("{id}", targets[kind.value]).replace("{form}", "roster"),
                        {},
                    )
                else:
                    url, params = rule.path, _filter(kind, targets)
                response = served.client.request(rule.method, url, params=params, headers=headers)
                _check(
                    response,
                    _expect(rule, role, kind, inside),
                    f"{rule.key} {role} {kind} in={inside}",
                    failures,
                )
                if _expect(rule, role, kind, inside) is None and response.status_code != 200:
                    failures.append(f"{rule.key} {role} {kind}: {response.status_code} {response.text[:120]}")
                calls += 1
    return calls


def _walk_write(
    served: Served, aw: AuthzWorld, rule: Rule, failures: list[str], tokens: dict[str, dict[str, str]]
) -> int:
    calls = 0
    world = aw.world
    for role in ROLES:
        actor = aw.actors[role]
        for kind, type_, stream_of, body_of in _write_cases(rule):
            for inside in (True, False):
                targets = aw.inside(role) if inside else aw.outside()
                stream = str(uuid.uuid4()) if stream_of == "new" else targets[stream_of]
                # seq 2 on a fresh stream / seq 1 on a begun one: a stale head, so nothing is ever written.
                seq = 2 if stream_of == "new" else 1
                statement, signature = world.statement(
                    stream, type_, body_of(targets), actor, seq=seq, prev="0" * 64
                )
                item = {"statement": statement, "signature": signature}
                url = rule.path.replace("{id}", stream)
                response = served.client.post(url, json={"items": [item]} if "batch" in url else item)
                what = f"{rule.key} {role} {type_} in={inside}"
                _check(response, _expect(rule, role, kind, inside), what, failures)
                calls += 1
    return calls


def test_the_whole_table_is_walked_for_every_role(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    aw = build(served.world)
    printed = cache(html_to_pdf)  # the real Chromium, once per distinct page
    monkeypatch.setattr("api.routes.members.html_to_pdf", printed)
    TALLY.clear()
    failures: list[str] = []
    tokens: dict[str, dict[str, str]] = {}
    walked = set()
    for rule in RULES:
        if rule.scope is Scope.PUBLIC:
            continue
        reads = rule.method == "GET" or rule.path == "/access-log/verify"  # POST: an optional note
        calls = (_walk_read if reads else _walk_write)(served, aw, rule, failures, tokens)
        assert calls >= len(ROLES), rule.key
        walked.add(rule.key)
    assert not failures, "\n".join(failures[:40])
    assert min(TALLY[o] for o in ("allowed", "role-not-allowed", "out-of-scope")) >= 40, TALLY
    assert walked == {r.key for r in RULES if r.scope is not Scope.PUBLIC}
    assert printed.cache_info().currsize >= 1  # the allowed PDF reads were printed for real


def test_public_endpoints_need_no_token(served: Served) -> None:
    served.world.system.bring_log_up_to_date()
    calls = {
        "POST /auth/challenge": lambda: served.client.post(
            "/auth/challenge", json={"actor": served.world.admin.id, "key": "0" * 16}
        ),
        "POST /auth/token": lambda: served.client.post(
            "/auth/token",
            json={"actor": served.world.admin.id, "key": "0" * 16, "nonce": "AA", "signature": "AA"},
        ),
        "GET /ledger/proof/inclusion": lambda: served.client.get(
            "/ledger/proof/inclusion", params={"tree_size": 1, "position": 0}
        ),
        "GET /ledger/proof/consistency": lambda: served.client.get(
            "/ledger/proof/consistency", params={"first": 1, "second": 1}
        ),
        "GET /ledger/leaves": lambda: served.client.get("/ledger/leaves", params={"start": 0, "end": 1}),
    }
    for rule in RULES:
        if rule.scope is Scope.PUBLIC:
            response = calls.get(rule.key, lambda r=rule: served.client.get(r.path))()
            assert response.status_code not in (401, 403) or response.json()["type"] == "bad-nonce", rule.key


def test_every_route_has_a_rule_and_every_rule_a_route(served: Served) -> None:
    paths = served.client.get("/openapi.json").json()["paths"]
    routes = {f"{method.upper()} {path}" for path, item in paths.items() for method in item}
    assert routes == {rule.key for rule in RULES}


def test_the_committed_table_equals_the_rendered_one() -> None:
    committed = Path(__file__).resolve().parents[2] / "docs" / "authorization.md"
    assert committed.read_text(encoding="utf-8") == render_markdown()
