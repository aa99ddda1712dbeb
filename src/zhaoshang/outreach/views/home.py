"""The outreach overview: this month's trips, visits and events, the contacts kept, the claims open,
with the way to each list."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from zhaoshang.core.http import Request
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import requires
from zhaoshang.outreach.models import OPEN_CLAIMS, Contact, Event, InvestorVisit, ReferrerClaim, Trip


@requires(Action.VIEW_PIPELINE)
def home(request: Request) -> HttpResponse:
    principal = request.principal
    month = timezone.localdate().replace(day=1)
    figures = {
        "trips": Trip.objects.visible_to(principal).filter(starts_on__gte=month).count(),
        "visits": InvestorVisit.objects.visible_to(principal).filter(on__gte=month).count(),
        "events": Event.objects.visible_to(principal).filter(on__gte=month).count(),
        "contacts": Contact.objects.visible_to(principal).filter(active=True).count(),
        "claims": ReferrerClaim.objects.visible_to(principal).filter(status__in=OPEN_CLAIMS).count(),
    }
    return render(request, "outreach/home.html", {"figures": figures, "month": month})


urlpatterns = [path("", home, name="outreach-home")]
