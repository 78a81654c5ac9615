"""Helpers the outreach services share: text checks, uploads, who the advisors are."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from guwen.core.errors import DomainError
from guwen.core.uploads import IMAGES, check_upload
from guwen.core.validators import plain_text
from guwen.regions.models import Lawyer, Region
from guwen.regions.selectors import current_assignments


def text(value: str | None, *, field: str, label: str, limit: int, required: bool = True) -> str:
    value = plain_text((value or "").strip(), field=field)
    if required and not value:
        raise DomainError(_("请填写%(label)s") % {"label": label}, field=field)
    if len(value) > limit:
        raise DomainError(_("%(label)s不能超过 %(n)d 字") % {"label": label, "n": limit}, field=field)
    return value


def advisors_for(lawyers: Iterable[Lawyer], *, community: Region, field: str = "advisors") -> list[Lawyer]:
    """The lawyers named on a record: at least one, each serving the community today."""
    lawyers = list({lawyer.pk: lawyer for lawyer in lawyers}.values())
    if not lawyers:
        raise DomainError(_("请至少选择一名顾问律师"), field=field)
    serving = set(
        current_assignments()
        .filter(community=community, lawyer__in=lawyers)
        .values_list("lawyer_id", flat=True)
    )
    strangers = [lawyer.name for lawyer in lawyers if lawyer.pk not in serving]
    if strangers:
        raise DomainError(
            _("%(names)s 不是%(community)s的在任顾问律师")
            % {"names": "、".join(strangers), "community": community},
            field=field,
        )
    return lawyers


def stored_upload(upload, *, field: str, images_only: bool = False) -> tuple[ContentFile, str]:
    """An uploaded photo or scan, checked by content (photos encoded again, no metadata kept)."""
    try:
        checked = check_upload(upload)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field=field) from exc
    if images_only and checked.file_type not in IMAGES:
        raise DomainError(_("照片只能是 JPEG、PNG 或 WebP 格式"), field=field)
    return ContentFile(
        checked.content, name=f"{field}{checked.file_type.extension}"
    ), checked.file_type.subtype
