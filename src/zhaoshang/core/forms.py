from __future__ import annotations

from typing import Any

from django import forms

from zhaoshang.core.imports import REGISTRY


class StyledForm:
    """Gives every widget its Bootstrap class, so templates can render fields as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_style()

    def apply_style(self) -> None:
        """Again after a form adds fields of its own."""
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)


class ImportForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label="导入内容")
    file = forms.FileField(label="文件（.xlsx 或 .csv）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, v.label) for k, v in REGISTRY.items()]  # type: ignore[attr-defined]
