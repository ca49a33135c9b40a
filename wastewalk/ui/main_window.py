"""The main window: which database is open, and what the trust holds so far.

A plain first window; the walk, capture and browsing screens come next.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.services.overview import trust_overview
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Top-level window over one open database."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(f"WasteWalk — {db.display_name}")
        self.setAccessibleName("WasteWalk main window")

        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.warning_label = QLabel(central)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(
            "background:#fff4e5; color:#6b3d00; padding:8px; border:1px solid #e46c0a;"
        )
        self.warning_label.setAccessibleName("Warnings about the database location")
        self.warning_label.setVisible(bool(db.warnings))
        self.warning_label.setText("\n".join(db.warnings))
        layout.addWidget(self.warning_label)

        self.heading = QLabel(central)
        self.heading.setStyleSheet("font-size:18pt; font-weight:600; color:#005EB8;")
        self.heading.setAccessibleName("Trust name")
        layout.addWidget(self.heading)

        self.totals = QLabel(central)
        self.totals.setAccessibleName("Totals")
        layout.addWidget(self.totals)

        self.tree = QTreeWidget(central)
        self.tree.setAccessibleName("CSUs and areas with their walks and observations")
        self.tree.setHeaderLabels(["CSU / area", "Kind", "Days a year", "Walks", "Observations"])
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 120), (2, 110), (3, 110), (4, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.tree.setColumnWidth(column, width)
        layout.addWidget(self.tree, 1)
        self.setCentralWidget(central)

        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(refresh)
        file_menu.addAction(quit_action)

        self._restore_geometry()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the summary from the database."""
        overview = trust_overview(self.db)
        self.heading.setText(overview.trust_name or "No trust set up yet")
        self.totals.setText(
            f"{len(overview.csus)} CSUs · {sum(len(c.areas) for c in overview.csus)} areas · "
            f"{overview.walks:,} walks · {overview.observations:,} observations"
        )
        self.tree.clear()
        for csu in overview.csus:
            csu_item = QTreeWidgetItem(
                [csu.name, "CSU", "", f"{csu.walks:,}", f"{csu.observations:,}"]
            )
            bold = csu_item.font(0)
            bold.setBold(True)
            for column in range(5):
                csu_item.setFont(column, bold)
            _align_numbers(csu_item)
            for area in csu.areas:
                area_item = QTreeWidgetItem(
                    csu_item,
                    [
                        area.name,
                        area.kind.capitalize(),
                        str(area.operating_days_per_year),
                        f"{area.walks:,}",
                        f"{area.observations:,}",
                    ],
                )
                _align_numbers(area_item)
            self.tree.addTopLevelItem(csu_item)
        self.tree.expandAll()
        if not overview.csus:
            QTreeWidgetItem(
                self.tree,
                ["Nothing here yet: run 'wastewalk import areas' or 'wastewalk demo'."],
            )

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 720)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)


def _align_numbers(item: QTreeWidgetItem) -> None:
    for column in (2, 3, 4):
        item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
