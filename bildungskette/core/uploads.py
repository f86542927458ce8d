"""Upload limits: every file input names its kind, and the setting ``UPLOAD_LIMITS`` says how big
a file of that kind may be. Bigger files are refused with a German message before anything reads
them (Django has already streamed them to a temporary file, so memory stays bounded)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _


def upload_limit(kind: str) -> int:
    return int(settings.UPLOAD_LIMITS[kind])


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size} Byte"


class LimitedFileField(forms.FileField):
    """A FileField with the size limit of its kind (``UPLOAD_LIMITS[kind]``, in bytes)."""

    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        limit = upload_limit(self.kind)
        if value and value.size > limit:
            raise forms.ValidationError(
                _("Die Datei ist zu groß (%(size)s); erlaubt sind höchstens %(limit)s (%(bytes)s Byte).")
                % {"size": size_text(value.size), "limit": size_text(limit), "bytes": f"{limit:,}".replace(",", ".")},
                code="file_too_large")
