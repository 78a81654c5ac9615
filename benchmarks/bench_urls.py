"""The project's URLs plus a bare Django JSON view: the ceiling intake is measured against."""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def bare(request):
    """Parse the same JSON body and answer JSON, through the same middleware, with no database work."""
    data = json.loads(request.body or b"{}")
    return JsonResponse({"ok": True, "fields": len(data)}, status=201)


urlpatterns = [
    path("bench/bare", bare, name="bench_bare"),
    path("", include("guwen.urls")),
]
