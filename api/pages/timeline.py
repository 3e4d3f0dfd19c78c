"""Shaping the dossier (``projections.dossier_read``) for the member page: the form and the timeline.

``form_view`` lays the entries out as the boxes of 附件4 (forms §3.7): basic data, box 11 as its five-row
table (时间 / 查找过程 / 证明人签字 / 备注; more rows when there were more attempts), boxes 12–19 as text
boxes. ``timeline`` lists every statement of the view once, in ``seq`` order, with attestations,
member signatures and corrections, each pointing at the statement it concerns.
"""

from __future__ import annotations

from typing import Any

FORM_ROWS = 5
"""Box 11 of the printed form has five rows."""
LINKS = ("corrects", "attests", "resolution", "against", "appeal", "target", "basis", "decision", "absence")
"""Body fields naming the hash of another statement."""


def _box(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(box for box in doc["boxes"] if box["box"] == key)


def form_view(doc: dict[str, Any]) -> dict[str, Any]:
    """The 附件4 boxes: ``search_rows`` (padded to five), ``search_notes``, and the text boxes 12–19."""
    box11 = _box(doc, "11")["entries"]
    attempts = [e for e in box11 if e["type"] == "SearchAttemptRecorded"]
    notes = [e for e in box11 if e["type"] != "SearchAttemptRecorded"]
    rows: list[dict[str, Any] | None] = list(attempts)
    rows += [None] * max(0, FORM_ROWS - len(rows))
    boxes = [_box(doc, key) for key in ("12", "13", "14", "15", "16", "17", "18", "19")]
    extra = [_box(doc, key) for key in ("appeals", "other")]
    return {"search_rows": rows, "search_notes": notes, "boxes": boxes, "extra": extra}


def _walk(entry: dict[str, Any], found: dict[str, dict[str, Any]]) -> None:
    if entry["hash"] in found:
        return
    found[entry["hash"]] = entry
    for key in ("attestations", "member_signature", "corrections"):
        for child in entry.get(key) or []:
            _walk(child, found)


def timeline(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of the view once, in seq order, with ``links``: (field, hash) it refers to."""
    found: dict[str, dict[str, Any]] = {}
    for box in doc["boxes"]:
        for entry in box["entries"]:
            _walk(entry, found)
    out = []
    for entry in sorted(found.values(), key=lambda e: e["seq"]):
        body = entry["body"]
        links = [(key, body[key]) for key in LINKS if isinstance(body.get(key), str) and body[key] in found]
        cosigners = [a["signer"]["name"] for a in entry.get("attestations") or []]
        out.append({**entry, "links": links, "cosigners": cosigners})
    return out
