"""Charts drawn on the server as SVG: the geometry here, the markup in templates/dashboard.

Each chart has a title, a description and, next to it, a table with the same figures.
"""

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 24, 10, 40
LABELS = 170  # room for the horizons' names left of the bars


@dataclass(frozen=True)
class LineChart:
    """Two series over twelve months: points, axis ticks, month labels."""

    width: int
    height: int
    agreed: str  # SVG polyline points
    done: str
    ticks: list  # (y, value)
    months: list  # (x, month, whether its year is written under it)


# Steps of the vertical axis: 1, 2, 5, 10, 20, 50… up to 50 million.
STEPS = [factor * 10**power for power in range(8) for factor in (1, 2, 5)]


def scale(maximum):
    """A round top for the vertical axis, and its ticks (six at most)."""
    step = next(step for step in STEPS if max(maximum, 1) / step <= 5)
    top = -(-max(maximum, 1) // step) * step
    return top, list(range(0, top + 1, step))


def trend_chart(trend):
    """The line chart of actions agreed and done per month."""
    top, ticks = scale(max((max(a, d) for _month, a, d in trend), default=0))
    inner_width, inner_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_width / max(len(trend) - 1, 1)

    def y(value):
        return TOP + inner_height - inner_height * value / top

    def points(index):
        return " ".join(f"{LEFT + n * step:.1f},{y(row[index]):.1f}" for n, row in enumerate(trend))

    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        agreed=points(1),
        done=points(2),
        ticks=[(round(y(value), 1), value) for value in ticks],
        # The year under the first month and each January only: twelve labels fit on a phone.
        months=[
            (round(LEFT + n * step, 1), row[0], n == 0 or row[0].month == 1)
            for n, row in enumerate(trend)
        ],
    )


@dataclass(frozen=True)
class Bar:
    """One stacked bar: its label and its segments (x, width, outcome, count)."""

    label: str
    y: int
    segments: list
    total: int
    start: int = LABELS  # where the bar begins, after its label


def outcome_bars(totals, outcomes, labels):
    """Stacked bars of evaluation outcomes, one per horizon, as shares of the bar's width."""
    bars = []
    for row, (horizon, counter) in enumerate(totals.items()):
        total = sum(counter.values())
        x, segments = LABELS, []
        for outcome in outcomes:
            width = (WIDTH - LABELS - RIGHT) * counter.get(outcome, 0) / total if total else 0
            segments.append((round(x, 1), round(width, 1), outcome, counter.get(outcome, 0)))
            x += width
        bars.append(Bar(label=labels[horizon], y=TOP + row * 34, segments=segments, total=total))
    return bars
