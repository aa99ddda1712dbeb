"""Searchable pickers: an industry is chosen by typing part of its code or name, never typed blind.

`IndustryField` takes "3011", "C3011" or "3011 水泥制造" (what the picker fills in) and cleans to the
code; its widget is a text box whose suggestions come from `industry_options` as the user types.
Shown values read "3011 水泥制造", the code with its GB/T 4754-2017 name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString

from zhaoshang.core import industries

MAX_OPTIONS = 30


def industry_label(code: str | None) -> str:
    """ "4220" → "4220 废弃资源综合利用业"; an unknown code as it is, "—" for none."""
    if not code:
        return "—"
    found = industries.get(code)
    return found.label if found else code


def search(text: str, *, min_level: int = 1, limit: int = MAX_OPTIONS) -> list[industries.Industry]:
    """Industries whose code starts with, or whose name contains, what was typed; broad levels first."""
    text = text.strip()
    if not text:
        return []
    code = industries.normalise(text.split()[0]) if text[0].isascii() else ""
    found = [
        i
        for i in industries.table().values()
        if i.level >= min_level and ((code and i.code.startswith(code)) or (not code and text in i.name))
    ]
    found.sort(key=lambda i: (i.level, i.code))
    return found[:limit]


class IndustryInput(forms.TextInput):
    """A text box with a suggestion list filled from the server as the user types."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, min_level: int = 1) -> None:
        super().__init__(attrs)
        self.min_level = min_level

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        options_id = f"{context['widget']['attrs'].get('id') or name}-options"
        context["widget"]["attrs"].update(
            {
                "list": options_id,
                "autocomplete": "off",
                "placeholder": context["widget"]["attrs"].get("placeholder", "代码或名称"),
                "hx-get": f"{reverse_lazy('industry-options')}?level={self.min_level}",
                "hx-trigger": "input changed delay:200ms",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        context["widget"]["options_id"] = options_id
        return context

    def format_value(self, value: Any) -> str | None:
        if value and (found := industries.get(industries.normalise(str(value)))):
            return found.label
        return super().format_value(value)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        html = super().render(name, value, attrs, renderer)
        options_id = self.get_context(name, value, attrs)["widget"]["options_id"]
        return format_html('{}<datalist id="{}"></datalist>', html, options_id)


class IndustryField(forms.CharField):
    """An industry code of at least `min_level` (1 门类 … 4 小类), typed or picked; cleans to the code."""

    def __init__(self, *, min_level: int = 2, **kwargs: Any) -> None:
        self.min_level = min_level
        kwargs.setdefault("max_length", 80)
        kwargs.setdefault("widget", IndustryInput(min_level=min_level))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        try:
            return industries.validate(text.split()[0], min_level=self.min_level).code
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def industry_options(request: HttpRequest) -> HttpResponse:
    """The picker's suggestions for what was typed so far (any query parameter carries it)."""
    try:
        level = min(max(int(request.GET.get("level", "1")), 1), 4)
    except ValueError:
        level = 1
    typed = str(next((v for k, v in request.GET.items() if k != "level"), ""))
    html = render_to_string("core/_industry_options.html", {"options": search(typed, min_level=level)})
    return HttpResponse(html)
