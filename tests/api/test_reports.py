"""Unit reports over HTTP on both backends: registers, 附件5 and 回头看 as JSON and .xlsx, refusals, access log."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

from openpyxl import load_workbook

from tests.api.conftest import assert_problem
from tests.api.story_served import StoryServed, story_served
from tests.domain.engine_world import U

__all__ = ["story_served"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _log(ss: StoryServed) -> list[tuple[str, str]]:
    rows = ss.served.client.get("/access-log", headers=ss.headers("admin")).json()["rows"]
    return [(row["view"], row["member"]) for row in rows]


def _sheet(response: Any) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    return load_workbook(io.BytesIO(response.content)).active


def _filename(response: Any) -> str:
    header = response.headers["content-disposition"]
    assert header.startswith("attachment; filename=")
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def test_registers_as_json_and_xlsx(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    headers = ss.headers("孙波")  # 党委书记 of C1
    roster = client.get(f"/units/{U['C1']}/registers/roster", headers=headers).json()
    assert roster["title"] == "失联党员名册" and roster["填表日期"] == "2026-03-14"
    assert roster["unit"] == {"id": U["C1"], "name": "C1"} and roster["basis"] == "occurred"
    assert sorted(r["姓名"] for r in roster["rows"]) == ["谢军", "赵磊", "黄海"]
    assert roster["columns"][0] == "姓名" and roster["notes"][0].startswith("1.")
    gone = client.get(f"/units/{U['B1']}/registers/uncontactable", headers=headers).json()
    assert [r["姓名"] for r in gone["rows"]] == ["赵磊"] and "联系电话" not in gone["columns"]
    earlier = client.get(
        f"/units/{U['C1']}/registers/roster", params={"as_of": "2023-01-01"}, headers=headers
    ).json()
    assert earlier["填表日期"] == "2023-01-01" and earlier["rows"] == []
    found = client.get(f"/units/{U['C1']}/registers/contacted", params={"format": "xlsx"}, headers=headers)
    ws = _sheet(found)
    assert (
        ws["A1"].value == "经查找取得联系党员登记表"
        and ws["A3"].value == "姓名"
        and ws["L3"].value == "联系电话"
    )
    assert _filename(found) == "经查找取得联系党员登记表_2026-03-14.xlsx"
    assert 'filename="register-contacted-2026-03-14.xlsx"' in found.headers["content-disposition"]
    assert_problem(client.get(f"/units/{U['C1']}/registers/other", headers=headers), 422, "validation")


def test_statistics_with_identity_checks_as_json_and_xlsx(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    url, headers = f"/units/{U['C1']}/statistics", ss.headers("冯涛")  # 回头看审核人 of D
    table = client.get(url, headers=headers).json()
    assert table["title"] == "与党组织失去联系党员规范管理和组织处置有关情况统计表"
    assert table["统计时间"] == "2026-03-14" and set(table["counts"]) == set("ABCDEFGHIJKLMNOPQRSTUVWX")
    counts = table["counts"]
    assert (counts["A"], counts["B"], counts["I"], counts["O"], counts["W"]) == (3, 2, 1, 1, 1)
    assert table["ok"] and table["violations"] == []
    assert [c["rule"] for c in table["checks"]][:2] == ["A=B+O+X", "B=C+G+M+N"]
    assert all(c["holds"] and c["left"] >= 0 for c in table["checks"]) and len(table["checks"]) == 7
    assert {m["name"]: m["leaf"] for m in table["members"]}["谢军"] == "I"
    recorded = client.get(url, params={"as_of": "2024-01-01", "basis": "recorded"}, headers=headers).json()
    assert recorded["basis"] == "recorded" and recorded["counts"]["I"] == 0
    download = client.get(url, params={"format": "xlsx"}, headers=headers)
    ws = _sheet(download)
    assert ws["A1"].value == table["title"] and ws["B7"].value == "A" and ws["B8"].value == 3
    assert ws["J8"].value == counts["I"] and ws["A8"].value.startswith("2026-03-14")
    assert _filename(download) == f"{table['title']}_2026-03-14.xlsx"
    assert_problem(client.get(url, params={"campaign": "none-such"}, headers=headers), 404, "not-found")
    assert_problem(client.get(url, params={"format": "pdf"}, headers=headers), 422, "validation")


def test_lookback_findings_per_member(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    url, headers = f"/units/{U['D']}/lookback", ss.headers("冯涛")
    report = client.get(url, headers=headers).json()
    assert report["title"] == "回头看" and report["as_of"] == "2026-03-14"
    xie = next(m for m in report["members"] if m["name"] == "谢军")
    assert xie["home_name"] == "B1" and xie["disposed"][0]["path"] == "P6"
    assert all(f["label"] for m in report["members"] for f in m["findings"])
    assert sum(c["count"] for c in report["by_code"]) == sum(len(m["findings"]) for m in report["members"])
    ws = _sheet(client.get(url, params={"format": "xlsx"}, headers=headers))
    assert ws["A1"].value == "回头看发现问题清单" and ws["A3"].value == "姓名" and ws["F3"].value == "问题"


def test_reports_are_refused_outside_the_table(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    other = ss.headers("宋青")  # C2's secretary
    for path in ("registers/roster", "statistics", "lookback"):
        assert_problem(client.get(f"/units/{U['C1']}/{path}", headers=other), 403, "out-of-scope")
        assert_problem(
            client.get(f"/units/{U['C1']}/{path}", headers=ss.headers("admin")), 403, "role-not-allowed"
        )
        assert_problem(client.get(f"/units/{U['C1']}/{path}"), 401, "unauthenticated")
        missing = f"/units/{'0' * 8}-0000-4000-8000-{'0' * 12}/{path}"
        assert_problem(client.get(missing, headers=other), 404, "not-found")
    assert client.get(f"/units/{U['C2']}/statistics", headers=other).json()["counts"]["A"] == 0


def test_each_member_a_report_includes_is_access_logged(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    headers = ss.headers("孙波")
    roster = client.get(f"/units/{U['C1']}/registers/roster", headers=headers).json()
    assert _log(ss) == [("registers", r["member_id"]) for r in roster["rows"]]
    table = client.get(f"/units/{U['C1']}/statistics", params={"format": "xlsx"}, headers=headers)
    assert table.status_code == 200
    assert [view for view, _ in _log(ss)[3:]] == ["statistics"] * 3
    report = client.get(f"/units/{U['C1']}/lookback", headers=headers).json()
    assert _log(ss)[6:] == [("lookback", m["member_id"]) for m in report["members"]]
    client.get(f"/units/{U['C1']}/statistics", headers=ss.headers("宋青"))  # refused: not logged
    assert len(_log(ss)) == 6 + len(report["members"])
    assert client.get("/access-log/verify", headers=ss.headers("admin")).json()["ok"]


def test_statistics_list_a_page_of_the_cohort_and_all_on_request(story_served: StoryServed) -> None:
    ss, client = story_served, story_served.served.client
    url, headers = f"/units/{U['C1']}/statistics", ss.headers("孙波")
    whole = client.get(url, params={"members_limit": "all"}, headers=headers).json()
    everyone = [m["member_id"] for m in whole["members"]]
    assert whole["members_total"] == len(everyone) == whole["counts"]["A"] == 3
    assert whole["members_offset"] == 0 and whole["members_limit"] is None
    default = client.get(url, headers=headers).json()
    assert default["members_limit"] == 500 and default["members"] == whole["members"]
    pages = [client.get(url, params={"members_offset": n, "members_limit": 2}, headers=headers).json()
             for n in (0, 2)]  # fmt: skip
    assert [m["member_id"] for p in pages for m in p["members"]] == everyone
    assert all(p["counts"] == whole["counts"] and p["members_total"] == 3 for p in pages)
    assert all(p["checks"] == whole["checks"] for p in pages)
    counts_only = client.get(url, params={"members_limit": 0}, headers=headers).json()
    assert counts_only["members"] == [] and counts_only["counts"] == whole["counts"]
    recorded = client.get(url, params={"basis": "recorded", "members_offset": 1, "members_limit": 1},
                          headers=headers).json()  # fmt: skip
    assert recorded["members_total"] == 3 and len(recorded["members"]) == 1
    for bad in ({"members_limit": "some"}, {"members_limit": 5001}, {"members_offset": -1}):
        assert_problem(client.get(url, params=bad, headers=headers), 422, "validation")
    before = len(_log(ss))
    client.get(url, params={"members_offset": 2, "members_limit": 1}, headers=headers)
    assert _log(ss)[before:] == [("statistics", everyone[2])]  # only the member listed is logged
