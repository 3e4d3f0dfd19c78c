"""Every page through the ASGI app on both backends: what it shows, and every refusal (no session, a role
that may not read members, a unit or member outside the caller's subtree), as HTML for a browser and as
problem documents for other clients."""

from __future__ import annotations

import re
from typing import Any

from api import accesslog
from ledger.system import LedgerSystem
from projections.registry import catch_up_all
from projections.status_read import list_status
from tests.pages.conftest import HTML, MEMBERS, Demo

COUNTY = "演示县委组织部"


def system_of(demo: Demo) -> LedgerSystem:
    system: LedgerSystem = demo.client.app.state.system  # type: ignore[attr-defined]
    return system


def members(demo: Demo) -> list[dict[str, Any]]:
    system = system_of(demo)
    catch_up_all(system)
    rows: list[dict[str, Any]] = list_status(system, per_page=1000)["members"]
    return rows


def test_sign_in_page_lists_demo_actors_and_loads_the_script(demo: Demo) -> None:
    demo.client.cookies.clear()
    page = demo.client.get("/ui/sign-in", headers=HTML)
    assert page.status_code == 200
    assert "签名登录" in page.text and "/ui/static/signin.js" in page.text
    assert demo.actor("ODL")["actor"] in page.text
    script = demo.client.get("/ui/static/signin.js")
    assert (
        script.status_code == 200 and "importKey" in script.text and "dangyuan-ledger/auth/v1" in script.text
    )


def test_session_cookie_is_http_only_and_scoped(demo: Demo) -> None:
    demo.client.cookies.clear()
    bad = demo.client.post("/ui/session", json={"token": "not.a.token"})
    assert bad.status_code == 401 and bad.json()["type"] == "bad-token"
    ok = demo.client.post("/ui/session", json={"token": demo.token(demo.actor("ODL", COUNTY))})
    cookie = ok.headers["set-cookie"].lower()
    assert ok.status_code == 204
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/ui" in cookie
    ended = demo.client.post("/ui/session/end", follow_redirects=False)
    assert ended.status_code == 303 and 'ledger_session=""' in ended.headers["set-cookie"]


def test_no_session_sends_a_browser_to_sign_in_and_others_get_401(demo: Demo) -> None:
    demo.client.cookies.clear()
    page = demo.client.get("/ui/members?state=NORMAL", headers=HTML, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/ui/sign-in?next=/ui/members")
    plain = demo.client.get("/ui/members")
    assert plain.status_code == 401 and plain.json()["type"] == "unauthenticated"


def test_members_page_lists_counts_and_filters(demo: Demo) -> None:
    demo.sign_in(demo.actor("ODL", COUNTY))
    page = demo.client.get("/ui/members", headers=HTML)
    assert page.status_code == 200
    assert re.search(r'id="total">(\d+)<', page.text).group(1) == str(MEMBERS)  # type: ignore[union-attr]
    rows = members(demo)
    states: dict[str, int] = {}
    for row in rows:
        states[row["state"]] = states.get(row["state"], 0) + 1
    state, count = max(states.items(), key=lambda item: item[1])
    filtered = demo.client.get("/ui/members", params={"state": state}, headers=HTML)
    assert re.search(r'id="total">(\d+)<', filtered.text).group(1) == str(count)  # type: ignore[union-attr]
    assert len(re.findall(r'href="/ui/members/[0-9a-f-]{36}"', filtered.text)) == count
    cause = next(r["cause"] for r in rows if r["cause"])
    by_cause = demo.client.get("/ui/members", params={"cause": cause}, headers=HTML)
    expected = sum(1 for r in rows if r["cause"] == cause)
    assert re.search(r'id="total">(\d+)<', by_cause.text).group(1) == str(expected)  # type: ignore[union-attr]
    overdue = demo.client.get("/ui/members", params={"overdue": "yes"}, headers=HTML)
    assert overdue.status_code == 200
    someone = rows[0]["name"]
    by_name = demo.client.get("/ui/members", params={"name": someone[1:]}, headers=HTML)
    expected_names = sum(1 for r in rows if someone[1:] in r["name"])
    assert re.search(r'id="total">(\d+)<', by_name.text).group(1) == str(expected_names)  # type: ignore[union-attr]
    assert someone in by_name.text


def test_branch_secretary_sees_only_its_branch_and_is_refused_other_units(demo: Demo) -> None:
    secretary = demo.actor("SEC")
    demo.sign_in(secretary)
    page = demo.client.get("/ui/members", headers=HTML)
    rows = members(demo)
    own = [r for r in rows if r["home"]["id"] == secretary["unit"]]
    assert re.search(r'id="total">(\d+)<', page.text).group(1) == str(len(own))  # type: ignore[union-attr]
    county = demo.actor("ODL", COUNTY)["unit"]
    refused = demo.client.get("/ui/members", params={"unit": county})
    assert refused.status_code == 403 and refused.json()["type"] == "out-of-scope"
    html = demo.client.get("/ui/members", params={"unit": county}, headers=HTML)
    assert html.status_code == 403 and "超出本单位管辖范围" in html.text
    other = next(r for r in rows if r["home"]["id"] != secretary["unit"])
    file = demo.client.get(f"/ui/members/{other['member_id']}")
    assert file.status_code == 403 and file.json()["type"] == "out-of-scope"


def test_administrator_may_not_read_members(demo: Demo) -> None:
    demo.sign_in(demo.actor("ADM"))
    listing = demo.client.get("/ui/members")
    assert listing.status_code == 403 and listing.json()["type"] == "role-not-allowed"
    member = members(demo)[0]["member_id"]
    file = demo.client.get(f"/ui/members/{member}", headers=HTML)
    assert file.status_code == 403 and "角色无权使用此功能" in file.text


def test_member_file_shows_the_form_and_every_statement_and_logs_the_read(demo: Demo) -> None:
    demo.sign_in(demo.actor("ODL", COUNTY))
    row = next(r for r in members(demo) if r["case_no"] and not r["case_open"])
    system = system_of(demo)
    stream = system.ledger.read_stream(row["member_id"])
    before = len(accesslog.rows(system.log, member=row["member_id"]))
    page = demo.client.get(f"/ui/members/{row['member_id']}", headers=HTML)
    assert page.status_code == 200
    text = page.text
    for label in (
        "失联党员查找处置全程纪实表",
        "党组织查找情况记录",
        "支委会初步处置意见",
        "支部党员大会决议",
        "证明人签字",
    ):
        assert label in text
    assert "此表一式四份" in text and row["name"] in text
    assert len(re.findall(r'<li id="h-[0-9a-f]{64}"', text)) == len(stream)
    assert "签名✓" in text and "链✓" in text
    assert len(accesslog.rows(system.log, member=row["member_id"])) == before + 1


def test_as_of_date_and_basis_narrow_the_timeline(demo: Demo) -> None:
    demo.sign_in(demo.actor("ODL", COUNTY))
    row = next(r for r in members(demo) if r["case_no"] and not r["case_open"])
    records = system_of(demo).ledger.read_stream(row["member_id"])
    cut = records[len(records) // 2].statement["occurred_at"]
    now = demo.client.get(f"/ui/members/{row['member_id']}", headers=HTML).text
    past = demo.client.get(
        f"/ui/members/{row['member_id']}", params={"at": cut, "basis": "occurred"}, headers=HTML
    )
    assert past.status_code == 200 and f"截至 {cut}" in past.text
    count = len(re.findall(r'<li id="h-', past.text))
    assert 0 < count < len(re.findall(r'<li id="h-', now))
    recorded = demo.client.get(
        f"/ui/members/{row['member_id']}", params={"at": cut, "basis": "recorded"}, headers=HTML
    )
    assert recorded.status_code == 200 and "按入账日期" in recorded.text
    bad = demo.client.get(f"/ui/members/{row['member_id']}", params={"basis": "whenever"})
    assert bad.status_code == 422 and bad.json()["type"] == "validation"


def test_print_view_has_the_form_without_the_timeline(demo: Demo) -> None:
    demo.sign_in(demo.actor("ODL", COUNTY))
    row = members(demo)[0]
    page = demo.client.get(f"/ui/members/{row['member_id']}", params={"print": "1"}, headers=HTML)
    assert page.status_code == 200 and "print-view" in page.text
    assert 'id="timeline"' not in page.text and "失联党员查找处置全程纪实表" in page.text


def test_ledger_page_checks_an_older_checkpoint(demo: Demo) -> None:
    demo.client.cookies.clear()
    system = system_of(demo)
    system.bring_log_up_to_date()
    page = demo.client.get("/ui/ledger", headers=HTML)
    assert page.status_code == 200
    latest = system.log.latest_checkpoint()
    assert latest is not None and f'id="checkpoint-size">{latest.tree_size}<' in page.text
    older = system.log.checkpoints()[0].note
    checked = demo.client.get("/ui/ledger", params={"checkpoint": older}, headers=HTML)
    assert "✓ 一致" in checked.text and "一致性证明" in checked.text
    lines = older.split("\n")
    lines[1] = str(int(lines[1]) + 1)  # a forged size: the signature no longer verifies
    forged = demo.client.get("/ui/ledger", params={"checkpoint": "\n".join(lines)}, headers=HTML)
    assert "✗ 不通过" in forged.text


def test_unknown_member_is_not_found(demo: Demo) -> None:
    demo.sign_in(demo.actor("ODL", COUNTY))
    missing = demo.client.get("/ui/members/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404


def test_ledger_page_shows_the_last_verification_run(demo: Demo) -> None:
    from ledger.verify import verify_ledger
    from ledger.verifyruns import record_run

    demo.client.cookies.clear()
    system = system_of(demo)
    assert "尚未运行" in demo.client.get("/ui/ledger", headers=HTML).text
    system.bring_log_up_to_date()
    report = verify_ledger(
        system.ledger, system.log, ledger_public_key=system.ledger.ledger_public_key, workers=1
    )
    run = record_run(system.log, report)
    page = demo.client.get("/ui/ledger", headers=HTML).text
    assert run.run_at in page and "✓ 全部通过" in page and f"{report.statements} 条记录" in page
