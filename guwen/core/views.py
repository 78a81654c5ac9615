from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness in one: the process answers and the database does too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready"; the detail goes to the log only
        import logging

        logging.getLogger("guwen.health").exception("database check failed")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request):
    """Browsers and in-app browsers that ask for /favicon.ico without reading the page's <link>.
    Temporary: in production the icon's hashed address changes with each release."""
    return redirect(static("guwen/favicon.ico"))
