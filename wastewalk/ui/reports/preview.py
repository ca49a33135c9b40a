"""A built PDF shown in the window: pages one under another, page by page navigation, and zoom."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

logger = logging.getLogger(__name__)

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0
CONTROL_HEIGHT = 30


def _button(text: str, tip: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    button.setMinimumHeight(CONTROL_HEIGHT)
    return button


class PdfPreview(QWidget):
    """A QPdfView with Previous/Next, a page number box, and fit-width, whole-page and ± zoom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        bar = QHBoxLayout()
        self.previous_button = _button("◀", "Previous page", self)
        self.page_box = QSpinBox(self)
        self.page_box.setAccessibleName("Page shown")
        self.page_box.setMinimumHeight(CONTROL_HEIGHT)
        self.page_box.setRange(1, 1)
        self.page_box.setKeyboardTracking(False)
        page_label = QLabel("Pa&ge", self)
        page_label.setBuddy(self.page_box)
        self.page_count_label = QLabel("of 0", self)
        self.next_button = _button("▶", "Next page", self)
        self.fit_width_button = _button("Fit &width", "Zoom to the width of the page", self)
        self.whole_page_button = _button("W&hole page", "Zoom to show a whole page", self)
        self.zoom_out_button = _button("−", "Zoom out", self)
        self.zoom_in_button = _button("+", "Zoom in", self)
        for small in (
            self.previous_button,
            self.next_button,
            self.zoom_out_button,
            self.zoom_in_button,
        ):
            small.setFixedWidth(36)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAccessibleName("Zoom")
        bar.addWidget(self.previous_button)
        bar.addWidget(page_label)
        bar.addWidget(self.page_box)
        bar.addWidget(self.page_count_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(self.fit_width_button)
        bar.addWidget(self.whole_page_button)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in_button)
        layout.addLayout(bar)

        self.view = QPdfView(self)
        self.view.setAccessibleName("Preview of the report")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("background: #d8dde0;")
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(self.view, 1)

        self.empty_label = QLabel(
            "Press Preview (or Enter) to see the report here before saving it.", self
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #425563; font-size: 11pt;")
        layout.addWidget(self.empty_label, 1)

        self.previous_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.page_box.valueChanged.connect(lambda value: self.go_to(value - 1))
        self.fit_width_button.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        )
        self.whole_page_button.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        )
        self.zoom_in_button.clicked.connect(lambda: self._zoom_by(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self._zoom_by(1 / ZOOM_STEP))
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.view.zoomFactorChanged.connect(lambda _z: self._show_zoom())
        self.view.zoomModeChanged.connect(lambda _m: self._show_zoom())
        self.clear()

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """The page shown, 0-based."""
        return self.view.pageNavigator().currentPage()

    def load(self, path: Path) -> bool:
        """Show the PDF at `path`; False (and the empty view) if Qt cannot read it."""
        self.document.close()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            logger.warning("the preview of %s could not be shown: %s", path, error)
            self.clear()
            return False
        count = self.document.pageCount()
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, max(count, 1))
        self.page_box.setValue(1)
        self.page_box.blockSignals(False)
        self.page_count_label.setText(f"of {count}")
        self._first_zoom()
        self.view.pageNavigator().jump(0, QPointF(), 0)
        self._show_pages(True)
        return True

    def _first_zoom(self) -> None:
        # The page's width, but no more than its real size: on a wide window fit-to-width makes
        # A4 so large that a third of a page shows.
        page_points = self.document.pagePointSize(0)
        width = page_points.width() * self.logicalDpiX() / 72.0
        room = self.width() - 40  # the view's margins and scroll bar
        if width > 0 and room > width:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(1.0)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def clear(self) -> None:
        """Show nothing (before a preview, or after the choice changes)."""
        self.document.close()
        self.page_count_label.setText("of 0")
        self._show_pages(False)

    def go_to(self, page: int) -> None:
        """Show page `page` (0-based), kept within the document."""
        count = self.document.pageCount()
        if count == 0:
            return
        page = min(max(page, 0), count - 1)
        self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < self.document.pageCount() - 1)

    def _zoom_by(self, factor: float) -> None:
        zoom = min(max(self.view.zoomFactor() * factor, ZOOM_MIN), ZOOM_MAX)
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom:
            zoom = min(max(self._effective_zoom() * factor, ZOOM_MIN), ZOOM_MAX)
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(zoom)

    def _effective_zoom(self) -> float:
        # In fit modes zoomFactor() keeps the last custom value; work out the zoom shown instead.
        if self.document.pageCount() == 0:
            return 1.0
        page_points = self.document.pagePointSize(self.current_page())
        if page_points.width() <= 0:
            return 1.0
        dpi_scale = self.logicalDpiX() / 72.0
        margins = self.view.documentMargins()
        viewport = self.view.viewport()
        zoom = (viewport.width() - margins.left() - margins.right()) / (
            page_points.width() * dpi_scale
        )
        if self.view.zoomMode() == QPdfView.ZoomMode.FitInView:
            high = (viewport.height() - margins.top() - margins.bottom()) / (
                page_points.height() * dpi_scale
            )
            zoom = min(zoom, high)
        return max(zoom, ZOOM_MIN)

    def _show_zoom(self) -> None:
        custom = self.view.zoomMode() == QPdfView.ZoomMode.Custom
        zoom = self.view.zoomFactor() if custom else self._effective_zoom()
        self.zoom_label.setText(f"{round(zoom * 100)}%")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_zoom()  # a fit mode's zoom follows the size of the view

    def _show_pages(self, shown: bool) -> None:
        self.view.setVisible(shown)
        self.empty_label.setVisible(not shown)
        for control in (
            self.previous_button,
            self.next_button,
            self.page_box,
            self.fit_width_button,
            self.whole_page_button,
            self.zoom_in_button,
            self.zoom_out_button,
        ):
            control.setEnabled(shown)
        if shown:
            self._page_changed(self.current_page())
        self._show_zoom()
