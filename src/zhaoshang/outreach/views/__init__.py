"""Pages of the outreach app, by sub-domain: contacts, agreements and office links (`contacts`);
trips, visits, events, the calendar and the region view (`activities`); referrer claims and the
register (`referrers`); the cadence norms and recruiting time (`cadence`). Each module holds its
own `urlpatterns`, gathered in `outreach/urls.py`."""
