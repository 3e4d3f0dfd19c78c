"""Rendering of the reviewer pages: the jinja2 environment, its filters, and HTML error pages.

Labels follow the official forms (forms.md); statement types use the catalogue's Chinese names
(``domain.statements.STATEMENT_LABELS``). Templates live in ``api/templates``, autoescaped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from domain.codes import CAUSE
from domain.statements import STATEMENT_LABELS
from domain.states import MemberState

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
HASH = re.compile(r"^[0-9a-f]{64}$")
TEXT_KEYS = ("opinion", "text", "narrative", "summary", "reasons", "reason", "grounds", "note", "whereabouts")
"""Body fields holding the human text of an entry, in the order shown."""
SKIP_KEYS = frozenset({"ref", "searchers", "cmeeting", *TEXT_KEYS})
MARKS = {"ok": ("✓", "ok"), "pending": ("…", "pending"), "failed": ("✗", "bad"), "broken": ("✗", "bad")}
CHECK_LABELS = {"signature": "签名", "chain": "链", "inclusion": "检查点"}
SEX = {"male": "男", "female": "女"}

STATE_LABELS: dict[str, str] = {state.value: state.label for state in MemberState}
CAUSE_LABELS: dict[int, str] = dict(CAUSE.labels)


def type_label(kind: str) -> str:
    """The Chinese name of a statement type (the code itself when the catalogue has none)."""
    return STATEMENT_LABELS.get(kind, kind)


def _value(value: Any) -> str:
    if isinstance(value, dict):
        if "sha256" in value:
            return f"〔附件〕{value.get('title', '')}"
        return "；".join(f"{k}: {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def body_text(body: dict[str, Any]) -> str:
    """The entry's human text (意见、过程、理由 …), empty when the body has none."""
    parts = [_value(body[key]) for key in TEXT_KEYS if isinstance(body.get(key), str | list) and body[key]]
    return "；".join(parts)


def body_facts(body: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """The other fields as (name, shown value, linked statement hash or None), for the timeline."""
    out: list[tuple[str, str, str | None]] = []
    for key, value in body.items():
        if key in SKIP_KEYS or key == "replacement":
            continue
        if isinstance(value, str) and HASH.match(value):
            out.append((key, value[:12] + "…", value))
        else:
            out.append((key, _value(value), None))
    meeting = body.get("cmeeting")
    if isinstance(meeting, dict):
        shown = f"{meeting.get('date', '')} 应到{meeting.get('members_total', '?')} 实到{meeting.get('members_present', '?')} 赞成{meeting.get('members_for', '?')}"
        out.append(("会议", shown, None))
    return out


def marks(verification: dict[str, str] | None) -> list[dict[str, str]]:
    """One mark per check of an entry: label, symbol, CSS class and the raw result."""
    if not verification:
        return [{"label": "核验", "symbol": "–", "css": "pending", "result": "not checked"}]
    out = []
    for key, label in CHECK_LABELS.items():
        result = verification.get(key, "pending")
        symbol, css = MARKS.get(result, ("?", "bad"))
        out.append({"label": label, "symbol": symbol, "css": css, "result": result})
    return out


def build_environment() -> Environment:
    """The jinja2 environment of the pages (autoescaped HTML)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        type_label=type_label,
        body_text=body_text,
        body_facts=body_facts,
        marks=marks,
        sex=lambda value: SEX.get(str(value), value or ""),
        cause=lambda value: CAUSE_LABELS.get(value, "") if isinstance(value, int) else "",
        state=lambda value: STATE_LABELS.get(str(value), value),
    )
    env.globals.update(STATE_LABELS=STATE_LABELS, CAUSE_LABELS=CAUSE_LABELS)
    return env


ENV = build_environment()


def page(request: Request, template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    """Render one page template into an HTML response."""
    html = ENV.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=http_status)


def wants_html(request: Request) -> bool:
    """Whether the client asked for HTML (a browser), rather than a problem document."""
    return "text/html" in request.headers.get("accept", "")
