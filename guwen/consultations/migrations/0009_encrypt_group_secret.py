"""Group-robot signing secrets are encrypted at rest: copied into an encrypted column, which then
takes the old column's name."""

from django.db import migrations

import guwen.consultations.models
import guwen.core.fields


def encrypt(apps, schema_editor):
    GroupChannel = apps.get_model("consultations", "GroupChannel")
    for channel in GroupChannel.objects.all():
        channel.sealed_secret = channel.secret
        channel.save(update_fields=["sealed_secret"])


class Migration(migrations.Migration):
    dependencies = [("consultations", "0008_seed_triage_keywords")]

    operations = [
        migrations.AddField(
            model_name="groupchannel",
            name="sealed_secret",
            field=guwen.core.fields.EncryptedTextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt, migrations.RunPython.noop),
        migrations.RemoveField(model_name="groupchannel", name="secret"),
        migrations.RenameField(model_name="groupchannel", old_name="sealed_secret", new_name="secret"),
        migrations.AlterField(
            model_name="groupchannel",
            name="secret",
            field=guwen.core.fields.EncryptedTextField(
                default=guwen.consultations.models.new_group_secret,
                help_text="机器人用它对请求签名；泄露后请更换",
                verbose_name="签名密钥",
            ),
        ),
    ]
