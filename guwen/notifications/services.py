"""Notifications: an in-app inbox always, plus pluggable senders (email, group-robot webhook, SMS).

The public entry points other modules call (after commit, via ``transaction.on_commit``):

- ``notify(*, recipients, event, title, body, url="", context=None)`` — in-app notices for users,
  plus delivery through each sender the recipient's region/settings enable.
- ``notify_phone(*, phone, text, event, context=None)`` — an SMS to a resident (no account).
- ``notify_group(*, webhook_url, title, body, event)`` — a group-robot webhook message.
"""

from __future__ import annotations

from collections.abc import Iterable


def notify(*, recipients: Iterable, event: str, title: str, body: str, url: str = "", context: dict | None = None):
    raise NotImplementedError("implemented by the notifications module")


def notify_phone(*, phone: str, text: str, event: str, context: dict | None = None):
    raise NotImplementedError("implemented by the notifications module")


def notify_group(*, webhook_url: str, title: str, body: str, event: str):
    raise NotImplementedError("implemented by the notifications module")
