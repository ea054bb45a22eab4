from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator

from haven.accounts.forms import SignInForm
from haven.accounts.models import User
from haven.accounts.permissions import is_landlord_staff
from haven.accounts.selectors import landlord_profile
from haven.accounts.services import session_signed_in, session_signed_out


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        session_signed_in(user=form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if isinstance(request.user, User):
            session_signed_out(user=request.user)
        return super().post(request, *args, **kwargs)


def home(request: HttpRequest) -> HttpResponse:
    """The staff home page: who you are, for which landlord, and the policy you work to."""
    user = request.user
    if not isinstance(user, User) or not is_landlord_staff(user):
        return render(request, "accounts/no_landlord.html", status=403)
    profile = landlord_profile(user.landlord)  # type: ignore[arg-type]
    return render(request, "accounts/home.html", {"profile": profile, "defaults": profile.defaults()})
