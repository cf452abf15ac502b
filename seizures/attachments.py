"""What an uploaded file really is, judged by its content, and its thumbnail."""

import io
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

THUMBNAIL_SIZE = (320, 320)
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
# Office documents are zip files whose first entry names their kind.
OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    is_image: bool


def sniff(data: bytes) -> Sniffed | None:
    """The content type of ``data`` if it is a kind we keep (images, PDF, office documents,
    plain text), whatever the file is called; None otherwise."""
    image_type = _image_type(data)
    if image_type:
        return Sniffed(image_type, is_image=True)
    if data.startswith(b"%PDF-"):
        return Sniffed("application/pdf", is_image=False)
    if data.startswith(b"PK\x03\x04"):
        office_type = _office_type(data)
        return Sniffed(office_type, is_image=False) if office_type else None
    if _is_plain_text(data):
        return Sniffed("text/plain", is_image=False)
    return None


def _image_type(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return IMAGE_TYPES.get(image.format or "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, content_type in OFFICE_TYPES.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Markup would be rendered by a browser that ignored our content type.
    return not text.lstrip().startswith("<")


def thumbnail(data: bytes) -> ContentFile:
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue())
