"""This walk's observations, newest first, with edit, copy and delete."""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wastewalk.services.observations import ObservationInfo
from wastewalk.services.photos import PhotoInfo, photo_bytes
from wastewalk.store.database import Database
from wastewalk.ui.costing import observation_estimate
from wastewalk.ui.timefmt import uk_clock

logger = logging.getLogger(__name__)

_ID_ROLE = Qt.ItemDataRole.UserRole


class WalkObservations(QWidget):
    """A list of the walk's observations; the buttons act on the selected one."""

    edit_requested = Signal(object)  # uuid.UUID
    copy_requested = Signal(object)
    delete_requested = Signal(object)
    estimate_saved = Signal(object)  # uuid.UUID of the observation priced (or unpriced)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("This walk: no observations yet", self)
        self.heading.setStyleSheet("font-weight:600;")
        layout.addWidget(self.heading)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Observations on this walk, newest first")
        self.list.setIconSize(QSize(48, 48))
        self.list.setWordWrap(True)
        # Wrapped text needs no sideways scrolling; a scroll bar would only steal a line.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setAlternatingRowColors(True)
        self.list.setStyleSheet("QListWidget::item { min-height: 48px; padding: 2px; }")
        self.list.itemActivated.connect(lambda item: self.edit_requested.emit(self._id(item)))
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.edit_button = self._button("&Edit", "Edit the selected observation (F2)")
        self.copy_button = self._button("Co&py", "Start a new observation from this one")
        self.delete_button = self._button("&Delete", "Delete the selected observation (Del)")
        self.estimate_button = self._button(
            observation_estimate.ACTION_TEXT, observation_estimate.ACTION_TIP
        )
        for button in (self.edit_button, self.copy_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addWidget(self.estimate_button)
        self.estimate_button.clicked.connect(self.open_estimate)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.estimate_action = QAction(observation_estimate.ACTION_TEXT, self.list)
        self.estimate_action.setShortcut(QKeySequence(observation_estimate.SHORTCUT))
        self.estimate_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.estimate_action.triggered.connect(self.open_estimate)
        self.list.addAction(self.estimate_action)
        self.db: Database | None = None
        self.estimate_dialog: QDialog | None = None
        self._shown: tuple[list[ObservationInfo], dict[uuid.UUID, list[PhotoInfo]]] = ([], {})
        layout.addLayout(buttons)
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.copy_button.clicked.connect(lambda: self._emit(self.copy_requested))
        self.delete_button.clicked.connect(lambda: self._emit(self.delete_requested))
        for key, signal in (
            (QKeySequence(Qt.Key.Key_F2), self.edit_requested),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_requested),
        ):
            shortcut = QShortcut(key, self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=signal: self._emit(s))
        self.list.currentRowChanged.connect(self._update_buttons)
        self._update_buttons()

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setMinimumHeight(40)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    def set_observations(
        self,
        db: Database,
        observations: list[ObservationInfo],
        photos: dict[uuid.UUID, list[PhotoInfo]],
        select: uuid.UUID | None = None,
    ) -> None:
        """Show these observations (already newest first) with a thumbnail of the first photo."""
        self.db, self._shown = db, (observations, photos)
        values = observation_estimate.estimate_values(db, [info.id for info in observations])
        self.list.clear()
        for info in observations:
            marks = []
            if info.needs_identifier_review:
                marks.append("⚠ possible NHS number")
            count = len(photos.get(info.id, []))
            if count:
                marks.append(f"{count} photo{'s' if count > 1 else ''}")
            if info.id in values:
                marks.append(observation_estimate.marker(values[info.id]))
            extra = f"  [{'; '.join(marks)}]" if marks else ""
            where = f" · {info.location}" if info.location else ""
            text = (
                f"{uk_clock(info.observed_at)} · {info.category_label}{where}\n"
                f"{_brief(info.description)}{extra}"
            )
            item = QListWidgetItem(text)
            item.setData(_ID_ROLE, info.id)
            item.setToolTip(info.description)
            if count:
                pixmap = QPixmap()
                pixmap.loadFromData(photo_bytes(db, photos[info.id][0].id, thumbnail=True))
                item.setIcon(QIcon(pixmap))
            self.list.addItem(item)
            if info.id == select:
                self.list.setCurrentItem(item)
        total = len(observations)
        self.heading.setText(
            f"This walk: {total} observation{'s' if total != 1 else ''}"
            if total
            else "This walk: no observations yet"
        )
        self._update_buttons()

    def selected_id(self) -> uuid.UUID | None:
        item = self.list.currentItem()
        return self._id(item) if item is not None else None

    def _id(self, item: QListWidgetItem) -> uuid.UUID:
        value = item.data(_ID_ROLE)
        assert isinstance(value, uuid.UUID)
        return value

    def _emit(self, signal: Signal) -> None:  # type: ignore[valid-type]
        selected = self.selected_id()
        if selected is not None:
            signal.emit(selected)  # type: ignore[attr-defined]

    def _update_buttons(self) -> None:
        has = self.list.currentItem() is not None
        for button in (self.edit_button, self.copy_button, self.delete_button):
            button.setEnabled(has)
        self.estimate_button.setEnabled(has)
        self.estimate_action.setEnabled(has)

    def open_estimate(self) -> None:
        """Price the selected observation's waste (E); the list shows the figure once saved."""
        selected = self.selected_id()
        if selected is None or self.db is None:
            return
        if self.estimate_dialog is not None:
            self.estimate_dialog.deleteLater()  # the last one, closed by now
        dialog = observation_estimate.open_observation_estimate(self.db, selected, self)
        dialog.saved.connect(lambda _info: self._priced(selected))
        dialog.removed.connect(lambda: self._priced(selected))
        dialog.repriced.connect(lambda _info: self._priced(selected))
        self.estimate_dialog = dialog

    def _priced(self, observation_id: uuid.UUID) -> None:
        if self.db is not None:
            self.set_observations(self.db, *self._shown, select=observation_id)
        self.estimate_saved.emit(observation_id)


def _brief(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
