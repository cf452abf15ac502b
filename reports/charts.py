"""Bar charts as SVG, drawn here so that a PDF needs no script: columns over time and
horizontal bars by category. Labels are escaped; text uses the report's own font (see
templates/reports/document.html), so nothing else is embedded."""

import math

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640  # user units; the SVG is scaled to the text width
FONT = SafeString('font-family="nCEN Sans" font-size="10"')
SMALL = SafeString('font-family="nCEN Sans" font-size="8"')
BAR = "#3b5b7a"


def _scale_top(largest: int) -> int:
    """A round upper end for the axis: 1, 2 or 5 times a power of ten."""
    if largest <= 0:
        return 1
    power = 10 ** math.floor(math.log10(largest))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= largest)


def _at(value: float) -> str:
    """A coordinate, to a tenth of a unit."""
    return f"{value:.1f}"


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


def columns(bars: list[tuple[str, int]], *, title: str, height: int = 230) -> SafeString:
    """Vertical bars, one per (label, count), in order; every label when they fit, otherwise
    one in ``step``, and each count above its bar when there are few enough."""
    left, bottom, top = 48, 24, 16
    plot_width, plot_height = WIDTH - left - 8, height - bottom - top
    scale = _scale_top(max((count for _label, count in bars), default=0))
    slot = plot_width / max(len(bars), 1)
    step = math.ceil(len(bars) / 12) if bars else 1
    shapes = []
    for tick in (0, scale // 2, scale) if scale > 1 else (0, scale):
        y = top + plot_height * (1 - tick / scale)
        shapes.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#bbb" stroke-width=".5"/>'
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>',
                left,
                _at(y),
                WIDTH - 8,
                _at(y),
                left - 4,
                _at(y + 3.5),
                FONT,
                _count(tick),
            )
        )
    for n, (label, count) in enumerate(bars):
        bar_height = plot_height * count / scale
        x = left + n * slot + slot * 0.15
        y = top + plot_height - bar_height
        shapes.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                _at(x),
                _at(y),
                _at(slot * 0.7),
                _at(bar_height),
                BAR,
            )
        )
        if len(bars) <= 24:
            shapes.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" {}>{}</text>',
                    _at(x + slot * 0.35),
                    _at(y - 2),
                    SMALL,
                    _count(count),
                )
            )
        if n % step == 0:
            shapes.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" {}>{}</text>',
                    _at(x + slot * 0.35),
                    height - 8,
                    FONT,
                    label,
                )
            )
    return _svg(title, height, shapes)


def bars(rows: list[tuple[str, int]], *, title: str) -> SafeString:
    """Horizontal bars, one per (label, count), in order, with the label on the left and the
    count after the bar."""
    label_width, row_height, top = 190, 18, 4
    height = top * 2 + row_height * max(len(rows), 1)
    plot_width = WIDTH - label_width - 70
    scale = max((count for _label, count in rows), default=0) or 1
    shapes = []
    for n, (label, count) in enumerate(rows):
        y = top + n * row_height
        length = plot_width * count / scale
        shapes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" {}>{}</text>',
                label_width - 6,
                _at(y + 12.5),
                FONT,
                label,
                label_width,
                _at(y + 3),
                _at(length),
                row_height - 6,
                BAR,
                _at(label_width + length + 4),
                _at(y + 12.5),
                FONT,
                _count(count),
            )
        )
    return _svg(title, height, shapes)


def _svg(title: str, height: int, shapes: list[SafeString]) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-label="{}"><title>{}</title>{}</svg>',
        WIDTH,
        height,
        title,
        title,
        format_html_join("", "{}", ((shape,) for shape in shapes)),
    )
