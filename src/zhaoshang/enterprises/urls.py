from django.urls import path

from zhaoshang.enterprises import views, views_accounts

urlpatterns = [
    path("", views.enterprise_list, name="enterprise-list"),
    path("new/", views.enterprise_create, name="enterprise-create"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("<int:pk>/years/", views.year_save, name="enterprise-year-save"),
    path("<int:pk>/years/<int:row>/withdraw/", views.year_withdraw, name="enterprise-year-withdraw"),
    path("<int:pk>/qualifications/", views.qualification_save, name="enterprise-qualification-save"),
    path("<int:pk>/status/", views.enterprise_status, name="enterprise-status"),
    path("<int:pk>/accounts/", views_accounts.enterprise_accounts, name="enterprise-accounts"),
    path("accounts/<int:pk>/", views_accounts.account_enterprises, name="account-enterprises"),
]
