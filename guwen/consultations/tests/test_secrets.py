"""Signing secrets (the group robot's, the outbound robots' and event webhooks') are stored
encrypted under GUWEN_DATA_KEY and read back in clear."""

from __future__ import annotations

import pytest

from guwen.core.crypto import decrypt_text


@pytest.mark.django_db
def test_signing_secrets_are_stored_encrypted_and_read_in_clear(world):
    from django.db import connection

    from guwen.consultations.models import GroupChannel
    from guwen.notifications.models import WebhookSubscription

    channel = GroupChannel.objects.create(community=world.community_a, group_name="居民群")
    hook = WebhookSubscription.objects.create(
        name="对接", url="https://hooks.example.org/guwen", secret="s" * 24, events="*"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM consultations_groupchannel WHERE id = %s", [channel.pk])
        (stored_channel,) = cursor.fetchone()
        cursor.execute("SELECT secret FROM notifications_webhooksubscription WHERE id = %s", [hook.pk])
        (stored_hook,) = cursor.fetchone()
    assert channel.secret not in stored_channel and decrypt_text(stored_channel) == channel.secret
    assert "s" * 24 not in stored_hook and decrypt_text(stored_hook) == "s" * 24
    assert GroupChannel.objects.get(pk=channel.pk).secret == channel.secret
    assert WebhookSubscription.objects.get(pk=hook.pk).secret == "s" * 24
