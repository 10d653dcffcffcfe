"""Uploaded photos and signatures: only real images, not too big, with location data removed.

The content decides, not the file name: Pillow must recognise and fully decode the data. We keep a
re-encoded copy, so EXIF (GPS position, device serial) never reaches storage.
"""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000


def image_clean(upload) -> ContentFile:
    """A ContentFile holding the re-encoded image; ValidationError for anything else."""
    limit = getattr(settings, "GUANJIA_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    size = getattr(upload, "size", None)
    data = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if (size or len(data)) > limit or len(data) > limit:
        raise ValidationError(_("图片不能超过 %(size)s") % {"size": filesizeformat(limit)}, code="too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # structure check; the image must be reopened after verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(_("只接受 JPEG、PNG 或 WebP 图片"), code="bad_format")
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("图片尺寸过大"), code="too_large")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("文件不是有效的图片"), code="not_an_image") from None
    fmt = image.format
    image = ImageOps.exif_transpose(image)  # keep the picture upright once the orientation tag is gone
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format=fmt)  # no exif= argument: metadata is dropped
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}")
