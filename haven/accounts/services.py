"""Every write to landlords, teams, users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import ApiToken, Landlord, Role, Team, User
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.common.errors import ApplicationError
from haven.policies.registry import UnknownPolicy, get_profile

TOKEN_PREFIX = "hvn_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def landlord_create(*, actor: Any, slug: str, name: str, policy_id: str, via: str = "web") -> Landlord:
    try:
        get_profile(policy_id)
    except UnknownPolicy as exc:
        raise ApplicationError(str(exc), fields={"policy_id": str(exc)}) from None
    if Landlord.objects.filter(slug=slug).exists():
        raise ApplicationError(f"A landlord called {slug!r} already exists.", fields={"slug": "This is already used."})
    landlord = Landlord.objects.create(slug=slug, name=name, policy_id=policy_id)
    audit_record(
        actor=actor,
        verb=Verb.LANDLORD_CREATED,
        target=landlord,
        landlord_id=landlord.pk,
        via=via,
        changes={"policy_id": [None, policy_id]},
    )
    return landlord


@transaction.atomic
def team_create(*, actor: Any, landlord: Landlord, name: str, via: str = "web") -> Team:
    team = Team.objects.create(landlord=landlord, name=name)
    audit_record(actor=actor, verb=Verb.TEAM_CREATED, target=team, via=via)
    return team


@transaction.atomic
def user_create(
    *,
    actor: Any,
    landlord: Landlord,
    username: str,
    role: Role,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    team: Team | None = None,
    via: str = "web",
) -> User:
    if team is not None and team.landlord_id != landlord.pk:
        raise ApplicationError(
            "The team belongs to another landlord.", fields={"team": "Choose one of this landlord's teams."}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            f"The user name {username!r} is taken.", fields={"username": "Choose another user name."}
        )
    user = User(
        username=username,
        landlord=landlord,
        role=role,
        team=team,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=actor,
        verb=Verb.USER_CREATED,
        target=user,
        landlord_id=landlord.pk,
        via=via,
        changes={"role": [None, role.value]},
    )
    return user


@transaction.atomic
def token_create(*, actor: Any, user: User, name: str = "", via: str = "command") -> str:
    """Create an API token for ``user`` and return it; only its hash is kept (API.md: Bearer)."""
    if not (user.is_active and user.landlord_id and user.role):
        raise ApplicationError(
            f"{user.username} is not an active member of a landlord's staff, so cannot have a token."
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[: len(TOKEN_PREFIX) + 4], name=name)
    audit_record(actor=actor, verb=Verb.TOKEN_CREATED, target=user, via=via, label=user.username)
    return raw


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken, via: str = "web") -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, verb=Verb.TOKEN_REVOKED, target=token.user, via=via, label=token.user.username)


@transaction.atomic
def session_signed_in(*, user: User) -> None:
    audit_record(actor=user, verb=Verb.SIGNED_IN, target=user, label=user.username)


@transaction.atomic
def session_signed_out(*, user: User) -> None:
    audit_record(actor=user, verb=Verb.SIGNED_OUT, target=user, label=user.username)


def token_authenticate(*, raw: str) -> User | None:
    """The active user a live token belongs to, or None; notes when the token was last used."""
    token = (
        ApiToken.objects.select_related("user", "user__landlord")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Touch at most once a minute so a busy integration does not write on every call.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
