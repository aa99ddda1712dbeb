from django.urls import path

from zhaoshang.chains import views

urlpatterns = [
    path("", views.chain_list, name="chain-list"),
    path("new/", views.chain_new, name="chain-new"),
    path("inspection/", views.inspection, name="chain-inspection"),
    path("meetings/", views.meetings, name="chain-meetings"),
    path("meetings/<int:pk>/held/", views.meeting_held, name="chain-meeting-held"),
    path("<int:pk>/", views.chain_detail, name="chain-detail"),
    path("<int:pk>/edit/", views.chain_edit, name="chain-edit"),
    path("<int:pk>/nodes/add/", views.node_add, name="chain-node-add"),
    path("<int:pk>/plan/", views.plan, name="chain-plan"),
    path("<int:pk>/lists/<str:kind>/", views.five_list, name="chain-list-of"),
    path("<int:pk>/lists/<str:kind>/add/", views.five_add, name="chain-list-add"),
    path("<int:pk>/reports/<str:month>/", views.report, name="chain-report"),
    path("nodes/<int:pk>/", views.node_detail, name="chain-node"),
    path("nodes/<int:pk>/status/", views.node_status, name="chain-node-status"),
    path("nodes/<int:pk>/place/", views.node_place, name="chain-node-place"),
    path("nodes/<int:pk>/place-projects/", views.node_place_projects, name="chain-node-place-projects"),
    path("targets/<int:pk>/", views.target_detail, name="chain-target"),
    path("targets/<int:pk>/move/", views.target_move, name="chain-target-move"),
    path("targets/<int:pk>/convert/", views.target_convert, name="chain-target-convert"),
    path("policies/<int:pk>/withdraw/", views.policy_withdraw, name="chain-policy-withdraw"),
    path("problems/<int:pk>/", views.problem_detail, name="chain-problem"),
]
