"""Excel exports (openpyxl) of the registers and the 附件5 table in the official column layout.

Registers: title row, 填报单位（盖章） / 填表日期 header, the columns in printed order, one row per member,
the 填表人 / 联系电话 footer and the 填表说明 notes. 附件5: the title, 负责领导（签字）, the five header rows of
forms §4.1 with their merged cells (统计时间 and A–X), one data row, the 备注 note and the footer line.
回头看 (no official layout in the seeds): one row per finding, by member, with its case, step and record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from projections.lookback import FINDING_LABELS

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BAND1 = (("统计时间", 1, 1), ("超过六个月未与党组织联系的党员总数", 2, 2), ("经查找取得联系的党员", 3, 15),
         ("目前仍未取得联系的党员", 16, 24), ("确认已死亡的人数", 25, 25))  # fmt: skip
BAND2 = (("总数", 3, 3), ("总数", 16, 16))
BAND3 = (("纳入组织管理人数", 4, 7), ("给予组织处置出党人数", 8, 13), ("开除党籍人数", 14, 14),
         ("目前尚在调查核实人数", 15, 15), ("给予组织处置出党人数", 17, 19), ("停止党籍人数", 20, 22),
         ("开除党籍人数", 23, 23), ("尚在查找联系人数", 24, 24))  # fmt: skip
BAND4 = ("保留组织关系人数", 5), ("停止党籍人数", 6), ("限期改正人数", 7), ("劝退或劝而不退除名人数", 9), \
    ("自行脱党除名人数", 10), ("退党除名人数", 11), ("不予承认党员资格人数", 12), ("取消预备党员资格人数", 13), \
    ("自行脱党除名人数", 18), ("取消预备党员资格人数", 19), ("确定无法取得联系而停止党籍人数", 21), \
    ("因出国（境）定居而停止党籍人数", 22)  # fmt: skip


def _title(ws: Any, text: str, width: int) -> None:
    ws.cell(1, 1, text).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def register_workbook(doc: dict[str, Any], path: Path) -> Path:
    """Write one register document (projections.registers) to ``path``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = doc["title"][:31]
    columns: list[str] = doc["columns"]
    _title(ws, doc["title"], len(columns))
    ws.cell(2, 1, f"填报单位（盖章）：{doc['填报单位']}")
    ws.cell(2, len(columns) - 2, f"填表日期：{doc['填表日期']}")
    for n, label in enumerate(columns, start=1):
        ws.cell(3, n, label).alignment = CENTER
        ws.column_dimensions[get_column_letter(n)].width = 14
    for r, row in enumerate(doc["rows"], start=4):
        for n, label in enumerate(columns, start=1):
            ws.cell(r, n, row[label])
    end = 4 + len(doc["rows"])
    ws.cell(end, 1, "填表人：")
    ws.cell(end, len(columns) - 2, "联系电话：")
    ws.cell(end + 1, 1, "填表说明：")
    for k, note in enumerate(doc["notes"], start=end + 2):
        ws.cell(k, 1, note)
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=len(columns))
    wb.save(path)
    return path


def statistics_workbook(doc: dict[str, Any], path: Path) -> Path:
    """Write the 附件5 document (projections.reads.read_statistics) to ``path``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "附件5"
    _title(ws, doc["title"], 25)
    ws.cell(2, 1, "负责领导（签字）：")
    for label, a, b in BAND1:
        ws.cell(3, a, label).alignment = CENTER
        if a < b:
            ws.merge_cells(start_row=3, start_column=a, end_row=3, end_column=b)
    ws.merge_cells(start_row=3, start_column=1, end_row=7, end_column=1)
    ws.merge_cells(start_row=3, start_column=2, end_row=6, end_column=2)
    ws.merge_cells(start_row=3, start_column=25, end_row=6, end_column=25)
    for label, a, _ in BAND2:
        ws.cell(4, a, label).alignment = CENTER
        ws.merge_cells(start_row=4, start_column=a, end_row=6, end_column=a)
    for label, a, b in BAND3:
        ws.cell(5, a, label).alignment = CENTER
        if a < b:
            ws.merge_cells(start_row=5, start_column=a, end_row=5, end_column=b)
        else:
            ws.merge_cells(start_row=5, start_column=a, end_row=6, end_column=a)
    for label, col in BAND4:
        ws.cell(6, col, label).alignment = CENTER
    for n, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWX", start=2):
        ws.cell(7, n, letter).alignment = CENTER
        ws.cell(8, n, doc["counts"][letter])
    ws.cell(8, 1, f"{doc['统计时间']}（{'按发生日期' if doc['basis'] == 'occurred' else '按记录日期'}）")
    ws.cell(9, 1, doc["note"])
    ws.merge_cells(start_row=9, start_column=1, end_row=9, end_column=25)
    ws.cell(
        10,
        1,
        f"填表人：　　联系电话：　　填报单位（盖章）：{doc['unit']['name']}　　填报日期：{doc['统计时间']}",
    )
    wb.save(path)
    return path


LOOKBACK_COLUMNS = ("姓名", "所在支部", "案件", "处置路径", "步骤", "问题", "说明", "相关记录")


def lookback_workbook(doc: dict[str, Any], path: Path) -> Path:
    """Write the 回头看 document (projections.reads.read_lookback) to ``path``: one row per finding.

    The branch column shows ``home_name`` when the caller added it, else the branch id.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "回头看"
    _title(ws, f"{doc['title']}发现问题清单", len(LOOKBACK_COLUMNS))
    ws.cell(2, 1, f"单位：{doc['unit']['name']}")
    ws.cell(2, len(LOOKBACK_COLUMNS) - 2, f"截至：{doc['as_of']}")
    for n, label in enumerate(LOOKBACK_COLUMNS, start=1):
        ws.cell(3, n, label).alignment = CENTER
        ws.column_dimensions[get_column_letter(n)].width = 16
    r = 4
    for member in doc["members"]:
        for f in member["findings"]:
            values = (member["name"], member.get("home_name") or member["home"],
                      f"第{f['case_no']}案" if f["case_no"] else "", f["path"] or "", f["step"] or "",
                      FINDING_LABELS.get(f["code"], f["code"]), f["note"], f["hash"])  # fmt: skip
            for n, value in enumerate(values, start=1):
                ws.cell(r, n, value)
            r += 1
    wb.save(path)
    return path
