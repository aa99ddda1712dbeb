"""Importing the registry and the yearly figures: dry run, all-or-nothing commit, idempotent round trips."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from zhaoshang.core import imports
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.permissions import SYSTEM
from zhaoshang.enterprises.models import Enterprise, EnterpriseYear
from zhaoshang.enterprises.qualifications import ensure_defaults
from zhaoshang.enterprises.tests.factories import EnterpriseFactory, make_uscc
from zhaoshang.org.principal import principal_for

pytestmark = pytest.mark.django_db


def _fill(kind: str, rows: list[list[object]], by: object = SYSTEM) -> bytes:
    """Download the template and fill it in, as a person would in Excel."""
    wb = load_workbook(io.BytesIO(imports.template(kind, by)))  # type: ignore[arg-type]
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _registry_rows(county: object) -> list[list[object]]:
    return [
        [
            make_uscc(1),
            "甲镇水泥（集团）有限公司",
            "3011",
            "甲镇",
            "甲镇工业功能区",
            120.5,
            None,
            None,
            "高新技术企业",
            "2010-05-01",
            "在营",
            "张三",
            "0571-88881111",
            None,
        ],
        [
            make_uscc(2),
            "乙镇化工有限公司",
            "C2614",
            "乙镇",
            None,
            "1,234.5",
            "10",
            None,
            "高新技术企业、省级专精特新",
            "2015/3/2",
            None,
            None,
            None,
            "规上",
        ],
    ]


def test_template_fill_import_export_import_round_trips_with_no_change(county: object) -> None:
    ensure_defaults()
    data = _fill("enterprises", _registry_rows(county))
    dry = imports.check("enterprises", data, "名录.xlsx", SYSTEM)
    assert dry.report()["new"] == 2 and not dry.all_errors
    assert Enterprise.objects.count() == 0  # a dry run writes nothing
    imports.commit("enterprises", data, "名录.xlsx", SYSTEM)
    assert Enterprise.objects.filter(name="甲镇水泥（集团）有限公司").exists()  # its brackets kept as typed
    chemical = Enterprise.objects.get(name="乙镇化工有限公司")
    assert chemical.land_owned_mu == Decimal("1234.5") and chemical.above_scale
    assert sorted(chemical.qualifications.values_list("code", flat=True)) == [
        "high_tech",
        "specialised_province",
    ]

    exported = imports.export("enterprises", SYSTEM)
    again = imports.check("enterprises", exported, "导出.xlsx", SYSTEM).report()
    assert (again["new"], again["changed"], again["unchanged"], again["error_count"]) == (0, 0, 2, 0)
    same_file = imports.check("enterprises", data, "名录.xlsx", SYSTEM).report()
    assert (same_file["new"], same_file["changed"]) == (0, 0)


def test_one_bad_row_means_nothing_is_imported(county: object) -> None:
    rows = _registry_rows(county) + [[make_uscc(3)[:-1] + "0", "坏企业", "9999", "丙镇", None, "abc"]]
    plan = imports.commit("enterprises", _fill("enterprises", rows), "a.xlsx", SYSTEM)
    reasons = {(e.row, e.column) for e in plan.all_errors}
    assert {(4, "统一社会信用代码"), (4, "行业代码"), (4, "所在乡镇"), (4, "自有用地")} <= reasons
    assert Enterprise.objects.count() == 0 and not AuditEvent.objects.filter(
        target_type="enterprises.enterprise"
    )


def test_a_town_imports_into_its_own_town_only(county: object) -> None:
    staff_a = principal_for(county.staff_a)  # type: ignore[attr-defined]
    data = _fill("enterprises", _registry_rows(county), staff_a)
    plan = imports.check("enterprises", data, "a.xlsx", staff_a)
    assert [(e.row, e.column) for e in plan.all_errors] == [(3, "所在乡镇")]
    other = EnterpriseFactory(uscc=make_uscc(9), town=county.town_b)  # type: ignore[attr-defined]
    rows = [[other.uscc, "改名", "3011", "甲镇"]]
    plan = imports.check("enterprises", _fill("enterprises", rows, staff_a), "b.xlsx", staff_a)
    assert "职责范围以外" in plan.all_errors[0].message


def test_yearly_figures_import_sets_the_scale_and_keeps_missing_as_missing(county: object) -> None:
    e = EnterpriseFactory(uscc=make_uscc(5), town=county.town_a)  # type: ignore[attr-defined]
    rows = [
        [e.uscc, e.name, 2023, 1800, None, 1900, 50],
        [e.uscc, e.name, 2024, 2600, 700, "2,100", 80.5, None, None, None, 12, 180, 55],
    ]
    imports.commit("enterprise-years", _fill("enterprise-years", rows), "y.xlsx", SYSTEM)
    y2023 = EnterpriseYear.objects.get(enterprise=e, year=2023)
    assert y2023.value_added is None and y2023.revenue == Decimal("1900")
    e.refresh_from_db()
    assert e.above_scale  # 2024 revenue 2100 ≥ 2000 万元
    # Re-importing with a blank tax leaves the stored tax alone; a changed revenue is a change.
    rows[1][6] = None
    rows[1][5] = "1,500"
    report = imports.commit("enterprise-years", _fill("enterprise-years", rows), "y2.xlsx", SYSTEM).report()
    assert (report["changed"], report["unchanged"]) == (1, 1)
    y2024 = EnterpriseYear.objects.get(enterprise=e, year=2024)
    assert y2024.tax == Decimal("80.5") and y2024.revenue == Decimal("1500")
    e.refresh_from_db()
    assert not e.above_scale
    event = AuditEvent.objects.filter(target_type="enterprises.enterpriseyear", action="update").latest("seq")
    assert event.before == {"revenue": "2100.0000"} and event.after == {"revenue": "1500.0000"}


def test_the_county_retained_tax_is_imported_and_exported_in_wan(county: object) -> None:
    e = EnterpriseFactory(uscc=make_uscc(6), town=county.town_a)  # type: ignore[attr-defined]
    row = [e.uscc, e.name, 2024, 2600, 700, 2100, 80.5, None, None, None, 12, 180, 55, "32.5"]
    imports.commit("enterprise-years", _fill("enterprise-years", [row]), "y.xlsx", SYSTEM)
    assert EnterpriseYear.objects.get(enterprise=e, year=2024).county_retained_tax == Decimal("32.5")
    ws = load_workbook(io.BytesIO(imports.export("enterprise-years", SYSTEM))).active  # type: ignore[arg-type]
    cells = list(ws.iter_rows(values_only=True))
    header = next(r for r in cells if r and "县级留存税收（万元）" in [str(c) for c in r])
    column = [str(c) for c in header].index("县级留存税收（万元）")
    assert Decimal(str(cells[-1][column])) == Decimal("32.5")
    again = imports.check("enterprise-years", imports.export("enterprise-years", SYSTEM), "e.xlsx", SYSTEM)
    assert again.report()["unchanged"] == 1


def test_figures_for_an_unknown_enterprise_are_refused(county: object) -> None:
    plan = imports.check(
        "enterprise-years", _fill("enterprise-years", [[make_uscc(77), "", 2024, 1]]), "y.xlsx", SYSTEM
    )
    assert "先导入企业名录" in plan.all_errors[0].message


def test_duplicate_rows_in_a_file_are_named(county: object) -> None:
    rows = _registry_rows(county)
    rows.append(list(rows[0]))
    plan = imports.check("enterprises", _fill("enterprises", rows), "a.xlsx", SYSTEM)
    assert plan.all_errors[0].message == "与第 2 行重复"


def test_the_command_line_reports_then_commits(
    county: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_fill("enterprises", [[make_uscc(1), "", "3011", "甲镇"]]))
    with pytest.raises(CommandError):
        call_command("import", "enterprises", str(bad), "--quiet")
    assert "第 2 行 [企业名称] 必填" in capsys.readouterr().out
    good = tmp_path / "good.xlsx"
    good.write_bytes(_fill("enterprises", _registry_rows(county)))
    call_command("import", "enterprises", str(good), "--quiet")
    assert Enterprise.objects.count() == 0
    call_command("import", "enterprises", str(good), "--commit", "--quiet")
    assert Enterprise.objects.count() == 2
    out = tmp_path / "out.xlsx"
    call_command("export", "enterprises", str(out))
    call_command("template", "enterprise-years", str(tmp_path / "t.xlsx"))
    assert load_workbook(out).active.max_row == 3


def test_the_template_explains_each_column_and_offers_lists(county: object) -> None:
    wb = load_workbook(io.BytesIO(imports.template("enterprises", SYSTEM)))
    ws = wb.active
    assert ws["A1"].comment is not None and "必填" in ws["A1"].comment.text
    assert any("可选项" in dv.formula1 for dv in ws.data_validations.dataValidation)
