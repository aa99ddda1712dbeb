"""Setting up a chain (its chief, units, targets and entry thresholds) and adding its nodes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from zhaoshang.chains import selectors, services
from zhaoshang.chains.forms import ChainForm, NodeForm
from zhaoshang.chains.models import Chain, Cluster
from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires, submit
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.org import references

FIELDS = (
    "name",
    "cluster",
    "chief",
    "deputy_chiefs",
    "lead_unit",
    "member_units",
    "anchors",
    "output_target",
    "min_investment",
    "min_intensity",
    "min_tax_per_mu",
    "max_energy_per_output",
    "target_stale_days",
)


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in FIELDS}


def _chain_form(request: Request, data: Any = None, **kwargs: Any) -> ChainForm:
    principal = request.principal
    return ChainForm(
        data,
        clusters=Cluster.objects.visible_to(principal).order_by("name"),
        leaders=references.nameable_leaders(principal),
        units=references.writable_units(principal),
        enterprises=Enterprise.objects.visible_to(principal),
        **kwargs,
    )


def _initial(chain: Chain) -> dict[str, Any]:
    initial = {name: getattr(chain, name) for name in FIELDS if name not in services.CHAIN_RELATIONS}
    initial["deputy_chiefs"] = list(chain.deputy_chiefs.all())
    initial["member_units"] = list(chain.member_units.all())
    initial["anchors"] = "\n".join(e.name for e in chain.anchors.order_by("name"))
    return initial


@requires(Action.CONFIGURE_RULES)
def chain_new(request: Request) -> HttpResponse:
    principal = request.principal
    form = _chain_form(request, request.POST or None)
    county = references.configured_jurisdiction(principal)
    if request.method == "POST" and (
        chain := submit(form, lambda d: services.chain_create(principal, county, **_fields(d)))
    ):
        messages.success(request, f"已设立{chain.name}产业链，请继续添加产业链环节。")
        return redirect("chain-detail", pk=chain.pk)
    status = 400 if form.errors else 200
    return render(request, "chains/chain_form.html", {"form": form, "chain": None}, status=status)


@requires(Action.CONFIGURE_RULES)
def chain_edit(request: Request, pk: int) -> HttpResponse:
    principal = request.principal
    chain = selectors.chain_for_page(principal, pk)
    form = _chain_form(request, request.POST or None, initial=_initial(chain))
    if request.method == "POST" and (
        submit(form, lambda d: services.chain_update(principal, chain, _fields(d), reason=d["reason"]))
        is not None
    ):
        messages.success(request, f"已保存{chain.name}产业链的设置。")
        return redirect("chain-detail", pk=chain.pk)
    status = 400 if form.errors else 200
    return render(request, "chains/chain_form.html", {"form": form, "chain": chain}, status=status)


@requires(Action.EDIT_BUSINESS)
def node_add(request: Request, pk: int) -> HttpResponse:
    chain = selectors.chain_for_page(request.principal, pk)
    services.require_writer(request.principal, chain)
    nodes = chain.nodes.order_by("segment", "sort_order", "pk")
    form = NodeForm(request.POST or None, nodes=nodes)
    if request.method == "POST" and (
        node := submit(form, lambda d: services.node_create(request.principal, chain, **d))
    ):
        messages.success(request, f"已添加环节“{node.name}”。")
        return redirect("chain-node", pk=node.pk)
    status = 400 if form.errors else 200
    return render(request, "chains/node_form.html", {"form": form, "chain": chain}, status=status)
