from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "recreg.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from recreg.accounts import twofactor

        def forget_two_factor(sender, request, user, **kwargs):
            # A fresh sign-in owes the second factor again, whatever the session held before.
            if request is not None and hasattr(request, "session"):
                twofactor.forget(request.session)

        user_logged_in.connect(forget_two_factor, dispatch_uid="recreg_forget_two_factor")
