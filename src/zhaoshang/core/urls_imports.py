"""The shared import pages, mounted under /enterprises/ where they have always been."""

from django.urls import path

from zhaoshang.core import views_imports

urlpatterns = [
    path("import/", views_imports.import_start, name="import-start"),
    path("import/<int:pk>/", views_imports.import_detail, name="import-detail"),
    path("import/<int:pk>/commit/", views_imports.import_commit, name="import-commit"),
    path("templates/<slug:kind>.xlsx", views_imports.import_template, name="import-template"),
]
