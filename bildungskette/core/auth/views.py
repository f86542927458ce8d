"""Password reset by e-mail and password change: Django's auth views with German templates.

The reset request is rate-limited per client address and per address asked for; the answer is
the same whether or not the address belongs to an account.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

from .throttle import client_ip, rate_limited

RESET_REQUESTS_PER_ADDRESS = 3
RESET_REQUESTS_PER_IP = 10
RESET_WINDOW = datetime.timedelta(hours=1)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/password_reset_form.html"
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")

    def form_valid(self, form):
        if rate_limited(kind="password_reset_ip", value=client_ip(self.request), limit=RESET_REQUESTS_PER_IP,
                        window=RESET_WINDOW):
            return render(self.request, self.template_name, {"form": form, "too_many": True}, status=429)
        if rate_limited(kind="password_reset_email", value=form.cleaned_data["email"],
                        limit=RESET_REQUESTS_PER_ADDRESS, window=RESET_WINDOW):
            return super(auth_views.PasswordResetView, self).form_valid(form)  # same answer, no mail
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


@method_decorator(sensitive_post_parameters("new_password1", "new_password2"), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change_form.html"
    success_url = reverse_lazy("core:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "core/password_change_done.html"
