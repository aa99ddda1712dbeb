from django.urls import path

from zhaoshang.projects.views import committee, figures, moves, projects, records, rules, sheets

urlpatterns = [
    path("", projects.project_list, name="project-list"),
    path("alerts/", projects.alert_list, name="project-alerts"),
    path("figures/", figures.project_figures, name="project-figures"),
    path("new/", projects.project_create, name="project-create"),
    path("rules/", rules.rules_page, name="project-rules"),
    path("rules/tracking/", rules.tracking_form_page, name="project-rules-tracking"),
    path("rules/review/", rules.review_form_page, name="project-rules-review"),
    path("cohorts/", rules.cohort_page, name="project-cohorts"),
    path("major/", committee.major_tier, name="project-major-tier"),
    path("meetings/", committee.meeting_list, name="project-meetings"),
    path("meetings/<int:pk>/", committee.meeting_detail, name="project-meeting"),
    path("meetings/<int:pk>/minutes.docx", committee.meeting_minutes, name="project-meeting-minutes"),
    path("meetings/<int:pk>/reviews/<int:review>/", committee.meeting_decide, name="project-meeting-decide"),
    path("<int:pk>/", projects.project_detail, name="project-detail"),
    path("<int:pk>/edit/", projects.project_update, name="project-update"),
    path("<int:pk>/move/", moves.project_move, name="project-move"),
    path("<int:pk>/board-move/", moves.board_move, name="project-board-move"),
    path("<int:pk>/review/", moves.project_review, name="project-review"),
    path("<int:pk>/follow-ups/", records.follow_up_add, name="follow-up-add"),
    path("<int:pk>/funds/", records.fund_add, name="project-fund-add"),
    path("<int:pk>/funds/<int:arrival>/correct/", records.fund_correct, name="project-fund-correct"),
    path("<int:pk>/funds/<int:arrival>/withdraw/", records.fund_withdraw, name="project-fund-withdraw"),
    path("<int:pk>/follow-ups/<int:item>/correct/", records.follow_up_correct, name="follow-up-correct"),
    path("<int:pk>/follow-ups/<int:item>/withdraw/", records.follow_up_withdraw, name="follow-up-withdraw"),
    path("<int:pk>/milestones/", records.milestone_add, name="project-milestone-add"),
    path("<int:pk>/pre-work/<slug:item>/", committee.pre_work_save, name="project-pre-work"),
    path("<int:pk>/milestones/<int:milestone>/done/", records.milestone_done, name="project-milestone-done"),
    path("sheets/<slug:kind>.xlsx", sheets.sheet_export, name="project-sheet-export"),
]
