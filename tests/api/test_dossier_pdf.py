"""The 全程纪实表 as PDF over HTTP on both backends: printed by headless Chromium with the CJK font.

Text is checked with ``pdftotext`` when it is installed; otherwise the PDF must be a few KB and embed a
Noto CJK font. Without Chromium the read is refused with 503 ``pdf-unavailable`` (tested by hiding it).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from api import pdf
from tests.api.conftest import assert_problem
from tests.api.story_served import StoryServed, story_served
from tests.pages.test_browser import require_chromium

__all__ = ["story_served"]


def _log(ss: StoryServed) -> list[tuple[str, str]]:
    rows = ss.served.client.get("/access-log", headers=ss.headers("admin")).json()["rows"]
    return [(row["view"], row["member"]) for row in rows]


@pytest.mark.browser
def test_the_dossier_prints_to_pdf_with_the_cjk_font(story_served: StoryServed, tmp_path: object) -> None:
    require_chromium()
    ss, client = story_served, story_served.served.client
    xie = ss.story.xie.stream
    url = f"/members/{xie}/dossier.pdf"
    response = client.get(url, params={"as_of": "2024-06-30"}, headers=ss.headers("周明"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="dossier-{xie}_2024-06-30.pdf"' in response.headers["content-disposition"]
    content = response.content
    assert content.startswith(b"%PDF") and len(content) > 20_000
    assert b"NotoSansCJK" in content or b"NotoSerifCJK" in content
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
        assert "失联党员查找处置全程纪实表" in text.decode() and "谢军" in text.decode()
    assert _log(ss) == [("dossier-pdf", xie)]
    assert_problem(client.get(url, headers=ss.headers("宋青")), 403, "out-of-scope")
    assert_problem(client.get(url), 401, "unauthenticated")


def test_without_chromium_the_pdf_is_refused_with_503(
    story_served: StoryServed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "CHROMIUM", ())
    monkeypatch.setenv("LEDGER_CHROMIUM", "")
    ss = story_served
    response = ss.served.client.get(f"/members/{ss.story.xie.stream}/dossier.pdf", headers=ss.headers("周明"))
    body = assert_problem(response, 503, "pdf-unavailable")
    assert "make chromium" in body["detail"] and body["title"] == "暂时无法生成PDF"
