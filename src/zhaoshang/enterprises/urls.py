from django.urls import path

from zhaoshang.enterprises import views

urlpatterns = [
    path("", views.enterprise_list, name="enterprise-list"),
    path("new/", views.enterprise_create, name="enterprise-create"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("<int:pk>/years/", views.year_save, name="enterprise-year-save"),
    path("<int:pk>/status/", views.enterprise_status, name="enterprise-status"),
    path("import/", views.import_start, name="import-start"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("templates/<slug:kind>.xlsx", views.import_template, name="import-template"),
]
