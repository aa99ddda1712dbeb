from django.urls import path

from zhaoshang.enterprises import views

urlpatterns = [
    path("", views.enterprise_list, name="enterprise-list"),
    path("new/", views.enterprise_create, name="enterprise-create"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("<int:pk>/years/", views.year_save, name="enterprise-year-save"),
    path("<int:pk>/status/", views.enterprise_status, name="enterprise-status"),
]
