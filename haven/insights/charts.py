"""Charts drawn on the server as SVG shapes (no script, so the site's security policy holds and the
page works without JavaScript). Each chart on a page sits beside a table of the same figures, so
screen reader users and exports read exactly what the chart shows."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 240, 40, 40, 16


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    line: str  # SVG polyline points, "" for none
    labels: list[Label]
    ticks: list[Label]
    top: int
    width: int = WIDTH
    height: int = HEIGHT


def _scale_top(values: list[int]) -> int:
    most = max([*values, 1])
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if most <= step * 4:
            return step * 4
    return most


def grouped_bars(labels: list[str], series: list[list[int]], line: list[int] | None = None) -> Chart:
    """Bars for each label, one per series side by side, and optionally a line over them, on one scale."""
    values = [v for s in series for v in s] + (line or [])
    top = _scale_top(values)
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(labels), 1)
    bar_w = slot * 0.8 / max(len(series), 1)

    def y_of(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    bars = [
        Bar(LEFT + i * slot + slot * 0.1 + n * bar_w, y_of(v), bar_w, TOP + plot_h - y_of(v), v, n)
        for n, values_n in enumerate(series) for i, v in enumerate(values_n)
    ]  # fmt: skip
    points = " ".join(f"{LEFT + i * slot + slot / 2:.1f},{y_of(v):.1f}" for i, v in enumerate(line or []))
    every = max(1, len(labels) // 12)
    marks = [
        Label(LEFT + i * slot + slot / 2, HEIGHT - BOTTOM + 16, text) for i, text in enumerate(labels) if i % every == 0
    ]
    ticks = [Label(LEFT - 6, y_of(top * k // 4) + 4, str(top * k // 4)) for k in range(5)]
    return Chart(bars=bars, line=points, labels=marks, ticks=ticks, top=top)
