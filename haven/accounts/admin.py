from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from haven.accounts.models import Landlord, Team, User


@admin.register(Landlord)
class LandlordAdmin(admin.ModelAdmin[Landlord]):
    list_display = ("name", "slug", "policy_id")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "landlord")
    list_filter = ("landlord",)


@admin.register(User)
class HavenUserAdmin(UserAdmin):
    list_display = ("username", "landlord", "role", "team", "is_active")
    list_filter = ("landlord", "role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Haven", {"fields": ("landlord", "role", "team")}))  # type: ignore[misc]
