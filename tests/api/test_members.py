"""Member reads over HTTP: the list of a subtree, status and dossier as of both bases, bundle, overdue."""

from __future__ import annotations

from typing import Any

from ledger.bundle import verify_bundle
from tests.api.conftest import assert_problem
from tests.api.story_served import StoryServed, story_served
from tests.domain.engine_world import U

__all__ = ["story_served"]


def _names(body: dict[str, Any]) -> list[str]:
    return [m["name"] for m in body["members"]]


def _log(ss: StoryServed) -> list[tuple[str, str]]:
    rows = ss.served.client.get("/access-log", headers=ss.headers("admin")).json()["rows"]
    return [(row["view"], row["member"]) for row in rows]


def test_members_lists_the_callers_subtree_filtered_and_paged(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    committee = ss.headers("孙波")  # 基层党委书记 of C1: all three members live below C1
    every = client.get("/members", headers=committee).json()
    assert every["unit"] == U["C1"] and every["total"] == 3
    assert sorted(_names(every)) == ["谢军", "赵磊", "黄海"]
    first = client.get("/members", params={"per_page": 2}, headers=committee).json()
    second = client.get("/members", params={"per_page": 2, "page": 2}, headers=committee).json()
    assert first["total"] == second["total"] == 3 and len(first["members"]) == 2
    assert _names(first) + _names(second) == _names(every)
    searching = client.get("/members", params={"state": "LOST_SEARCHING"}, headers=committee).json()
    assert _names(searching) == ["赵磊"]
    named = client.get("/members", params={"name": "谢"}, headers=committee).json()
    assert _names(named) == ["谢军"] and named["total"] == 1
    late = client.get("/members", params={"overdue": "true"}, headers=committee).json()
    assert "赵磊" in _names(late) and all(m["overdue"] for m in late["members"])
    branch = client.get("/members", params={"unit": U["B1"]}, headers=committee).json()
    assert branch["unit"] == U["B1"] and branch["total"] == 3

    other = ss.headers("宋青")  # C2's secretary: nobody of the story lives there
    assert client.get("/members", headers=other).json()["total"] == 0
    assert_problem(client.get("/members", params={"unit": U["C1"]}, headers=other), 403, "out-of-scope")
    assert_problem(client.get("/members", params={"unit": U["Dc"]}, headers=committee), 403, "out-of-scope")
    assert_problem(client.get("/members", params={"cause": 9}, headers=committee), 422, "validation")
    assert_problem(client.get("/members"), 401, "unauthenticated")


def test_status_as_of_both_bases(story_served: StoryServed) -> None:
    """Scenario 53: 黄海's P4.2 occurred 2025-02-05 but was recorded 2025-03-03."""
    ss, client = story_served, story_served.served.client
    url, headers = f"/members/{ss.story.huang.stream}/status", ss.headers("孙波")
    now = client.get(url, headers=headers).json()
    assert now["name"] == "黄海" and now["as_of"] is None and now["home"]["id"] == U["B1"]
    occurred = client.get(url, params={"as_of": "2025-02-28"}, headers=headers).json()
    recorded = client.get(url, params={"as_of": "2025-02-28", "basis": "recorded"}, headers=headers).json()
    assert (occurred["as_of"], occurred["basis"], recorded["basis"]) == ("2025-02-28", "occurred", "recorded")
    assert "P4.3" in {s["step"] for s in occurred["next_steps"]}
    assert "P4.2" in {s["step"] for s in recorded["next_steps"]}
    assert_problem(client.get(url, params={"as_of": "2020-01-01"}, headers=headers), 404, "not-found")
    assert_problem(client.get(url, params={"basis": "later"}, headers=headers), 422, "validation")
    assert_problem(client.get(url, headers=ss.headers("宋青")), 403, "out-of-scope")
    unit = f"/members/{U['B1']}/status"
    assert_problem(client.get(unit, headers=headers), 404, "not-found")


def _hashes(dossier: dict[str, Any]) -> set[str]:
    return {entry["hash"] for box in dossier["boxes"] for entry in box["entries"]}


def test_dossier_as_of_both_bases(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    url, headers = f"/members/{ss.story.huang.stream}/dossier", ss.headers("冯涛")  # 回头看审核人 of D
    whole = client.get(url, headers=headers).json()
    assert whole["title"] == "失联党员查找处置全程纪实表" and whole["basic"]["name"] == "黄海"
    assert whole["checkpoint"]["tree_size"] > 0
    occurred = client.get(url, params={"as_of": "2025-02-28"}, headers=headers).json()
    recorded = client.get(url, params={"as_of": "2025-02-28", "basis": "recorded"}, headers=headers).json()
    assert (occurred["as_of"], recorded["basis"]) == ("2025-02-28", "recorded")
    assert _hashes(recorded) < _hashes(occurred) <= _hashes(whole)
    late = _hashes(occurred) - _hashes(recorded)
    types = {e["type"] for box in occurred["boxes"] for e in box["entries"] if e["hash"] in late}
    assert types == {"PreReviewed"}
    assert_problem(client.get(url, headers=ss.headers("宋青")), 403, "out-of-scope")


def test_the_bundle_downloads_and_verifies_offline(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    key = client.get("/ledger/verifier-key").text.strip()
    response = client.get(f"/members/{ss.story.xie.stream}/bundle", headers=ss.headers("周明"))
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert f'filename="member-{ss.story.xie.stream}.bundle.json"' in response.headers["content-disposition"]
    bundle = response.json()
    report = verify_bundle(bundle, key)
    assert report.ok, report.failures
    assert {e["statement"]["stream"] for e in bundle["entries"]} >= {ss.story.xie.stream}
    bundle["entries"][0]["statement"]["occurred_at"] = "2000-01-01"
    assert not verify_bundle(bundle, key).ok


def test_overdue_items_of_the_subtree_most_overdue_first(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    body = client.get("/overdue", headers=ss.headers("孙波")).json()
    assert body["today"] == "2026-03-14" and body["total"] == len(body["items"]) >= 2
    found = {(item["name"], item["code"]) for item in body["items"]}
    assert {("谢军", "announcement-due"), ("赵磊", "search-stale")} <= found
    dues = [item["due"] for item in body["items"]]
    assert dues == sorted(dues) and all(item["days_overdue"] > 0 for item in body["items"])
    paged = client.get("/overdue", params={"per_page": 1, "page": 2}, headers=ss.headers("孙波")).json()
    assert paged["items"] == body["items"][1:2]
    assert client.get("/overdue", headers=ss.headers("宋青")).json()["total"] == 0
    refused = client.get("/overdue", params={"unit": U["C1"]}, headers=ss.headers("宋青"))
    assert_problem(refused, 403, "out-of-scope")


def test_member_reads_are_written_to_the_access_log(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    xie, headers = ss.story.xie.stream, ss.headers("周明")
    for view in ("status", "dossier", "bundle"):
        assert client.get(f"/members/{xie}/{view}", headers=headers).status_code == 200
    assert _log(ss) == [("status", xie), ("dossier", xie), ("bundle", xie)]
    client.get(f"/members/{xie}/status", headers=ss.headers("宋青"))  # refused: not logged
    page = client.get("/members", params={"per_page": 2}, headers=headers).json()
    logged = _log(ss)[3:]
    assert logged == [("members", m["member_id"]) for m in page["members"]]
    client.get("/members", params={"name": "无此人"}, headers=headers)
    assert len(_log(ss)) == 5
    client.get("/overdue", headers=headers)
    assert {view for view, _ in _log(ss)[5:]} == {"overdue"} and len(_log(ss)) > 5
    verified = client.get("/access-log/verify", headers=ss.headers("admin")).json()
    assert verified["ok"] and verified["rows"] == len(_log(ss))
