from django.urls import path

from zhaoshang.projects import views, views_tracking

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("alerts/", views.alert_list, name="project-alerts"),
    path("new/", views.project_create, name="project-create"),
    path("rules/", views_tracking.rules_page, name="project-rules"),
    path("cohorts/", views_tracking.cohort_page, name="project-cohorts"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/move/", views.project_move, name="project-move"),
    path("<int:pk>/review/", views.project_review, name="project-review"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow-up-add"),
]
