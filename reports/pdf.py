"""HTML to PDF with WeasyPrint. The renderer fetches nothing but the fonts shipped in
static/fonts/ and the photos a report names: no network, no file path, no system font that a
template could reach by accident."""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.files import File
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONT_DIR = settings.BASE_DIR / "static" / "fonts"
# The only files @font-face may name (see templates/reports/document.html).
FONTS = frozenset({"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"})
FONT_SCHEME = "ncen-font"
PHOTO_SCHEME = "ncen-photo"


@cache
def _font(name: str) -> bytes:
    return (FONT_DIR / name).read_bytes()


class _Fetcher(URLFetcher):
    """Answers the two schemes of a report and refuses every other URL; a refusal stops the
    rendering (``fail_on_errors``) rather than leaving a hole in the document."""

    def __init__(self, photos: dict[str, File]):
        super().__init__(fail_on_errors=True, allowed_protocols={FONT_SCHEME, PHOTO_SCHEME})
        self.photos = photos

    def fetch(self, url, headers=None):
        scheme, _colon, name = url.partition(":")
        if scheme == FONT_SCHEME and name in FONTS:
            return URLFetcherResponse(url, _font(name), {"Content-Type": "font/ttf"})
        if scheme == PHOTO_SCHEME and name in self.photos:
            with self.photos[name].open("rb") as stored:
                return URLFetcherResponse(url, stored.read(), {"Content-Type": "image/jpeg"})
        raise ValueError(f"A report may not fetch {url}")


def photo_url(key: str) -> str:
    """How a template names one of the photos given to ``layout``."""
    return f"{PHOTO_SCHEME}:{key}"


@dataclass
class Laid:
    """A document laid out in pages, ready to be written."""

    document: Document

    @property
    def pages(self) -> int:
        return len(self.document.pages)

    def write(self) -> bytes:
        return self.document.write_pdf()


def layout(html: str, *, photos: dict[str, File]) -> Laid:
    """Lay ``html`` out in pages; ``photos`` are the stored files its images name (read
    through the storage, by key)."""
    document = HTML(string=html, url_fetcher=_Fetcher(photos)).render(
        font_config=FontConfiguration()
    )
    return Laid(document)
