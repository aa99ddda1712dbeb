from django.urls import path

from zhaoshang.chains import views

urlpatterns = [
    path("", views.chain_list, name="chain-list"),
    path("inspection/", views.inspection, name="chain-inspection"),
    path("<int:pk>/", views.chain_detail, name="chain-detail"),
    path("<int:pk>/lists/<str:kind>/", views.five_list, name="chain-list-of"),
    path("<int:pk>/lists/<str:kind>/add/", views.five_add, name="chain-list-add"),
    path("<int:pk>/reports/<str:month>/", views.report, name="chain-report"),
    path("nodes/<int:pk>/", views.node_detail, name="chain-node"),
    path("nodes/<int:pk>/status/", views.node_status, name="chain-node-status"),
    path("nodes/<int:pk>/place/", views.node_place, name="chain-node-place"),
    path("targets/<int:pk>/", views.target_detail, name="chain-target"),
    path("targets/<int:pk>/move/", views.target_move, name="chain-target-move"),
    path("targets/<int:pk>/convert/", views.target_convert, name="chain-target-convert"),
]
