"""The pages in a real browser: Playwright drives Debian's Chromium against `ledger serve` over a demo ledger.

Signs in with a key file (WebCrypto Ed25519 in the page), opens a member's file, changes the as-of date
and basis, takes the print view, opens the 附件5 statistics page for a date and checks its .xlsx download
with openpyxl, opens the registers and 回头看, checks an older checkpoint on the ledger page; no page logs
a console error. Screenshots (and the print view as PDF) are saved under ``tests/artifacts/pages/`` for review.
Under ``CI=true`` a missing Chromium fails the run (``make test`` installs it); elsewhere it skips.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "pages"
LEDGER = str(Path(sys.executable).with_name("ledger"))
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DISPOSED = (
    "REMOVED_LAPSED",
    "REMOVED_ADVISED",
    "REMOVED_WITHDRAWN",
    "PROBATION_CANCELLED",
    "SUSPENDED_UNCONTACTABLE",
)
"""States reached through a committee opinion (box 13), in the order the test prefers them."""
pytestmark = pytest.mark.browser


def require_chromium() -> None:
    """Fail under CI, skip elsewhere, when Chromium or Playwright is missing."""
    problem = None
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        problem = f"Chromium is not installed at {CHROMIUM}: run `make chromium` (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "the playwright package is missing: pip install -e '.[dev]'"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(problem)
    pytest.skip(problem)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A demo ledger on SQLite served by `ledger serve` on a free loopback port; (base URL, keystore index)."""
    require_chromium()
    tmp = tmp_path_factory.mktemp("browser")
    env = {
        **os.environ,
        "LEDGER_HOME": str(tmp / "home"),
        "LEDGER_DATABASE_URL": f"sqlite:///{tmp / 'l.sqlite'}",
    }
    env.pop("LEDGER_CIPHER_KEY", None)
    subprocess.run(
        [LEDGER, "demo", "--members", "40", "--seed", "6"], env=env, check=True, capture_output=True
    )
    index = json.loads((tmp / "home" / "demo-keys" / "index.json").read_text(encoding="utf-8"))
    port = free_port()
    log = (tmp / "serve.log").open("w")
    process = subprocess.Popen(
        [LEDGER, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp / "serve.log").read_text()) from None
                time.sleep(0.2)
        yield base, index
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_sign_in_open_a_file_change_the_date_print_statistics_and_check_the_ledger(
    server: tuple[str, list[dict[str, Any]]],
) -> None:
    from openpyxl import load_workbook
    from playwright.sync_api import expect, sync_playwright

    base, index = server
    actor = next(a for a in index if "ODL" in a["roles"] and a["unit_name"] == "演示县委组织部")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))

        page.goto(f"{base}/ui/members")
        expect(page).to_have_url(f"{base}/ui/sign-in?next=/ui/members")
        page.select_option("#demo-actor", actor["actor"])
        expect(page.locator("#actor")).to_have_value(actor["actor"])
        page.set_input_files("#key-file", actor["key"])
        page.screenshot(path=str(ARTIFACTS / "01-sign-in.png"))
        page.click("button:has-text('签名登录')")
        page.wait_for_url(f"{base}/ui/members")
        expect(page.locator("#total")).to_have_text("40")
        page.screenshot(path=str(ARTIFACTS / "02-members.png"), full_page=True)

        counted = page.locator(".counts a").evaluate_all("links => links.map(a => a.href)")
        state = next(s for s in DISPOSED if any(f"state={s}&" in href for href in counted))
        page.select_option("select[name=state]", state)
        page.click("#filters button[type=submit]")
        page.wait_for_url(f"**state={state}**")
        page.locator("#members tbody a").first.click()
        page.wait_for_url("**/ui/members/*")
        expect(page.locator("h1.form-title")).to_have_text("失联党员查找处置全程纪实表")
        entries = page.locator("#timeline li").count()
        assert entries > 5
        page.screenshot(path=str(ARTIFACTS / "03-member-file.png"), full_page=True)

        first_case_day = page.locator("#box-13 .seal").first.inner_text().split()[-1]
        page.fill("#at", first_case_day)
        page.check("input[name=basis][value=recorded]")
        page.click("#asof button[type=submit]")
        page.wait_for_url(f"**at={first_case_day}&basis=recorded")
        expect(page.locator(".unit-line .asof")).to_contain_text(first_case_day)
        assert 0 < page.locator("#timeline li").count() < entries
        page.screenshot(path=str(ARTIFACTS / "04-member-file-as-of.png"), full_page=True)

        page.click("#print-link")
        page.wait_for_url("**print=1")
        assert page.locator("#timeline").count() == 0
        page.emulate_media(media="print")
        page.screenshot(path=str(ARTIFACTS / "05-print-view.png"), full_page=True)
        page.pdf(path=str(ARTIFACTS / "05-print-view.pdf"), format="A4")
        page.emulate_media(media="screen")

        page.goto(f"{base}/ui/members")
        page.click("header.top a:has-text('统计表')")
        page.wait_for_url(f"**/ui/units/{actor['unit']}/statistics*")
        expect(page.locator("h1.form-title")).to_have_text(
            "与党组织失去联系党员规范管理和组织处置有关情况统计表"
        )
        page.fill("#as-of", "2025-12-31")
        page.click("#filters button[type=submit]")
        page.wait_for_url("**statistics?as_of=2025-12-31&basis=occurred")
        total = int(page.locator("#count-A").inner_text())
        expect(page.locator("#checks .check")).to_have_count(7)
        page.screenshot(path=str(ARTIFACTS / "06-statistics.png"), full_page=True)
        with page.expect_download() as downloaded:
            page.click("#xlsx")
        saved = ARTIFACTS / "06-statistics.xlsx"
        downloaded.value.save_as(saved)
        assert downloaded.value.suggested_filename.endswith("_2025-12-31.xlsx")
        sheet = load_workbook(saved).active
        assert sheet is not None and sheet["B7"].value == "A" and sheet["B8"].value == total
        assert str(sheet["A8"].value).startswith("2025-12-31")

        page.click("header.top a:has-text('名册与登记表')")
        page.click("#tab-uncontactable")
        expect(page.locator("h1.form-title")).to_have_text("经查找仍然无法取得联系党员登记表")
        page.screenshot(path=str(ARTIFACTS / "07-registers.png"), full_page=True)
        page.click("header.top a:has-text('回头看')")
        expect(page.locator("#by-member")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "08-lookback.png"), full_page=True)

        page.goto(f"{base}/ui/ledger")
        latest = page.locator("#latest-note").inner_text()
        page.fill("#pasted", latest)
        page.click("button:has-text('核对')")
        expect(page.locator("#result")).to_contain_text("✓ 一致")
        page.screenshot(path=str(ARTIFACTS / "09-ledger.png"), full_page=True)
        browser.close()
    assert errors == []
