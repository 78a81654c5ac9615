"""JSON API routes of knowledge (mounted under /api/v1/ by guwen/api.py)."""

from ninja import Router

router = Router(tags=["knowledge"])
