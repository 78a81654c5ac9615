from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Domain-free building blocks: validators, masking, crypto, audit, calendar, workflow."""

    name = "guwen.core"
    label = "core"
    verbose_name = _("基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The database cache's table comes with every migrate, so a deployment without Redis
        # needs no step of its own (createcachetable skips a table that exists).
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="core_cache_table")
        # Connects the cache-invalidation receivers for CalendarOverride.
        from guwen.core import workcalendar  # noqa: F401

        _plain_text_admin_forms()

        # The kinds of official document each app produces (its documents module registers them).
        from guwen.core import documents

        documents.autodiscover()


def _plain_text_admin_forms() -> None:
    """The admin's forms refuse control characters like every other form of the project: each
    registered ModelAdmin's form (Django's default ModelForm, or its own) gets ``PlainTextMixin``.
    The admin registers its models in its own ready(), which runs first (INSTALLED_APPS order)."""
    from django.contrib import admin

    from guwen.core.formtools import PlainTextMixin

    for model_admin in admin.site._registry.values():
        form = model_admin.form
        if not issubclass(form, PlainTextMixin):
            model_admin.form = type(form.__name__, (PlainTextMixin, form), {"__module__": form.__module__})


def _create_cache_table(*, using: str = "default", verbosity: int = 1, **kwargs: object) -> None:
    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))
