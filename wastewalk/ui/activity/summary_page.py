"""A follow's summary: time and share per activity, direct care, interruptions, transit, waste.

Shown when a follow ends and when an ended follow is opened from the list. Segments can still be
tagged as waste here (T), and the figures follow.
"""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.activity import FollowSummary
from wastewalk.services.activity_categories import list_activity_categories
from wastewalk.services.activity_follows import (
    FollowInfo,
    SegmentInfo,
    follow_summary,
    list_segments,
)
from wastewalk.store.database import Database
from wastewalk.ui.activity.bar_chart import TimeBarChart
from wastewalk.ui.activity.segment_table import SegmentTable
from wastewalk.ui.activity.tag_dialog import TagWasteDialog, open_tag_dialog
from wastewalk.ui.activity.texts import mode_text, share_text, span_text
from wastewalk.ui.timefmt import uk_date_time

logger = logging.getLogger(__name__)

COLUMNS = ("Activity", "Time", "Share", "Segments")
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def figures(summary: FollowSummary) -> dict[str, tuple[str, str]]:
    """The headline figures as (big text, small text), by name."""
    per_hour = summary.interruptions_per_hour
    waste_count = summary.waste_segments
    total = span_text(summary.total_s)
    return {
        "direct": (
            share_text(summary.direct_care_share),
            f"{span_text(summary.direct_care_s)} of {total} recorded",
        ),
        "interruptions": (
            "–" if per_hour is None else f"{per_hour:.1f}",
            f"per hour ({summary.interruptions} in all)",
        ),
        "transit": (
            span_text(summary.transit_s),
            f"{share_text(_share(summary, summary.transit_s))} of the time",
        ),
        "waste": (
            span_text(summary.waste_s),
            f"{waste_count} segment{'s' if waste_count != 1 else ''} · "
            f"{share_text(_share(summary, summary.waste_s))}",
        ),
    }


def _share(summary: FollowSummary, seconds: float) -> float | None:
    return seconds / summary.total_s if summary.total_s > 0 else None


class Tile(QFrame):
    """One headline figure: a caption, the figure large, and a line under it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet("QFrame { background:#e8f0fa; border-radius:8px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        self.caption = QLabel(caption, self)
        self.caption.setStyleSheet("font-size:11pt; color:#425563; background:transparent;")
        self.value = QLabel(self)
        self.value.setStyleSheet(
            "font-size:22pt; font-weight:600; color:#003087; background:transparent;"
        )
        self.detail = QLabel(self)
        self.detail.setStyleSheet("font-size:11pt; color:#212b32; background:transparent;")
        for label in (self.caption, self.value, self.detail):
            layout.addWidget(label)
        self.setAccessibleName(caption)

    def set_figure(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setAccessibleDescription(f"{value} {detail}")


class SummaryPage(QWidget):
    """The ended follow's figures, its table and chart, and its segments for tagging."""

    closed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.follow: FollowInfo | None = None
        self.summary: FollowSummary | None = None
        self.tag_dialog: TagWasteDialog | None = None
        self._build()
        shortcut = QShortcut(QKeySequence("T"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.tag_selected)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        self.back_button = QPushButton("← &Back to follows", self)
        self.back_button.setMinimumHeight(40)
        self.back_button.setAccessibleName("Back to the list of follows")
        self.back_button.clicked.connect(self.closed)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-size:14pt; font-weight:600; color:#005EB8;")
        self.subtitle = QLabel(self)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.title, self.subtitle):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addWidget(self.back_button)
        header.addLayout(titles, 1)
        outer.addLayout(header)

        tiles = QHBoxLayout()
        self.tiles = {
            "direct": Tile("Direct care", self),
            "interruptions": Tile("Interruptions", self),
            "transit": Tile("In transit", self),
            "waste": Tile("Tagged as waste", self),
        }
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)
        outer.addLayout(tiles)

        middle = QHBoxLayout()
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Time and share per activity")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 80), (2, 70), (3, 80)):
            header_view.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, width)
        self.chart = TimeBarChart(self)
        middle.addWidget(self.table, 1)
        middle.addWidget(self.chart, 1)
        outer.addLayout(middle, 3)

        tools = QHBoxLayout()
        caption = QLabel("Segments: select one and press T to tag it as waste", self)
        caption.setStyleSheet("font-weight:600;")
        self.tag_button = QPushButton("Tag as waste (T)", self)
        self.tag_button.setMinimumHeight(36)
        self.tag_button.clicked.connect(self.tag_selected)
        self.status = QLabel(self)
        self.status.setAccessibleName("Status")
        tools.addWidget(caption)
        tools.addWidget(self.tag_button)
        tools.addWidget(self.status, 1)
        outer.addLayout(tools)
        self.segments = SegmentTable(self)
        outer.addWidget(self.segments, 2)

    def show_follow(self, follow_id: uuid.UUID, select: uuid.UUID | None = None) -> None:
        """Read the follow's summary and segments again and show them."""
        follow, summary = follow_summary(self.db, follow_id)
        self.follow, self.summary = follow, summary
        self.title.setText(f"{follow.staff_role} · {follow.area_name} · {follow.csu_name}")
        observer = f" · observer {follow.observer}" if follow.observer else ""
        self.subtitle.setText(
            f"{uk_date_time(follow.started_at)} · {span_text(follow.length_s)} followed · "
            f"{mode_text(follow.mode, follow.interval_s)}{observer}"
        )
        for name, (value, detail) in figures(summary).items():
            self.tiles[name].set_figure(value, detail)
        direct_codes = self._direct_codes()
        self.table.setRowCount(len(summary.categories) + 1)
        for row, line in enumerate(summary.categories):
            cells = (
                line.label,
                span_text(line.seconds),
                share_text(line.share),
                str(line.segments),
            )
            self._fill_row(row, cells)
        total = (
            "Total",
            span_text(summary.total_s),
            share_text(1.0 if summary.total_s else None),
            str(sum(line.segments for line in summary.categories)),
        )
        self._fill_row(len(summary.categories), total, bold=True)
        self.chart.set_rows(
            [
                (
                    line.label,
                    line.seconds,
                    f"{span_text(line.seconds)}  {share_text(line.share)}",
                    line.code in direct_codes,
                )
                for line in summary.categories
            ]
        )
        self.segments.set_segments(list_segments(self.db, follow_id), select=select)
        self.segments.setFocus(Qt.FocusReason.OtherFocusReason)

    def _direct_codes(self) -> set[str]:
        # Direct care is painted green in the chart, so the headline figure can be seen in it.
        categories = list_activity_categories(self.db, include_archived=True)
        return {c.code for c in categories if c.is_direct_care}

    def _fill_row(self, row: int, cells: tuple[str, ...], *, bold: bool = False) -> None:
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column:
                item.setTextAlignment(_RIGHT)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, column, item)

    def tag_selected(self) -> None:
        segment = self.segments.selected_segment()
        if segment is None:
            self.status.setText("Select a segment to tag.")
            return
        self.tag_dialog = open_tag_dialog(self.db, segment, self, self._tagged, self._failed)

    def _tagged(self, segment: SegmentInfo) -> None:
        if self.follow is not None:
            self.show_follow(self.follow.id, select=segment.id)
        self.window().activateWindow()
        words = f"tagged as {segment.waste_label}" if segment.waste_label else "not waste"
        self.status.setStyleSheet("color:#212b32;")
        self.status.setText(f"{segment.category_label} from {span_text(segment.start_s)}: {words}.")

    def _failed(self, text: str) -> None:
        self.status.setStyleSheet("color:#d5281b;")
        self.status.setText(text)
