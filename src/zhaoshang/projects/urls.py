from django.urls import path

from zhaoshang.projects import sheet_views, views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("alerts/", views.alert_list, name="project-alerts"),
    path("new/", views.project_create, name="project-create"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/move/", views.project_move, name="project-move"),
    path("<int:pk>/review/", views.project_review, name="project-review"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow-up-add"),
    path("sheets/<slug:kind>.xlsx", sheet_views.sheet_export, name="project-sheet-export"),
]
