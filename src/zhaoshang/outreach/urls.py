from zhaoshang.outreach.views import activities, cadence, contacts, home, referrers

urlpatterns = (
    home.urlpatterns
    + contacts.urlpatterns
    + activities.urlpatterns
    + referrers.urlpatterns
    + cadence.urlpatterns
)
