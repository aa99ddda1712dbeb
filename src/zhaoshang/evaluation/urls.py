from django.urls import path

from zhaoshang.evaluation import views, views_objections, views_scheme_form

urlpatterns = [
    path("", views.home, name="evaluation-home"),
    path("schemes/new/", views.scheme_new, name="scheme-new"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme-detail"),
    path("schemes/<int:pk>/copy/", views.scheme_copy, name="scheme-copy"),
    path("schemes/<int:pk>/form/", views_scheme_form.scheme_form, name="scheme-form"),
    path("schemes/<int:pk>/run/", views.run_start, name="run-start"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run-publish"),
    path("results/<int:pk>/", views.result_detail, name="result-detail"),
    path("results/<int:pk>/objections/", views_objections.objection_file, name="objection-file"),
    path("results/<int:pk>/facts/", views.fact_save, name="fact-save"),
    path("objections/<int:pk>/reopen/", views_objections.objection_reopen, name="objection-reopen"),
    path("objections/<int:pk>/resolve/", views_objections.objection_resolve, name="objection-resolve"),
]
