"""Admin forms whose secret fields are write-only.

A signing secret typed into the admin (a group robot's, an event webhook's) is never sent back to
the browser: the box is a password box that renders empty, leaving it empty keeps the stored
secret, and typing into it replaces the secret.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guwen.core import formtools


class WriteOnlySecrets(formtools.ModelForm):
    """Set ``secret_fields`` on a subclass (``Meta`` is filled in by the ModelAdmin)."""

    secret_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.secret_fields:
            field = self.fields.get(name)
            if field is None:
                continue
            field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
            field.show_hidden_initial = False  # a callable default would be echoed in a hidden input
            if self.instance.pk and getattr(self.instance, name):
                field.required = False
                field.help_text = _("已设置（不显示）。留空保持不变，填写则替换。")
            elif self._model_field(name).has_default():
                field.required = False
                field.help_text = _("留空则自动生成。")

    def _model_field(self, name: str):
        return self._meta.model._meta.get_field(name)

    def clean(self):
        cleaned = super().clean()
        for name in self.secret_fields:
            if name not in self.fields or cleaned.get(name):
                continue
            if self.instance.pk:
                cleaned[name] = getattr(self.instance, name)
            elif self._model_field(name).has_default():
                cleaned[name] = self._model_field(name).get_default()
        return cleaned


class DocumentTemplateUploadForm(formtools.ModelForm):
    """Upload of a replacement Word template: the kind is chosen from those the apps register, and
    the file is checked (``guwen.core.documents.check_template``) before anything is saved."""

    kind = forms.ChoiceField(label=_("文书种类"), choices=())
    district_code = forms.CharField(
        label=_("适用区（统计用区划代码）"),
        max_length=12,
        required=False,
        help_text=_("留空则为各区通用的默认模板；填写区的 12 位代码则只用于该区，该区没有时用默认模板。"),
    )
    upload = forms.FileField(label=_("模板文件（.docx）"))

    def __init__(self, *args, **kwargs):
        from guwen.core import documents

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind.key, f"{kind.title}（{kind.key}）") for kind in documents.kinds()
        ]

    def clean(self):
        from guwen.core import documents

        cleaned = super().clean()
        try:
            cleaned["district_code"] = documents.clean_district_code(cleaned.get("district_code", ""))
        except documents.DomainError as exc:
            self.add_error("district_code", exc.message)
        else:
            code = cleaned["district_code"]
            if code and not _names_a_district(code):
                self.add_error("district_code", _("没有代码为 %(code)s 的区") % {"code": code})
        upload = cleaned.get("upload")
        kind = cleaned.get("kind")
        if upload is not None and kind:
            if upload.size > documents.MAX_TEMPLATE_BYTES:
                self.add_error("upload", _("模板文件超过 5 MB。"))
                return cleaned
            data = upload.read()
            try:
                documents.check_template(documents.get_kind(kind), data)
            except documents.DomainError as exc:
                self.add_error("upload", exc.message)
            cleaned["data"] = data
        return cleaned


def _names_a_district(code: str) -> bool:
    """Whether a district with this code exists. Asked through the app registry, not an import: core
    sits below regions and keeps only the code (a typo would otherwise never match any record)."""
    from django.apps import apps

    if not apps.is_installed("guwen.regions"):
        return True
    return apps.get_model("regions", "Region").objects.filter(code=code, level="district").exists()
