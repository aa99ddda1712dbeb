"""Pages of the outreach app: the activities — trips (外出招商), investor visits (来访考察), events
(推介会、签约仪式、集中开工/竣工仪式), the month calendar and the region view. Each sub-module holds
its own routes; they are gathered here for `outreach/urls.py`."""

from __future__ import annotations

from django.urls import URLPattern

from zhaoshang.outreach.views import (
    activities_events,
    activities_overview,
    activities_trips,
    activities_visits,
)

urlpatterns: list[URLPattern] = [
    *activities_trips.urlpatterns,
    *activities_visits.urlpatterns,
    *activities_events.urlpatterns,
    *activities_overview.urlpatterns,
]
