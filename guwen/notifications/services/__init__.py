"""Every write of notifications. Other modules call the entry points after commit:

- ``notify(*, recipients, event, title, body, url="", context=None, region=None)``
- ``notify_phone(*, phone, text, event, context=None, region=None)``
- ``notify_group(*, webhook_url, title, body, event, secret="", style="text")``

See ``outbound`` for what they create, ``sending`` for how deliveries leave, ``inbox`` for read marks.
"""

from guwen.notifications.services.inbox import notification_mark_read, notifications_mark_all_read
from guwen.notifications.services.outbound import (
    mask_email,
    mask_url,
    notify,
    notify_group,
    notify_phone,
    sms_is_real,
)
from guwen.notifications.services.sending import (
    backoff_seconds,
    deliveries_send_due,
    delivery_attempt,
    delivery_retry,
)

__all__ = [
    "backoff_seconds",
    "deliveries_send_due",
    "delivery_attempt",
    "delivery_retry",
    "mask_email",
    "mask_url",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notify",
    "notify_group",
    "notify_phone",
    "sms_is_real",
]
