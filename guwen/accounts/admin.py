from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from guwen.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["region", "firm"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "is_active", "is_staff", "is_demo", "last_login"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("顾问平台"), {"fields": ("display_name", "phone", "is_demo")}),
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "firm", "starts_on", "ends_on"]
    list_filter = ["role"]
    raw_id_fields = ["user", "region", "firm"]
