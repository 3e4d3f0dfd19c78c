"""One-time demo sign-in links: each opens its role's session once, and never again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.demo.links import make_links, spend
from tests.pages.conftest import HTML, Demo


def test_a_link_signs_in_once_as_its_role(demo: Demo) -> None:
    links = {link.role: link for link in make_links(demo.settings.home)}
    assert {"SEC", "ODL", "INS", "REV", "APH"} <= set(links)
    demo.client.cookies.clear()
    opened = demo.client.get(links["ODL"].path, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/ui/members"
    assert "ledger_session" in opened.headers["set-cookie"] and "HttpOnly" in opened.headers["set-cookie"]
    members = demo.client.get("/ui/members", headers=HTML)
    assert members.status_code == 200
    demo.client.cookies.clear()
    again = demo.client.get(links["ODL"].path, headers=HTML, follow_redirects=False)
    assert again.status_code == 404
    assert "ledger_session" not in again.headers.get("set-cookie", "")


def test_unknown_and_expired_links_are_refused(demo: Demo) -> None:
    assert demo.client.get("/ui/demo-sign-in/not-a-code", follow_redirects=False).status_code == 404
    old = make_links(demo.settings.home, now=datetime.now(UTC) - timedelta(days=2))[0]
    code = old.path.rsplit("/", 1)[1]
    assert spend(demo.settings.home, code) is None
