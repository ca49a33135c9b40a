"""An XmR chart drawn with Qt Charts: the values, each group's mean and process limits, the target,
and every point in its Making Data Count colour, with a tooltip (x, value, rule) on each point.

Drawing 10,000 points stays quick: each group's values are one QLineSeries whose own markers are
the common-cause points, its mean and limits are QLineSeries of two points each, and only the
special-cause points (usually few) are QScatterSeries, one per MDC colour, drawn on top. A scatter
series draws each marker as a separate item (about 300 ms for 10,000), a line series' markers
cost almost nothing. OpenGL stays off: it is not there on every ward laptop.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCharts import (
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from wastewalk.domain.spc import (
    COMMON_CAUSE,
    POINT_COLOURS,
    TRIAL_BELOW,
    SpcChart,
    SpcPoint,
)
from wastewalk.domain.spc import number_text as spc_number_text
from wastewalk.domain.spc_rules import (
    RULE_OUTSIDE_LIMITS,
    RULE_SHIFT,
    RULE_TREND,
    RULE_TWO_IN_THREE,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_NEUTRAL_HIGH,
    SPECIAL_CAUSE_NEUTRAL_LOW,
)

logger = logging.getLogger(__name__)

DATA_COLOUR = POINT_COLOURS[COMMON_CAUSE]  # the line and its common-cause points
MEAN_COLOUR = "#231f20"
LIMIT_COLOUR = "#425563"
TRIAL_COLOUR = "#8a9aa5"
TARGET_COLOUR = "#d5281b"
X_LABELS = 8  # about this many dates along the bottom
LABEL_CHARS = 18
UNIT_WORDS = {"%": "per cent", "s": "seconds", "min": "minutes"}

POINT_TYPE_WORDS: dict[str, str] = {
    COMMON_CAUSE: "Common cause",
    SPECIAL_CAUSE_IMPROVEMENT: "Special cause improvement",
    SPECIAL_CAUSE_CONCERN: "Special cause concern",
    SPECIAL_CAUSE_NEUTRAL_HIGH: "Special cause variation, high",
    SPECIAL_CAUSE_NEUTRAL_LOW: "Special cause variation, low",
}
RULE_WORDS: dict[str | None, str] = {
    None: "no rule broken",
    RULE_OUTSIDE_LIMITS: "outside the process limits",
    RULE_TREND: "a trend of 7 points rising or falling",
    RULE_TWO_IN_THREE: "2 of 3 points close to a limit",
    RULE_SHIFT: "a shift: 7 or more points on one side of the mean",
}
# Special-cause points are drawn in this order (improvement and concern on top).
_DRAW_ORDER = (
    SPECIAL_CAUSE_NEUTRAL_LOW,
    SPECIAL_CAUSE_NEUTRAL_HIGH,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_IMPROVEMENT,
)


def point_tooltip(point: SpcPoint, unit: str = "") -> str:
    """What hovering over a point says: its x, its value, and the rule it breaks (if any)."""
    lines = [
        point.x,
        f"Value: {spc_number_text(point.y, unit)}",
        f"{POINT_TYPE_WORDS[point.point_type]}: {RULE_WORDS[point.rule]}",
        f"Mean {spc_number_text(point.mean, unit)}, limits {spc_number_text(point.lpl, unit)} "
        f"to {spc_number_text(point.upl, unit)}" + (" (trial)" if point.trial_limits else ""),
    ]
    return "\n".join(lines)


def _pen(colour: str, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(colour))
    pen.setWidthF(width)
    pen.setStyle(style)
    pen.setCosmetic(True)
    return pen


def _steps(points: Sequence[SpcPoint], value: str) -> list[QPointF]:
    """A level line through `value` of each point, keeping only where it changes (a group's
    mean is two points, not one per point)."""
    out: list[QPointF] = []
    count = len(points)
    for k, point in enumerate(points):
        y = getattr(point, value)
        same_before = k > 0 and getattr(points[k - 1], value) == y
        same_after = k < count - 1 and getattr(points[k + 1], value) == y
        if not (same_before and same_after):
            out.append(QPointF(point.index, y))
    return out


class SpcChartView(QChartView):
    """Shows one SpcChart; `point_clicked(index)` when a point is clicked (index into values)."""

    point_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRubberBand(QChartView.RubberBand.NoRubberBand)
        self.setAccessibleName("SPC chart")
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().setFont(QFont(chart.legend().font().family(), 9))
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        self.setChart(chart)
        self.unit = ""
        self.points_by_index: dict[int, SpcPoint] = {}
        self.point_series: dict[str, QScatterSeries] = {}
        self.line_series: dict[str, list[QLineSeries]] = {}
        self._axes: tuple[QCategoryAxis, QValueAxis] | tuple[()] = ()

    def show_chart(
        self, spc: SpcChart, labels: Sequence[str], title: str = "", unit: str = ""
    ) -> None:
        """Draw `spc`; `labels` are the x labels of every value (gaps included)."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()
        chart.setTitle(title)
        self.unit = unit
        points = spc.points
        self.points_by_index = {point.index: point for point in points}
        self.point_series = {}
        self.line_series = {"data": [], "mean": [], "limits": [], "trial": [], "target": []}
        if not points:
            return
        x_axis = self._x_axis(labels, points)
        y_axis = self._y_axis(spc, unit)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        self._axes = (x_axis, y_axis)
        groups: dict[int, list[SpcPoint]] = {}
        for point in points:
            groups.setdefault(point.group, []).append(point)
        for members in groups.values():
            self._add_group(members)
        if spc.target is not None:
            target = QLineSeries()
            target.setName("Target")
            target.setPen(_pen(TARGET_COLOUR, 2, Qt.PenStyle.DashDotLine))
            self._add(
                "target",
                target,
                [QPointF(points[0].index, spc.target), QPointF(points[-1].index, spc.target)],
            )
        count = len(points)
        size = 9.0 if count <= 60 else 7.0 if count <= 250 else 5.0 if count <= 1500 else 3.0
        for data in self.line_series["data"]:
            data.setMarkerSize(size / 2)  # a line series' marker size is its radius
        # Common cause points are the data line's own markers (cheap at 10,000 points: a scatter
        # series draws each marker as an item, ~300 ms at 10,000); special causes, usually few,
        # are one scatter series per colour drawn on top.
        by_type: dict[str, list[QPointF]] = {}
        for point in points:
            if point.point_type != COMMON_CAUSE:
                by_type.setdefault(point.point_type, []).append(QPointF(point.index, point.y))
        for kind in _DRAW_ORDER:
            if kind not in by_type:
                continue
            scatter = QScatterSeries()
            scatter.setName(POINT_TYPE_WORDS[kind])
            scatter.setColor(QColor(POINT_COLOURS[kind]))
            scatter.setBorderColor(QColor(POINT_COLOURS[kind]))
            scatter.setMarkerSize(size + 1)
            chart.addSeries(scatter)
            for axis in self._axes:
                scatter.attachAxis(axis)
            scatter.replace(by_type[kind])
            scatter.hovered.connect(self._hovered)
            scatter.clicked.connect(self.click_at)
            self.point_series[kind] = scatter
        self._tidy_legend()

    def _add_group(self, members: list[SpcPoint]) -> None:
        data = QLineSeries()
        data.setName("Value (common cause)")
        data.setPen(_pen(DATA_COLOUR, 1.5))
        data.setColor(QColor(DATA_COLOUR))
        data.setPointsVisible(True)
        data.hovered.connect(self._hovered)
        data.clicked.connect(self.click_at)
        self._add("data", data, [QPointF(p.index, p.y) for p in members])
        trial = members[0].trial_limits
        mean = QLineSeries()
        mean.setName("Mean")
        mean.setPen(
            _pen(MEAN_COLOUR, 1.5, Qt.PenStyle.DashLine if trial else Qt.PenStyle.SolidLine)
        )
        self._add("mean", mean, _steps(members, "mean"))
        for value in ("upl", "lpl"):
            limit = QLineSeries()
            if trial:
                limit.setName(f"Trial limits (fewer than {TRIAL_BELOW} points)")
                limit.setPen(_pen(TRIAL_COLOUR, 1.5, Qt.PenStyle.DotLine))
            else:
                limit.setName("Process limits")
                limit.setPen(_pen(LIMIT_COLOUR, 1.3, Qt.PenStyle.DashLine))
            self._add("trial" if trial else "limits", limit, _steps(members, value))

    def _add(self, kind: str, series: QLineSeries, points: list[QPointF]) -> None:
        # Points go in after the series is on the chart with its axes: adding a series that
        # already holds 10,000 points makes Qt lay it out twice (~30 ms a series).
        self.chart().addSeries(series)
        for axis in self._axes:
            series.attachAxis(axis)
        series.replace(points)
        self.line_series[kind].append(series)

    def _x_axis(self, labels: Sequence[str], points: Sequence[SpcPoint]) -> QCategoryAxis:
        axis = QCategoryAxis()
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        first, last = points[0].index, points[-1].index
        axis.setRange(first - 0.5, last + 0.5)
        axis.setStartValue(first - 0.5)
        step = max(1, round((last - first) / (X_LABELS - 1))) if last > first else 1
        seen: set[str] = set()
        for index in range(first, last + 1, step):
            if step > 1 and index > first and last - index < step * 0.35:
                continue  # a label against the right-hand edge would be cut short
            text = labels[index] if index < len(labels) else str(index + 1)
            text = text.split(" (", 1)[0]  # "2026-03-02 (2)": the day is enough on the axis
            if len(text) > LABEL_CHARS:
                text = text[: LABEL_CHARS - 1] + "…"
            if text in seen:  # a category axis needs each label once
                continue
            seen.add(text)
            axis.append(text, index)
        axis.setGridLineVisible(False)
        axis.setLabelsFont(QFont(axis.labelsFont().family(), 8))
        return axis

    def _y_axis(self, spc: SpcChart, unit: str) -> QValueAxis:
        values: list[float] = []
        for point in spc.points:
            values.extend((point.y, point.upl, point.lpl))
        if spc.target is not None:
            values.append(spc.target)
        low, high = min(values), max(values)
        pad = (high - low) * 0.06 or max(abs(high) * 0.1, 1.0)
        axis = QValueAxis()
        axis.setRange(low - pad, high + pad)
        axis.applyNiceNumbers()
        axis.setLabelFormat("%.4g")
        axis.setGridLineColor(QColor("#e8edee"))
        axis.setLabelsFont(QFont(axis.labelsFont().family(), 8))
        axis.setTitleText(UNIT_WORDS.get(unit, unit))
        axis.setTitleFont(QFont(axis.titleFont().family(), 8))
        return axis

    def _tidy_legend(self) -> None:
        # One entry per kind of line, not one per group.
        legend = self.chart().legend()
        named: set[str] = set()
        for series in self.chart().series():
            for marker in legend.markers(series):
                marker.setVisible(series.name() not in named)
            named.add(series.name())

    def _point_at(self, where: QPointF) -> SpcPoint | None:
        return self.points_by_index.get(round(where.x()))

    def _hovered(self, where: QPointF, state: bool) -> None:
        point = self._point_at(where)
        if state and point is not None:
            QToolTip.showText(QCursor.pos(), point_tooltip(point, self.unit), self)
        else:
            QToolTip.hideText()

    def click_at(self, where: QPointF) -> None:
        """A click on the chart at `where` (chart values): the nearest point, if any, is chosen."""
        point = self._point_at(where)
        if point is not None:
            self.point_clicked.emit(point.index)
