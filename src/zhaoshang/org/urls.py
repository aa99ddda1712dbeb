from django.urls import path

from zhaoshang.org import views, views_accounts

urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/roles/", views.membership_add, name="membership-add"),
    path("users/<int:pk>/active/", views.user_toggle_active, name="user-toggle-active"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
    path("users/<int:pk>/password/", views_accounts.user_reset_password, name="user-reset-password"),
    path("users/<int:pk>/2fa/", views_accounts.user_reset_two_factor, name="user-reset-two-factor"),
    path("lockouts/", views_accounts.lockout_list, name="lockout-list"),
    path("lockouts/lift/", views_accounts.lockout_lift, name="lockout-lift"),
]
