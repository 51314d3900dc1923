from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from recreg.accounts import services
from recreg.accounts.twofactor import client_address
from recreg.core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been switched off",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else "unknown"
        # A locked account or address is refused before the password is even checked, so
        # guessing cannot go on while the lock lasts.
        lock = services.sign_in_lockout(email, address)
        if lock:
            raise ValidationError(lock.message, code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            if email and self.cleaned_data.get("password"):
                services.record_sign_in_failure(email, address)
            raise
        services.clear_sign_in_failures(email)
        return cleaned


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip()


class SetUpForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="After you add the register to your app, it shows a 6-digit code",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )


class ResetRequestForm(GovukFormMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 8 characters. Not a common password, not only numbers, and not like "
            "your name or email address"
        )
        self.fields["new_password2"].label = "Confirm new password"
