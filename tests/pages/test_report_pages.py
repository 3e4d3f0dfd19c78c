"""The report pages through the ASGI app on both backends: 附件5 with its checks, the three registers,
回头看 by unit and by member, their .xlsx downloads, the unit picker, and refusals."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import load_workbook

from projections.reads import read_lookback, read_statistics
from tests.pages.conftest import HTML, Demo
from tests.pages.test_pages import COUNTY, system_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _county(demo: Demo) -> str:
    actor = demo.actor("ODL", COUNTY)
    demo.sign_in(actor)
    return str(actor["unit"])


def test_the_report_links_send_the_browser_to_the_callers_unit(demo: Demo) -> None:
    unit = _county(demo)
    for report, path in (
        ("statistics", "statistics"),
        ("registers", "registers/roster"),
        ("lookback", "lookback"),
    ):
        sent = demo.client.get(f"/ui/{report}", params={"as_of": "2025-06-30"}, follow_redirects=False)
        assert sent.status_code == 303
        assert sent.headers["location"] == f"/ui/units/{unit}/{path}?as_of=2025-06-30&basis=occurred"


def test_statistics_page_shows_the_table_and_marks_each_relation(demo: Demo) -> None:
    unit = _county(demo)
    page = demo.client.get(f"/ui/units/{unit}/statistics", params={"as_of": "2025-12-31"}, headers=HTML)
    assert page.status_code == 200
    expected = read_statistics(system_of(demo), unit, at=date(2025, 12, 31))
    text = page.text
    assert "与党组织失去联系党员规范管理和组织处置有关情况统计表" in text and "经查找取得联系的党员" in text
    for letter in "ABOWX":
        assert f'id="count-{letter}">{expected["counts"][letter]}<' in text
    assert len(re.findall(r'<tr class="check">', text)) == 7
    assert text.count("✓ 成立") == 7 and "✓ 全部成立" in text
    assert 'href="?as_of=2025-12-31&basis=occurred&format=xlsx"' in text
    download = demo.client.get(
        f"/ui/units/{unit}/statistics", params={"as_of": "2025-12-31", "format": "xlsx"}
    )
    assert download.status_code == 200 and download.headers["content-type"] == XLSX
    ws = load_workbook(io.BytesIO(download.content)).active
    assert ws is not None and ws["B7"].value == "A" and ws["B8"].value == expected["counts"]["A"]


def test_registers_page_has_three_tabs_and_downloads(demo: Demo) -> None:
    unit = _county(demo)
    for form, title in (("roster", "失联党员名册"), ("contacted", "经查找取得联系党员登记表"),
                        ("uncontactable", "经查找仍然无法取得联系党员登记表")):  # fmt: skip
        page = demo.client.get(f"/ui/units/{unit}/registers/{form}", headers=HTML)
        assert page.status_code == 200 and f'<h1 class="form-title">{title}</h1>' in page.text
        assert len(re.findall(r'id="tab-(roster|contacted|uncontactable)"', page.text)) == 3
        assert "填表说明" in page.text
        download = demo.client.get(f"/ui/units/{unit}/registers/{form}", params={"format": "xlsx"})
        ws = load_workbook(io.BytesIO(download.content)).active
        assert ws is not None and ws["A1"].value == title and ws["A3"].value == "姓名"
    roster = demo.client.get(f"/ui/units/{unit}/registers/roster", headers=HTML).text
    assert re.search(r'href="/ui/members/[0-9a-f-]{36}"', roster)


def test_lookback_page_by_unit_and_by_member(demo: Demo) -> None:
    unit = _county(demo)
    page = demo.client.get(f"/ui/units/{unit}/lookback", headers=HTML)
    assert page.status_code == 200 and 'id="by-unit"' in page.text and 'id="by-member"' in page.text
    report = read_lookback(system_of(demo), unit, at=date.today())
    for member in report["members"]:
        assert f'href="/ui/members/{member["member_id"]}"' in page.text
    findings = [f for m in report["members"] for f in m["findings"]]
    assert page.text.count('class="bad finding"') == len(findings)
    linked = [f for f in findings if f["hash"]]
    if linked:
        assert f"#h-{linked[0]['hash']}" in page.text


def test_report_pages_are_refused_outside_the_subtree_and_to_administrators(demo: Demo) -> None:
    county = demo.actor("ODL", COUNTY)["unit"]
    demo.sign_in(demo.actor("SEC"))
    refused = demo.client.get(f"/ui/units/{county}/statistics", headers=HTML)
    assert refused.status_code == 403 and "超出本单位管辖范围" in refused.text
    plain = demo.client.get(f"/ui/units/{county}/lookback")
    assert plain.status_code == 403 and plain.json()["type"] == "out-of-scope"
    demo.sign_in(demo.actor("ADM"))
    admin = demo.client.get(f"/ui/units/{county}/registers/roster")
    assert admin.status_code == 403 and admin.json()["type"] == "role-not-allowed"
    demo.client.cookies.clear()
    signed_out = demo.client.get(f"/ui/units/{county}/statistics", headers=HTML, follow_redirects=False)
    assert signed_out.status_code == 303 and "/ui/sign-in" in signed_out.headers["location"]
