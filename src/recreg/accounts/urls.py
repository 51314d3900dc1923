from django.contrib.auth import views as auth_views
from django.urls import path

from recreg.accounts import oidc, views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("two-factor/verify/", views.verify, name="2fa_verify"),
    path("two-factor/set-up/", views.set_up, name="2fa_setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="2fa_recovery_codes"),
    path("two-factor/remove/", views.remove_two_factor, name="2fa_remove"),
    path("password-reset/", views.ResetRequestView.as_view(), name="reset"),
    path("password-reset/sent/", views.ResetSentView.as_view(), name="reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="reset_confirm",
    ),
    path("password-reset/done/", views.ResetDoneView.as_view(), name="reset_done"),
    path("sign-on/", oidc.start, name="oidc_start"),
    path("sign-on/callback/", oidc.callback, name="oidc_callback"),
]
