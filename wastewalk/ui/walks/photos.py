"""Photos on an observation: a drop zone to add them, a strip of thumbnails, a full-size viewer.

The widgets never decide what is stored: the drop zone only says which files were chosen, the strip
only asks for a photo to be removed; the capture screen calls the services (through
`attach_files` for the adding), so undo and error messages stay in one place.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImageIOHandler,
    QImageReader,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import InputError, WasteWalkError
from wastewalk.services.photos import PhotoInfo, attach_photo_file, photo_bytes
from wastewalk.store.database import Database

logger = logging.getLogger(__name__)

FILE_FILTER = "Images (*.jpg *.jpeg *.png)"
DROP_TEXT = "Drop a JPEG or PNG here, or press Ctrl+P / click to choose"
# Touch and gloved fingers need targets of at least 40 px (NHS digital service manual: 44 css px).
MIN_TARGET = 40
THUMB_SIDE = 72

_ZONE_STYLE = """
#photoDropZone {
    border: 2px dashed #768692; border-radius: 6px; background: #f0f4f5;
}
#photoDropZone:focus { border: 3px solid #ffb81c; }
#photoDropZone[dragging="true"] { border: 2px solid #005EB8; background: #e8f1fa; }
#photoDropZone:disabled { border-color: #aeb7bd; background: #ffffff; }
#photoDropZone QLabel { color: #212b32; background: transparent; }
#photoDropZone QLabel:disabled { color: #768692; }
"""

_STRIP_STYLE = """
QToolButton#photoThumb {
    border: 2px solid #aeb7bd; border-radius: 4px; background: #ffffff; padding: 2px;
}
QToolButton#photoThumb:focus, QToolButton#photoRemove:focus { border: 3px solid #ffb81c; }
QToolButton#photoRemove {
    border: 1px solid #aeb7bd; border-radius: 4px; background: #ffffff; color: #212b32;
    padding: 2px 6px;
}
QToolButton#photoRemove:hover { background: #f0f4f5; }
"""


def _local_files(urls: Iterable[QUrl]) -> list[Path]:
    """The local files among dropped URLs; web links and folders are not photos we can read."""
    return [Path(url.toLocalFile()) for url in urls if url.isLocalFile() and url.toLocalFile()]


class PhotoDropZone(QFrame):
    """A dashed target for dropped image files; click, Enter, Space or Ctrl+P opens a file picker.

    It touches no database: it emits `files_chosen` with the paths and the capture screen attaches
    them (see `attach_files`). Checking the type happens there too, on the bytes, not the name.
    """

    files_chosen = Signal(list)  # list[pathlib.Path]

    def __init__(self, parent: QWidget | None = None, *, shortcut: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("photoDropZone")
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(48)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Add photos")
        self.setAccessibleDescription(DROP_TEXT)
        self.setToolTip("JPEG or PNG, up to 15 MB each")
        self.setProperty("dragging", False)
        self.setStyleSheet(_ZONE_STYLE)
        self.label = QLabel(DROP_TEXT, self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        # The folder the last photos came from: a walk's photos usually sit together.
        self.last_folder = ""
        # Window-wide, so Ctrl+P works from the description box; Qt ignores it while the zone is
        # hidden or disabled. The capture screen may pass shortcut=False and bind its own.
        self.shortcut: QShortcut | None = None
        if shortcut:
            self.shortcut = QShortcut(QKeySequence("Ctrl+P"), self)
            self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            self.shortcut.activated.connect(self.choose)

    def choose(self) -> None:
        """Ask for image files with the system's picker; emits `files_chosen` unless cancelled."""
        if not self.isEnabled():
            return
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Choose photos to attach", self.last_folder, FILE_FILTER
        )
        self._emit([Path(name) for name in names])

    def _emit(self, paths: list[Path]) -> None:
        if not paths:
            return
        self.last_folder = str(paths[-1].parent)
        logger.debug("%d photo file(s) chosen", len(paths))
        self.files_chosen.emit(paths)

    def _set_dragging(self, dragging: bool) -> None:
        self.setProperty("dragging", dragging)
        # A dynamic property only restyles when the style sheet is re-applied to the widget.
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.isEnabled() and _local_files(event.mimeData().urls()):
            event.acceptProposedAction()
            self._set_dragging(True)
        else:
            event.ignore()  # text, web links: not ours, and no error to show for them

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.isEnabled() and _local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_dragging(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_dragging(False)
        paths = _local_files(event.mimeData().urls()) if self.isEnabled() else []
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self._emit(paths)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Accepted, so the press is not passed up to the form behind; the release opens the picker.
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            event.accept()
            self.choose()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            event.accept()
            self.choose()
            return
        super().keyPressEvent(event)


def photo_title(photo: PhotoInfo) -> str:
    """How a photo is named to people and screen readers: its file name and size in pixels."""
    return f"{photo.filename}, {photo.width}×{photo.height}"


class PhotoStrip(QWidget):
    """A row of thumbnail buttons for one observation's photos, each with a Remove button.

    Activating a thumbnail opens the photo full size; Remove only asks (`remove_requested`), so
    the capture screen can remove it undoably.
    """

    remove_requested = Signal(object)  # uuid.UUID of the photo

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Photos on this observation")
        self.setStyleSheet(_STRIP_STYLE)
        self.db: Database | None = None
        self.photos: list[PhotoInfo] = []
        self.thumb_buttons: list[QToolButton] = []
        self.remove_buttons: list[QToolButton] = []
        self.viewer: PhotoViewer | None = None

        self.row = QWidget(self)
        self.row_layout = QHBoxLayout(self.row)
        self.row_layout.setContentsMargins(0, 0, 0, 0)
        self.row_layout.setSpacing(14)
        self.row_layout.addStretch(1)
        # Scroll sideways, so ten photos never push the form off a 768-pixel-high screen.
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(self.row)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.empty_label = QLabel("No photos", self)
        self.empty_label.setStyleSheet("color: #4c6272;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.scroll_area)
        self.scroll_area.hide()

    def set_photos(self, db: Database, photos: Sequence[PhotoInfo]) -> None:
        """Show these photos (in this order), reading their thumbnails from the database."""
        self.clear()
        self.db = db
        self.photos = list(photos)
        for photo in self.photos:
            self._add_tile(db, photo)
        self.empty_label.setVisible(not self.photos)
        self.scroll_area.setVisible(bool(self.photos))
        # Tall enough for the tiles and a horizontal scroll bar, never taller.
        tile = self.row.sizeHint().height()
        bar = self.scroll_area.horizontalScrollBar().sizeHint().height()
        self.scroll_area.setFixedHeight(tile + bar + 4 if self.photos else 0)
        self.updateGeometry()

    def clear(self) -> None:
        """Show no photos."""
        for button in self.thumb_buttons + self.remove_buttons:
            button.hide()
            button.deleteLater()
        while self.row_layout.count() > 1:
            item = self.row_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.thumb_buttons = []
        self.remove_buttons = []
        self.photos = []
        self.empty_label.show()
        self.scroll_area.hide()

    def _add_tile(self, db: Database, photo: PhotoInfo) -> None:
        title = photo_title(photo)
        tile = QWidget(self.row)
        # Remove sits beside its photo, not below: the strip stays one thumbnail high, which
        # matters on a 768-pixel-high screen with the whole capture form above it.
        beside = QHBoxLayout(tile)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.setSpacing(4)

        thumb = QToolButton(tile)
        thumb.setObjectName("photoThumb")
        thumb.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        thumb.setIconSize(QSize(THUMB_SIDE, THUMB_SIDE))
        thumb.setFixedSize(THUMB_SIDE + 12, THUMB_SIDE + 12)
        thumb.setAccessibleName(f"Photo: {title}")
        thumb.setAccessibleDescription("Opens the photo full size")
        thumb.setToolTip(f"{title} — open full size")
        pixmap = _thumbnail(db, photo)
        if pixmap is None:
            # Still a button: the full image may open even when the thumbnail cannot be drawn.
            thumb.setText("No preview")
            thumb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        else:
            thumb.setIcon(QIcon(pixmap))
        thumb.clicked.connect(lambda _checked=False, p=photo: self.open_photo(p))

        remove = QToolButton(tile)
        remove.setObjectName("photoRemove")
        remove.setText("Remove")
        remove.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        remove.setMinimumHeight(MIN_TARGET)
        remove.setMinimumWidth(MIN_TARGET)
        remove.setAccessibleName(f"Remove photo {photo.filename}")
        remove.setToolTip(f"Remove {photo.filename} from this observation")
        remove.clicked.connect(lambda _checked=False, pid=photo.id: self.remove_requested.emit(pid))

        beside.addWidget(thumb)
        beside.addWidget(remove, 0, Qt.AlignmentFlag.AlignVCenter)
        self.row_layout.insertWidget(self.row_layout.count() - 1, tile)
        self.thumb_buttons.append(thumb)
        self.remove_buttons.append(remove)

    def open_photo(self, photo: PhotoInfo) -> PhotoViewer | None:
        """Open one photo full size (non-blocking); returns the viewer, or None if unreadable."""
        if self.db is None:
            return None
        try:
            data = photo_bytes(self.db, photo.id)
        except WasteWalkError as exc:
            logger.warning("photo %s could not be read: %s", photo.id, exc)
            return None
        if self.viewer is not None:
            self.viewer.close()
            self.viewer.deleteLater()
        self.viewer = PhotoViewer(photo, data, self)
        self.viewer.open()
        return self.viewer


def _thumbnail(db: Database, photo: PhotoInfo) -> QPixmap | None:
    try:
        data = photo_bytes(db, photo.id, thumbnail=True)
    except WasteWalkError as exc:
        logger.warning("thumbnail of photo %s could not be read: %s", photo.id, exc)
        return None
    pixmap = QPixmap()
    if not pixmap.loadFromData(data):
        logger.warning("thumbnail of photo %s could not be decoded", photo.id)
        return None
    return pixmap


class PhotoViewer(QDialog):
    """One photo, scaled to fit the screen with its shape kept; Esc or Close shuts it."""

    def __init__(self, photo: PhotoInfo, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.photo = photo
        title = photo_title(photo)
        self.setWindowTitle(f"{photo.filename} — {photo.width}×{photo.height} pixels")
        self.setAccessibleName(f"Photo viewer: {title}")

        screen = (parent.screen() if parent is not None else None) or (
            QGuiApplication.primaryScreen()
        )
        available = screen.availableGeometry().size() if screen is not None else QSize(1366, 768)
        # Room for the window frame and the Close button below the picture.
        room = QSize(max(available.width() - 80, 200), max(available.height() - 140, 150))
        self.image_label = QLabel(self)
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setAccessibleName(f"Photo {title} pixels")
        self.pixmap = _decode_to_fit(data, room)
        if self.pixmap is None:
            self.image_label.setText(f"{photo.filename} could not be shown.")
        else:
            self.image_label.setPixmap(self.pixmap)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setMinimumHeight(MIN_TARGET)
        close.setAccessibleName("Close photo")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.image_label, 1)
        layout.addWidget(buttons)


def _decode_to_fit(data: bytes, room: QSize) -> QPixmap | None:
    """Decode straight to the size shown: a 48-megapixel photo never sits whole in memory."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    # Phone cameras store "rotate me" in EXIF; without this, portrait photos show sideways.
    reader.setAutoTransform(True)
    stored = reader.size()  # before the EXIF rotation, which is applied after scaling
    if stored.isValid() and not stored.isEmpty():
        swaps = _swaps_sides(reader)
        shown = stored.transposed() if swaps else stored
        if shown.width() > room.width() or shown.height() > room.height():
            fitted = shown.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
            reader.setScaledSize(fitted.transposed() if swaps else fitted)
    image = reader.read()
    if image.isNull():
        logger.warning("photo could not be decoded: %s", reader.errorString())
        return None
    return QPixmap.fromImage(image)


def _swaps_sides(reader: QImageReader) -> bool:
    """True when the EXIF orientation turns the picture a quarter, so width and height swap."""
    return bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)


def attach_files(
    db: Database, observation_id: uuid.UUID, paths: Iterable[Path]
) -> tuple[list[PhotoInfo], list[str]]:
    """Attach each file to the observation; returns what was attached and why others were not.

    A refused file (wrong type, too big, unreadable, claiming enormous dimensions) gives one plain
    message and stores nothing; the others are still attached. Anything other than refused input
    (a full disk, a bug) is raised, as everywhere else.
    """
    attached: list[PhotoInfo] = []
    refused: list[str] = []
    for path in paths:
        try:
            attached.append(attach_photo_file(db, observation_id, Path(path)))
        except InputError as exc:
            logger.info("photo %s refused: %s", Path(path).name, exc)
            refused.append(str(exc))
    return attached, refused
