from django.urls import path

from zhaoshang.projects import sheet_views, views, views_figures, views_tracking

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("alerts/", views.alert_list, name="project-alerts"),
    path("figures/", views_figures.project_figures, name="project-figures"),
    path("new/", views.project_create, name="project-create"),
    path("rules/", views_tracking.rules_page, name="project-rules"),
    path("cohorts/", views_tracking.cohort_page, name="project-cohorts"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_update, name="project-update"),
    path("<int:pk>/move/", views.project_move, name="project-move"),
    path("<int:pk>/board-move/", views.board_move, name="project-board-move"),
    path("<int:pk>/review/", views.project_review, name="project-review"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow-up-add"),
    path("<int:pk>/funds/", views.fund_add, name="project-fund-add"),
    path("<int:pk>/milestones/", views.milestone_add, name="project-milestone-add"),
    path("<int:pk>/milestones/<int:milestone>/done/", views.milestone_done, name="project-milestone-done"),
    path("sheets/<slug:kind>.xlsx", sheet_views.sheet_export, name="project-sheet-export"),
]
