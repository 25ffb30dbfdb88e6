"""A horizontal bar chart as inline SVG: rects and text, nothing to load, no script."""

from __future__ import annotations

from html import escape

CHAR_WIDTH = 7.3  # a 12px monospace character
ROW = 24
BAR = 16
BAR_ROOM = 300  # the longest bar
COUNT_ROOM = 48  # right of the longest bar, for its number
MAX_LABEL = 44  # characters; longer labels keep their end ("…/routes_leads.py")


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else "…" + text[-(MAX_LABEL - 1) :]


def bar_chart(chart_id: str, title: str, bars: list[tuple[str, int, str]]) -> str:
    """`bars`: (label, value, fill colour); `title` names the chart for screen readers and as a tooltip."""
    labels = [_label(label) for label, _, _ in bars]
    label_width = int(CHAR_WIDTH * max((len(label) for label in labels), default=1)) + 16
    width = label_width + BAR_ROOM + COUNT_ROOM
    most = max((value for _, value, _ in bars), default=0) or 1
    height = ROW * len(bars) + 8
    out = [
        f'<svg id="{chart_id}" class="chart" role="img" aria-labelledby="{chart_id}-title" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<title id="{chart_id}-title">{escape(title, quote=True)}</title>',
    ]
    for row, (label, (_, value, fill)) in enumerate(zip(labels, bars, strict=True)):
        top = 4 + row * ROW
        length = max(2, round(BAR_ROOM * value / most))
        middle = top + ROW // 2 + 4
        shown = escape(label, quote=True)
        out.append(f'<text x="{label_width - 8}" y="{middle}" text-anchor="end" class="label">{shown}</text>')
        out.append(
            f'<rect x="{label_width}" y="{top + (ROW - BAR) // 2}" width="{length}" height="{BAR}" '
            f'fill="{escape(fill, quote=True)}"/>'
        )
        out.append(f'<text x="{label_width + length + 6}" y="{middle}" class="count">{value}</text>')
    out.append("</svg>")
    return "\n".join(out)
