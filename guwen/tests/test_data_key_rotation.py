"""A data-key change: old tokens stay readable, `rotate_data_key` moves every token and keyed hash
to the new key, and afterwards the old key can be dropped."""

import pytest
from django.core.management import CommandError, call_command

from guwen.consultations.models import Consultation, GroupChannel
from guwen.consultations.services import consultation_submit
from guwen.core.audit import AuditEvent
from guwen.core.crypto import keyed_hash, under_current_key
from guwen.core.management.commands.rotate_data_key import sealed_columns
from guwen.regions.models import Lawyer
from guwen.regions.services import lawyer_read_id_number

pytestmark = pytest.mark.django_db

NEW_KEY = "rotated-data-key-0123456789abcdef0123456789abcdef"


def test_every_sealed_column_is_found_by_convention():
    labels = {(c.label, c.hash) for c in sealed_columns()}
    assert ("consultations.Consultation.phone_encrypted", "phone_hash") in labels
    assert ("regions.Lawyer.id_number_encrypted", "id_number_hash") in labels
    assert ("duty.Booking.phone_encrypted", "phone_hash") in labels
    assert ("notifications.Delivery.address_encrypted", "") in labels
    for secret in ("consultations.GroupChannel.secret", "notifications.ChannelConfig.robot_secret"):
        assert (secret, "") in labels


def test_rotation_moves_tokens_and_hashes_to_the_new_key(world, settings, capsys):
    old_key = settings.GUWEN_DATA_KEY
    phone = "13912345678"
    asked = consultation_submit(
        community=world.community_a, channel="web", text="工资被拖欠三个月怎么办", phone=phone
    )
    group = GroupChannel.objects.create(community=world.community_a, group_name="南龙居民群")
    secret = group.secret
    lawyer = Lawyer.objects.get(pk=world.lawyer_a.pk)
    id_number = lawyer_read_id_number(lawyer=lawyer, by=None)

    settings.GUWEN_DATA_KEY, settings.GUWEN_DATA_KEYS_RETIRED = NEW_KEY, [old_key]
    # Still readable under the retired key, but look-ups by hash miss until the rotation has run.
    assert GroupChannel.objects.get().secret == secret
    assert not Consultation.objects.filter(phone_hash=keyed_hash(phone)).exists()
    with pytest.raises(CommandError, match="未换用当前密钥"):
        call_command("rotate_data_key", "--check")

    call_command("rotate_data_key")
    assert "rows now under the current key" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="data_key.rotated").count() == 1

    settings.GUWEN_DATA_KEYS_RETIRED = []  # the old key is gone
    consultation = Consultation.objects.get(phone_hash=keyed_hash(phone))
    assert consultation.pk == asked.consultation.pk and under_current_key(consultation.phone_encrypted)
    assert GroupChannel.objects.get().secret == secret
    lawyer = Lawyer.objects.get(pk=world.lawyer_a.pk)
    assert lawyer.id_number_hash == keyed_hash(id_number)
    assert lawyer_read_id_number(lawyer=lawyer, by=None) == id_number
    call_command("rotate_data_key", "--check")  # nothing left
    call_command("rotate_data_key")  # and a second run changes nothing
    assert AuditEvent.objects.filter(action="data_key.rotated").count() == 1


def test_a_token_under_an_unknown_key_stops_the_rotation_with_a_clear_message(world, settings):
    settings.GUWEN_DATA_KEY = NEW_KEY  # the old key was not listed as retired
    with pytest.raises(CommandError, match="GUWEN_DATA_KEYS_RETIRED"):
        call_command("rotate_data_key")
