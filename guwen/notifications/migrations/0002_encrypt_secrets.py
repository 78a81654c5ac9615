"""Robot and webhook signing secrets are encrypted at rest: each copied into an encrypted column,
which then takes the old column's name."""

from django.db import migrations

import guwen.core.fields


def encrypt(apps, schema_editor):
    for model_name, field in (("ChannelConfig", "robot_secret"), ("WebhookSubscription", "secret")):
        model = apps.get_model("notifications", model_name)
        for row in model.objects.all():
            setattr(row, f"sealed_{field}", getattr(row, field))
            row.save(update_fields=[f"sealed_{field}"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="channelconfig",
            name="sealed_robot_secret",
            field=guwen.core.fields.EncryptedTextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="webhooksubscription",
            name="sealed_secret",
            field=guwen.core.fields.EncryptedTextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt, migrations.RunPython.noop),
        migrations.RemoveField(model_name="channelconfig", name="robot_secret"),
        migrations.RemoveField(model_name="webhooksubscription", name="secret"),
        migrations.RenameField(
            model_name="channelconfig", old_name="sealed_robot_secret", new_name="robot_secret"
        ),
        migrations.RenameField(model_name="webhooksubscription", old_name="sealed_secret", new_name="secret"),
        migrations.AlterField(
            model_name="channelconfig",
            name="robot_secret",
            field=guwen.core.fields.EncryptedTextField(
                blank=True, help_text="机器人开启“加签”时填写。", verbose_name="群机器人签名密钥"
            ),
        ),
        migrations.AlterField(
            model_name="webhooksubscription",
            name="secret",
            field=guwen.core.fields.EncryptedTextField(
                help_text="接收方用它校验 X-Guwen-Signature: sha256=<请求体的 HMAC-SHA256>。",
                verbose_name="签名密钥",
            ),
        ),
    ]
