"""Signing in and out, two-factor sign-in, and the account page. Single sign-on is in oidc.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import match_token, user_has_device

from recreg.accounts import services, twofactor
from recreg.accounts.forms import (
    CodeForm,
    NewPasswordForm,
    ResetRequestForm,
    SetUpForm,
    SignInForm,
)

SETUP_KEY_SESSION = "recreg_2fa_new_key"


def _next_url(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.RECREG_OIDC_ENABLED
        context["oidc_provider"] = settings.RECREG_OIDC_PROVIDER_NAME
        context["sign_on_failed"] = self.request.GET.get("sign_on") == "failed"
        return context


@login_required
def verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    if twofactor.standing(request) in (twofactor.VERIFIED, twofactor.NOT_NEEDED):
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect("accounts:2fa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = twofactor.client_address(request)
        lock = services.sign_in_lockout(request.user.email, address)
        if lock:
            form.add_error("code", lock.message)
        elif match_token(request.user, form.cleaned_data["code"]) is not None:
            twofactor.mark_verified(request)
            return redirect(_next_url(request))
        else:
            services.record_sign_in_failure(request.user.email, address)
            form.add_error("code", "The code is not right, or has been used: try the next one")
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "next": _next_url(request, "")},
    )


@login_required
def set_up(request):
    """Set up an authenticator app: a QR code and the secret as text, then a code to confirm."""
    if user_has_device(request.user):
        if twofactor.standing(request) == twofactor.MUST_VERIFY:
            return redirect("accounts:2fa_verify")
        messages.info(request, "Two-factor sign-in is already set up for your account")
        return redirect("accounts:account")
    key = request.session.get(SETUP_KEY_SESSION)
    if not key:
        key = twofactor.new_key()
        request.session[SETUP_KEY_SESSION] = key
    form = SetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        last_t = twofactor.check_new_code(key, form.cleaned_data["code"])
        if last_t is None:
            form.add_error(
                "code", "The code is not right: check the app shows the Recommendations Register"
            )
        else:
            codes = services.enrol_two_factor(
                request.user, key=key, last_t=last_t, actor=request.user
            )
            request.session.pop(SETUP_KEY_SESSION, None)
            twofactor.mark_verified(request)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request, "/accounts/"), "new_setup": True},
            )
    return render(
        request,
        "accounts/set_up.html",
        {
            "form": form,
            "next": _next_url(request, ""),
            "required": twofactor.requires_two_factor(request.user),
            **twofactor.setup_details(request.user, key),
        },
    )


@login_required
def account(request):
    """The reader's own account: two-factor sign-in and sessions."""
    return render(
        request,
        "accounts/account.html",
        {
            "has_2fa": user_has_device(request.user),
            "required": twofactor.requires_two_factor(request.user),
            "local_password": request.user.has_usable_password(),
        },
    )


@require_POST
@login_required
def recovery_codes(request):
    """Replace the recovery codes and show the new ones, once."""
    if not user_has_device(request.user):
        return redirect("accounts:2fa_setup")
    codes = services.renew_recovery_codes(request.user, actor=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": "/accounts/", "new_setup": False},
    )


@require_POST
@login_required
def remove_two_factor(request):
    """Turn off two-factor sign-in, where the reader's role does not require it."""
    if twofactor.requires_two_factor(request.user):
        raise PermissionDenied("Your role must sign in with two factors")
    services.remove_two_factor(request.user, actor=request.user)
    request.session[twofactor.SESSION_KEY] = twofactor.NOT_NEEDED
    messages.success(request, "Two-factor sign-in is turned off for your account")
    return redirect("accounts:account")


@require_POST
@login_required
def sign_out_everywhere(request):
    """End every session of this reader, this one included."""
    services.sign_out_everywhere(request.user, actor=request.user)
    logout(request)
    messages.success(request, "You have been signed out on every device")
    return redirect("core:home")


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/reset_request.html"
    form_class = ResetRequestForm
    email_template_name = "accounts/email/reset.txt"
    subject_template_name = "accounts/email/reset_subject.txt"
    success_url = reverse_lazy("accounts:reset_sent")

    def form_valid(self, form):
        # The link in the email is built from the configured site address, never from the
        # Host header a stranger could set.
        self.extra_email_context = {"site_url": settings.RECREG_SITE_URL}
        return super().form_valid(form)


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/reset_sent.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:reset_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password ends the lockout the old guesses caused.
        services.clear_sign_in_failures(form.user.email)
        return response


class ResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/reset_done.html"
