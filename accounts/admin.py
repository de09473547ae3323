from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Organisation, Team, User


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "role")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "tier", "teams"]
    search_fields = ["email", "full_name"]
    list_select_related = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "role", "organisation", "language", "time_zone"]}),
        (_("Customer"), {"fields": ["tier", "lifetime_value"]}),
        (
            _("Agent"),
            {"fields": ["teams", "skills", "languages", "availability", "capacity", "is_senior"]},
        ),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})
    ]
    filter_horizontal = ["teams", "groups"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "shares_tickets"]
    search_fields = ["name", "domain"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "lead"]
    list_select_related = ["lead"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "prefix", "user", "created_at", "last_used_at"]
    list_select_related = ["user"]
