"""Reading spreadsheets as people make them: odd numbers, odd dates, odd files, never a 500."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from zhaoshang.core.sheets import Column, FileProblem, Sheet, export_bytes, format_cell, parse_cell, read_rows

AMOUNT = Column("amount", "金额", kind="decimal", unit="万元")
DAY = Column("day", "日期", kind="date")
SHEET = Sheet("test", "测试表", (Column("name", "名称", required=True), AMOUNT, DAY), key=("name",))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("１２３４．５", Decimal("1234.5")),  # full-width digits
        (" 12 万元", Decimal("12")),
        (1234.5, Decimal("1234.5")),
        (7, Decimal("7")),
        ("0.0001", Decimal("0.0001")),
    ],
)
def test_numbers_as_people_type_them(raw: object, expected: Decimal) -> None:
    assert parse_cell(AMOUNT, raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1.23456", "-5", "1e400", "12,34"])
def test_bad_numbers_are_refused_with_a_reason(raw: str) -> None:
    with pytest.raises(ValueError, match=r".+"):
        parse_cell(AMOUNT, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "2021-03-15",
        "2021/3/15",
        "2021.03.15",
        "2021年3月15日",
        "20210315",
        "3/15/2021",
        44270,
        dt.datetime(2021, 3, 15, tzinfo=dt.UTC),  # calamine gives naive datetimes; either works
    ],
)
def test_dates_in_the_usual_formats(raw: object) -> None:
    assert parse_cell(DAY, raw) == dt.date(2021, 3, 15)


def test_an_impossible_date_says_so() -> None:
    with pytest.raises(ValueError, match="不是存在的日期"):
        parse_cell(DAY, "2021-02-30")


def test_empty_cells_stay_missing_not_zero() -> None:
    assert parse_cell(AMOUNT, "") is None and parse_cell(AMOUNT, None) is None


def test_exported_text_that_looks_like_a_formula_comes_back_as_typed() -> None:
    name = Column("name", "名称")
    written = format_cell(name, "=SUM(A1)")
    assert written == "'=SUM(A1)" and parse_cell(name, written) == "=SUM(A1)"


def _xlsx(rows: list[list[object]], title: str = "测试表", merge: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_rows_are_read_with_their_excel_row_numbers() -> None:
    data = _xlsx(
        [
            ["名称*", "金额（万元）", "日期"],
            ["甲", "1,000", "2020-01-01"],
            [None, None, None],
            ["乙", "x", None],
        ]
    )
    parsed = read_rows(SHEET, data, "a.xlsx")
    assert [(r, v["name"]) for r, v in parsed.rows] == [(2, "甲")]
    assert [(e.row, e.column) for e in parsed.errors] == [(4, "金额")]


def test_csv_in_gb18030_and_utf8() -> None:
    text = '名称,金额（万元）\n甲镇水泥,"1,200"\n'
    for encoding in ("gb18030", "utf-8-sig", "utf-8"):
        parsed = read_rows(SHEET, text.encode(encoding), "a.csv")
        assert parsed.rows[0][1] == {"name": "甲镇水泥", "amount": Decimal("1200")}


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.xlsx", "空的"),
        (b"\x00\x01\x02junk" * 10, "a.csv", "不是"),
        (b"x" * (101 * 1024 * 1024), "big.xlsx", "太大"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "无法读取"),
        (b"hello", "a.xlsx", "不是 Excel"),
    ],
)
def test_bad_files_get_a_clear_message(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(FileProblem, match=message):
        read_rows(SHEET, data, filename)


def test_an_empty_sheet_and_a_wrong_sheet_are_named() -> None:
    with pytest.raises(FileProblem, match="是空的"):
        read_rows(SHEET, _xlsx([]), "a.xlsx")
    with pytest.raises(FileProblem, match="缺少必填列：名称"):
        read_rows(SHEET, _xlsx([["产品", "数量"], ["螺丝", 3]], title="Sheet1"), "a.xlsx")


def test_merged_header_cells_are_refused() -> None:
    data = _xlsx([["名称", "金额（万元）", None, "日期"], ["甲", 1, None, None]], merge="B1:C1")
    with pytest.raises(FileProblem, match="合并单元格"):
        read_rows(SHEET, data, "a.xlsx")


def test_what_is_exported_reads_back_the_same() -> None:
    records = [{"name": "甲", "amount": Decimal("1234.5678"), "day": dt.date(2020, 1, 2)}, {"name": "乙"}]
    parsed = read_rows(SHEET, export_bytes(SHEET, records), "e.xlsx")
    assert [v for _r, v in parsed.rows] == [
        {"name": "甲", "amount": Decimal("1234.5678"), "day": dt.date(2020, 1, 2)},
        {"name": "乙", "amount": None, "day": None},
    ]


def test_a_choice_whose_label_has_full_width_brackets_reads_back_either_way() -> None:
    column = Column(
        "status", "环节状态", kind="choice", choices=[("weak", "补链（薄弱）"), ("missing", "断点（缺失）")]
    )
    assert parse_cell(column, "补链（薄弱）") == "weak"  # as the drop-down writes it
    assert parse_cell(column, "断点(缺失)") == "missing"  # as typed on a plain keyboard
