import pytest
from django.contrib import admin
from django.test import RequestFactory

from guwen.core.models import AuditEvent, CalendarOverride


@pytest.mark.django_db
def test_audit_events_are_read_only_in_admin(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = admin.site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


@pytest.mark.django_db
def test_calendar_overrides_are_editable_in_admin(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = admin.site._registry[CalendarOverride]
    assert model_admin.has_add_permission(request)
    assert model_admin.has_change_permission(request)
