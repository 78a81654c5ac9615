from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from guwen.accounts.models import Membership, User
from guwen.core import audit, formtools


class SetByAdminPasswordForm(formtools.PlainTextMixin, AdminPasswordChangeForm):
    """A password an administrator types for someone else is temporary: the owner replaces it at
    the next sign-in."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


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
        (_("顾问平台"), {"fields": ("display_name", "phone", "is_demo", "must_change_password")}),
    )
    change_password_form = SetByAdminPasswordForm

    def log_change(self, request, obj, message):
        # The admin's password page logs its change here, after the form saved the new password.
        if request.path.rstrip("/").endswith("/password"):
            audit.record(actor=request.user, action="account.password.reset", obj=obj)
        return super().log_change(request, obj, message)

    def save_model(self, request, obj, form, change):
        # An account made here has a password its owner did not choose.
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
        if not change:
            audit.record(actor=request.user, action="account.create", obj=obj, new={"username": obj.username})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "firm", "starts_on", "ends_on"]
    list_filter = ["role"]
    raw_id_fields = ["user", "region", "firm"]
