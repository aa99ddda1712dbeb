from __future__ import annotations

from typing import Any

from django import forms

from zhaoshang.core.imports import REGISTRY
from zhaoshang.core.models import AuditEvent


class StyledForm:
    """Gives every widget its Bootstrap class, so templates can render fields as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.apply_style()

    def apply_style(self) -> None:
        """Again after a form adds fields of its own."""
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="记录或操作人", required=False)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部操作"), *AuditEvent.Action.choices]
    )
    target_type = forms.CharField(label="记录类型", required=False)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and not 1900 <= day.year <= 2999:
                self.add_error(name, "年份应在 1900 至 2999 之间。")
        return data


class ImportForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="导入内容")
    file = forms.FileField(label="文件（.xlsx 或 .csv）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, v.label) for k, v in REGISTRY.items()]  # type: ignore[attr-defined]
