"""Server-drawn SVG charts: no JavaScript, readable without colour.

Over and short are told apart by position (above or below the zero line), by a hatch pattern
on shorts, and by text (each bar's title, and the table printed beside every chart).
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from sessions_app.dates import long_day, short_day
from sessions_app.formatting import result_word, signed_money
from sessions_app.selectors.insights import DayVariance

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 8, 12, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str  # over, short, balanced
    title: str
    day_label: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class VarianceChart:
    width: int
    height: int
    left: int
    right_edge: int
    zero_y: float
    bars: list[Bar]
    ticks: list[Tick]

    @property
    def bars_svg(self) -> SafeString:
        """The bars and their day labels as SVG, written here: a bar a business day through
        template tags cost more than the rest of the chart."""
        label_y = self.height - 8
        parts = []
        for bar in self.bars:
            hatch = ' fill="url(#hatch-short)"' if bar.kind == "short" else ""
            parts.append(
                f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
                f'class="chart__bar chart__bar--{bar.kind}"{hatch}>'
                f"<title>{escape(bar.title)}</title></rect>"
            )
            if bar.day_label:
                parts.append(
                    f'<text x="{bar.x}" y="{label_y}" class="chart__tick">'
                    f"{escape(bar.day_label)}</text>"
                )
        return mark_safe("\n".join(parts))  # noqa: S308 - numbers, a fixed kind, escaped text


def variance_by_day(days: list[DayVariance]) -> VarianceChart | None:
    """One bar per business day: the net difference, up for over and down for short."""
    if not days:
        return None
    largest = max(abs(day.total) for day in days) or Decimal(1)
    plot_height = HEIGHT - TOP - BOTTOM
    zero_y = TOP + plot_height / 2
    scale = (plot_height / 2) / float(largest)
    slot = (WIDTH - LEFT - RIGHT) / len(days)
    bar_width = max(min(slot * 0.7, 40), 2)
    label_every = max(1, round(len(days) / 8))
    bars = []
    for index, day in enumerate(days):
        size = abs(float(day.total)) * scale
        kind = "over" if day.total > 0 else "short" if day.total < 0 else "balanced"
        bars.append(
            Bar(
                x=round(LEFT + index * slot + (slot - bar_width) / 2, 1),
                y=round(zero_y - size if kind == "over" else zero_y, 1),
                width=round(bar_width, 1),
                height=round(max(size, 1), 1),
                kind=kind,
                title=ngettext(
                    "%(day)s: %(total)s (%(result)s), %(shifts)d shift",
                    "%(day)s: %(total)s (%(result)s), %(shifts)d shifts",
                    day.shifts,
                )
                % {
                    "day": long_day(day.day),
                    "total": signed_money(day.total),
                    "result": result_word(kind),
                    "shifts": day.shifts,
                },
                day_label=short_day(day.day) if index % label_every == 0 else "",
            )
        )
    ticks = [
        Tick(y=TOP, label=signed_money(largest)),
        Tick(y=zero_y, label=signed_money(Decimal(0))),
        Tick(y=TOP + plot_height, label=signed_money(-largest)),
    ]
    return VarianceChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        zero_y=zero_y,
        bars=bars,
        ticks=ticks,
    )
