from django.urls import path

from zhaoshang.promotion import views

urlpatterns = [
    path("", views.promotion_list, name="promotion-list"),
    path("new/", views.promotion_create, name="promotion-create"),
    path("<int:pk>/", views.promotion_detail, name="promotion-detail"),
    path("<int:pk>/edit/", views.promotion_edit, name="promotion-edit"),
    path("<int:pk>/move/", views.promotion_move, name="promotion-move"),
    path("<int:pk>/files/", views.promotion_attach, name="promotion-attach"),
    path("<int:pk>/files/<int:file_pk>/", views.promotion_file, name="promotion-file"),
]
