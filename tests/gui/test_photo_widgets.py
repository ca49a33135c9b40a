"""Photos on the capture screen: the drop zone, attaching files, the thumbnail strip, the viewer."""

from __future__ import annotations

import io
import struct
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QLineEdit, QVBoxLayout, QWidget

from wastewalk.domain.photo_rules import MAX_PHOTO_BYTES
from wastewalk.services.observations import ObservationInput, add_observation
from wastewalk.services.organisation import create_area, create_csu
from wastewalk.services.photos import PhotoInfo, list_photos
from wastewalk.services.walks import start_walk
from wastewalk.services.wastes import category_codes
from wastewalk.store.database import Database, open_database
from wastewalk.ui.walks.photos import (
    DROP_TEXT,
    PhotoDropZone,
    PhotoStrip,
    PhotoViewer,
    attach_files,
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "ward.sqlite"))
    yield database
    database.close()


@pytest.fixture
def observation_id(db: Database) -> uuid.UUID:
    csu = create_csu(db, "Medicine")
    ward = create_area(db, csu.id, "Ward 7")
    walk = start_walk(db, ward.id)
    waiting = category_codes(db)["waiting"]
    return add_observation(db, walk.id, ObservationInput(waiting, "Bed waiting for cleaning")).id


def _image(path: Path, kind: str, size: tuple[int, int] = (64, 48)) -> Path:
    Image.new("RGB", size, "#005EB8").save(path, format=kind)
    return path


def _png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG header (correct CRCs) that claims any size, with almost no pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + chunk(b"IEND", b"")
    )


def _drop(zone: PhotoDropZone, mime: QMimeData) -> QDropEvent:
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    zone.dropEvent(event)
    return event


def _drag_enter(zone: PhotoDropZone, mime: QMimeData) -> QDragEnterEvent:
    rest = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    try:  # Qt 6.12 takes a QPointF (its QPoint overload is deprecated); earlier, only a QPoint
        event = QDragEnterEvent(QPointF(10, 10), *rest)
    except TypeError:
        event = QDragEnterEvent(QPoint(10, 10), *rest)
    zone.dragEnterEvent(event)
    return event


# --- the drop zone -------------------------------------------------------------------------------


def test_drop_zone_emits_dropped_files(qtbot, tmp_path: Path) -> None:
    zone = PhotoDropZone()
    qtbot.addWidget(zone)
    assert zone.label.text() == DROP_TEXT
    assert zone.accessibleName() == "Add photos"
    assert zone.minimumHeight() >= 40
    files = [_image(tmp_path / "a.jpg", "JPEG"), _image(tmp_path / "b.png", "PNG")]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])

    assert _drag_enter(zone, mime).isAccepted()
    with qtbot.waitSignal(zone.files_chosen) as blocker:
        event = _drop(zone, mime)
    assert event.isAccepted()
    assert blocker.args == [files]


def test_drop_zone_ignores_text_and_web_links(qtbot) -> None:
    zone = PhotoDropZone()
    qtbot.addWidget(zone)
    text = QMimeData()
    text.setText("bay 3 sluice")
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/photo.jpg")])
    with qtbot.assertNotEmitted(zone.files_chosen):
        for mime in (text, web):
            assert not _drag_enter(zone, mime).isAccepted()
            assert not _drop(zone, mime).isAccepted()


def test_drop_zone_refuses_drops_while_disabled(qtbot, tmp_path: Path) -> None:
    zone = PhotoDropZone()
    qtbot.addWidget(zone)
    zone.setEnabled(False)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(_image(tmp_path / "a.jpg", "JPEG")))])
    with qtbot.assertNotEmitted(zone.files_chosen):
        assert not _drag_enter(zone, mime).isAccepted()
        _drop(zone, mime)


@pytest.mark.parametrize("how", ["click", "enter", "space", "ctrl+p"])
def test_drop_zone_opens_the_file_picker(qtbot, tmp_path: Path, monkeypatch, how: str) -> None:
    chosen = _image(tmp_path / "sluice.png", "PNG")
    asked: list[str] = []

    def fake_picker(_parent, _caption, _folder, file_filter):
        asked.append(file_filter)
        return [str(chosen)], file_filter

    # The real dialog is modal; answer for it.
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake_picker)
    window = QWidget()
    qtbot.addWidget(window)
    zone = PhotoDropZone(window)
    other = QLineEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(other)
    layout.addWidget(zone)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    (other if how == "ctrl+p" else zone).setFocus()
    with qtbot.waitSignal(zone.files_chosen) as blocker:
        if how == "click":
            qtbot.mouseClick(zone, Qt.MouseButton.LeftButton)
        elif how == "enter":
            qtbot.keyClick(zone, Qt.Key.Key_Return)
        elif how == "space":
            qtbot.keyClick(zone, Qt.Key.Key_Space)
        else:
            # Ctrl+P works from anywhere in the window, here from a sibling text box.
            qtbot.keyClick(other, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [[chosen]]
    assert asked == ["Images (*.jpg *.jpeg *.png)"]
    assert zone.last_folder == str(tmp_path)


def test_cancelled_picker_emits_nothing(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_args: ([], ""))
    zone = PhotoDropZone()
    qtbot.addWidget(zone)
    with qtbot.assertNotEmitted(zone.files_chosen):
        zone.choose()


# --- attaching files -----------------------------------------------------------------------------


def test_attach_files_takes_jpeg_and_png(db: Database, observation_id, tmp_path: Path) -> None:
    files = [_image(tmp_path / "bay3.jpg", "JPEG"), _image(tmp_path / "sluice.png", "PNG")]
    attached, refused = attach_files(db, observation_id, files)
    assert refused == []
    assert [(p.filename, p.media_type, p.width, p.height) for p in attached] == [
        ("bay3.jpg", "image/jpeg", 64, 48),
        ("sluice.png", "image/png", 64, 48),
    ]
    assert list_photos(db, observation_id) == attached


def test_attach_files_refuses_with_plain_messages(
    db: Database, observation_id, tmp_path: Path
) -> None:
    gif = _image(tmp_path / "x.gif", "GIF")
    noise = tmp_path / "noise.jpg"
    noise.write_bytes(bytes(range(256)) * 8)
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as out:
        out.truncate(MAX_PHOTO_BYTES + 1)  # sparse: a big file without writing 15 MB
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_claiming(100_000, 100_000))
    missing = tmp_path / "gone.jpg"

    attached, refused = attach_files(db, observation_id, [gif, noise, huge, bomb, missing])

    assert attached == []
    assert list_photos(db, observation_id) == []
    assert len(refused) == 5
    gif_message, noise_message, huge_message, bomb_message, missing_message = refused
    assert gif_message == "x.gif is GIF; only JPEG and PNG"
    assert noise_message.startswith("noise.jpg could not be read as a JPEG or PNG image")
    assert huge_message.startswith("huge.jpg is 15.0 MB; photos are limited to 15 MB")
    assert bomb_message.startswith("bomb.png claims more than")
    assert "not attached" in bomb_message
    assert missing_message.startswith("Cannot read")
    assert all("Traceback" not in m and "\n" not in m for m in refused)


def test_attach_files_keeps_the_good_among_the_bad(
    db: Database, observation_id, tmp_path: Path
) -> None:
    good = _image(tmp_path / "ok.png", "PNG")
    wide = tmp_path / "wide.png"
    wide.write_bytes(_png_claiming(30_000, 10))
    attached, refused = attach_files(db, observation_id, [wide, good])
    assert [p.filename for p in attached] == ["ok.png"]
    assert refused == [
        "wide.png claims to be 30000×10 pixels, larger than a photo can be; it was not attached"
    ]


# --- the strip and the viewer --------------------------------------------------------------------


@pytest.fixture
def three_photos(db: Database, observation_id, tmp_path: Path) -> list[PhotoInfo]:
    files = [
        _image(tmp_path / "one.jpg", "JPEG", (320, 240)),
        _image(tmp_path / "two.png", "PNG", (240, 320)),
        _image(tmp_path / "three.jpg", "JPEG", (200, 200)),
    ]
    attached, refused = attach_files(db, observation_id, files)
    assert refused == []
    return attached


def test_strip_shows_a_button_per_photo_and_asks_to_remove(
    qtbot, db: Database, three_photos: list[PhotoInfo]
) -> None:
    strip = PhotoStrip()
    qtbot.addWidget(strip)
    strip.set_photos(db, three_photos)
    strip.show()

    assert len(strip.thumb_buttons) == 3
    assert [b.accessibleName() for b in strip.thumb_buttons] == [
        "Photo: one.jpg, 320×240",
        "Photo: two.png, 240×320",
        "Photo: three.jpg, 200×200",
    ]
    for button in strip.thumb_buttons + strip.remove_buttons:
        assert button.isVisible()
        assert button.height() >= 40
        assert button.width() >= 40
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert button.accessibleName()
    # Each thumbnail really is a picture, decoded from the stored PNG thumbnail.
    assert all(not b.icon().isNull() for b in strip.thumb_buttons)
    assert not strip.empty_label.isVisible()

    with qtbot.waitSignal(strip.remove_requested) as blocker:
        qtbot.mouseClick(strip.remove_buttons[1], Qt.MouseButton.LeftButton)
    assert blocker.args == [three_photos[1].id]

    # Keyboard: Space on a focused Remove button does the same.
    strip.remove_buttons[2].setFocus()
    with qtbot.waitSignal(strip.remove_requested) as blocker:
        qtbot.keyClick(strip.remove_buttons[2], Qt.Key.Key_Space)
    assert blocker.args == [three_photos[2].id]


def test_strip_clear_and_empty(qtbot, db: Database, three_photos: list[PhotoInfo]) -> None:
    strip = PhotoStrip()
    qtbot.addWidget(strip)
    strip.show()
    assert strip.empty_label.isVisible()
    strip.set_photos(db, three_photos)
    strip.set_photos(db, three_photos[:1])
    assert len(strip.thumb_buttons) == 1
    strip.clear()
    assert strip.thumb_buttons == []
    assert strip.photos == []
    assert strip.empty_label.isVisible()


def test_thumbnail_opens_viewer_which_esc_closes(
    qtbot, db: Database, three_photos: list[PhotoInfo]
) -> None:
    strip = PhotoStrip()
    qtbot.addWidget(strip)
    strip.set_photos(db, three_photos)
    strip.show()
    qtbot.mouseClick(strip.thumb_buttons[1], Qt.MouseButton.LeftButton)
    viewer = strip.viewer
    assert isinstance(viewer, PhotoViewer)
    assert viewer.isVisible()
    assert viewer.windowTitle() == "two.png — 240×320 pixels"
    assert viewer.pixmap is not None
    assert (viewer.pixmap.width(), viewer.pixmap.height()) == (240, 320)
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_viewer_scales_a_large_photo_to_fit_keeping_its_shape(qtbot) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), "#009639").save(out, format="JPEG")
    photo = PhotoInfo(uuid.uuid4(), uuid.uuid4(), "wide.jpg", "image/jpeg", "", 1, 4000, 1000)
    viewer = PhotoViewer(photo, out.getvalue())
    qtbot.addWidget(viewer)
    room = viewer.screen().availableGeometry()
    assert viewer.pixmap is not None
    assert viewer.pixmap.width() <= room.width()
    assert abs(viewer.pixmap.width() / viewer.pixmap.height() - 4.0) < 0.02


def test_viewer_turns_a_photo_by_its_exif_orientation(qtbot) -> None:
    image = Image.new("RGB", (300, 100), "#ffb81c")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display", as a phone held upright writes it
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    photo = PhotoInfo(uuid.uuid4(), uuid.uuid4(), "upright.jpg", "image/jpeg", "", 1, 300, 100)
    viewer = PhotoViewer(photo, out.getvalue())
    qtbot.addWidget(viewer)
    assert viewer.pixmap is not None
    assert (viewer.pixmap.width(), viewer.pixmap.height()) == (100, 300)


def test_viewer_says_when_it_cannot_show_a_photo(qtbot) -> None:
    photo = PhotoInfo(uuid.uuid4(), uuid.uuid4(), "bad.jpg", "image/jpeg", "", 1, 10, 10)
    viewer = PhotoViewer(photo, b"not an image")
    qtbot.addWidget(viewer)
    assert viewer.pixmap is None
    assert viewer.image_label.text() == "bad.jpg could not be shown."
