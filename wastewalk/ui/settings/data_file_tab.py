"""The open data file, its automatic backups, "Back up now" and "Restore selected"."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import WasteWalkError
from wastewalk.services import backups
from wastewalk.services.backups import BackupInfo, BackupKind, RestoredButNotOpenedError
from wastewalk.store.database import Database
from wastewalk.ui.settings import ask
from wastewalk.ui.settings.widgets import (
    NUMBER_ALIGN,
    action_button,
    flat_list,
    human_size,
    make_note_row,
)
from wastewalk.ui.timefmt import uk_date_time

logger = logging.getLogger(__name__)

KIND_TEXT = {
    BackupKind.DAILY: "Daily (automatic)",
    BackupKind.PRE_UPGRADE: "Before an upgrade",
    BackupKind.PRE_RESTORE: "Before a restore",
    BackupKind.MANUAL: "Made on request",
}
BACKUPS_HELP = (
    "WasteWalk copies this file the first time it is opened each day (the newest seven are "
    "kept), before a new version changes it, and before a restore replaces it."
)
RESTORE_HELP = (
    "Restoring puts the selected backup in place of the open file. The open file is kept first, "
    "as a 'before a restore' backup in this list, so nothing is lost. WasteWalk then reopens "
    "on the restored data."
)
RESTORED = "Restored. WasteWalk will now reopen on the restored data."
COLUMNS = ("Made", "Kind", "Size", "File")


def _value_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setAccessibleName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


class DataFileTab(QWidget):
    """Where the data is and how to get an earlier copy back.

    `database_replaced` carries the path of a file a restore has just replaced: from then on
    this window's database connection is stale, and the program closes.
    """

    database_replaced = Signal(object)  # Path

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.backups: list[BackupInfo] = []
        self.replaced = False

        self.file_label = _value_label(self, "Open database")
        self.engine_label = _value_label(self, "Kind of database")
        self.size_label = _value_label(self, "Size of the data file")
        self.folder_label = _value_label(self, "Data folder")
        self.backup_folder_label = _value_label(self, "Backup folder")
        form = QFormLayout()
        form.addRow("Open database:", self.file_label)
        form.addRow("Kind:", self.engine_label)
        form.addRow("Size:", self.size_label)
        form.addRow("Data folder:", self.folder_label)
        form.addRow("Backup folder:", self.backup_folder_label)

        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Notice about backups")
        self.notice.setStyleSheet(
            "background:#e8f1fa; color:#003087; padding:8px; border:1px solid #005EB8;"
        )
        self.notice.setVisible(False)

        heading = QLabel("<b>Backups of this file</b>", self)
        backups_help = QLabel(BACKUPS_HELP, self)
        backups_help.setWordWrap(True)

        self.list = flat_list(self, "Backups of this file, newest first", COLUMNS)
        header = self.list.header()
        header.setStretchLastSection(True)
        for column, width in ((0, 200), (1, 160), (2, 100)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)

        self.backup_button = action_button(
            "&Back up now…", self, tip="Save a checked copy of the open file"
        )
        self.restore_button = action_button(
            "&Restore selected…", self, tip="Put the selected backup in place of the open file"
        )
        restore_help = QLabel(RESTORE_HELP, self)
        restore_help.setWordWrap(True)
        restore_help.setStyleSheet("color: #425563;")

        side_layout = QVBoxLayout()
        side_layout.addWidget(self.backup_button)
        side_layout.addWidget(self.restore_button)
        side_layout.addSpacing(8)
        side_layout.addWidget(restore_help)
        side_layout.addStretch(1)
        side = QWidget(self)
        side.setLayout(side_layout)
        side.setFixedWidth(230)

        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(side)
        # Everything about backups on this laptop, hidden for a server database.
        self.backups_box = QWidget(self)
        box = QVBoxLayout(self.backups_box)
        box.setContentsMargins(0, 6, 0, 0)
        box.addWidget(heading)
        box.addWidget(backups_help)
        box.addLayout(body, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(self.backups_box, 1)
        layout.addStretch(0)  # takes the room only when the backups box is hidden

        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.list.itemActivated.connect(lambda *_: self.restore_selected())

    def reload(self) -> None:
        """Re-read the file's size and the backups (not after a restore: the file is replaced)."""
        if self.replaced:
            return
        info = backups.data_file_info(self.db)
        self.file_label.setText(info.display_name)
        self.folder_label.setText(str(info.data_folder))
        if info.backups_on_server:
            self.engine_label.setText(f"{info.engine_name} (a shared database on a server)")
            self.size_label.setText("kept on the server")
            self.backup_folder_label.setText("none on this laptop")
            self._show_notice(backups.SERVER_BACKUPS)
        else:
            self.engine_label.setText(f"{info.engine_name} (a file on this computer)")
            self.size_label.setText(human_size(info.size_bytes or 0))
            self.backup_folder_label.setText(str(info.backup_folder))
            self._show_notice("")
        self.backups_box.setVisible(not info.backups_on_server)
        self.show_backups(backups.list_backups(self.db))

    def show_backups(self, found: list[BackupInfo]) -> None:
        keep = self.selected()
        self.backups = found
        self.list.clear()
        for backup in found:
            item = QTreeWidgetItem(
                self.list,
                [
                    uk_date_time(backup.made_at),
                    KIND_TEXT[backup.kind],
                    human_size(backup.size_bytes),
                    backup.name,
                ],
            )
            item.setToolTip(3, str(backup.path))
            item.setTextAlignment(2, NUMBER_ALIGN)
            # Keep the choice across a reload; else offer the newest (a restore still asks first).
            if (keep is None and self.list.currentItem() is None) or (
                keep is not None and backup.path == keep.path
            ):
                self.list.setCurrentItem(item)
        if not found and self.db.path is not None:
            empty = QTreeWidgetItem(
                self.list, ["None yet: the first one is made when the file is next opened"]
            )
            make_note_row(empty)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        item = self.list.currentItem()
        if item is None:
            return None
        index = self.list.indexOfTopLevelItem(item)
        return self.backups[index] if 0 <= index < len(self.backups) else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(not self.replaced and self.selected() is not None)

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def back_up_now(self) -> None:
        try:
            suggested = backups.suggested_backup_path(self.db)
        except WasteWalkError as exc:
            ask.warn(self, "Back up now", str(exc))
            return
        out = ask.save_path(self, "Back up the data file to…", suggested)
        if out is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            made = backups.backup_now(self.db, out)
        except WasteWalkError as exc:
            QApplication.restoreOverrideCursor()
            ask.warn(self, "Back up now: no copy made", str(exc))
            return
        QApplication.restoreOverrideCursor()
        self.reload()
        ask.inform(
            self,
            "Backed up",
            f"A checked copy of the data file is at {made.path} ({human_size(made.size_bytes)}).",
        )

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or self.replaced:
            return
        question = (
            f"Put the backup made {uk_date_time(chosen.made_at)} "
            f"({KIND_TEXT[chosen.kind].lower()}) in place of {self.db.display_name}?\n\n"
            f"{RESTORE_HELP}"
        )
        if not ask.confirm(self, "Restore a backup", question, "&Restore"):
            return
        path = self.db.path
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = backups.restore_backup(self.db, chosen.path)
        except RestoredButNotOpenedError as exc:
            QApplication.restoreOverrideCursor()
            self._replaced(path)
            ask.warn(self, "Restore: the restored file would not open", str(exc))
            ask.quit_application()
            return
        except WasteWalkError as exc:
            QApplication.restoreOverrideCursor()
            ask.warn(self, "Restore: nothing changed", str(exc))
            return
        QApplication.restoreOverrideCursor()
        # The window's sections still hold the old connection; only a fresh start is honest.
        result.database.close()
        self._replaced(path)
        ask.inform(
            self,
            "Backup restored",
            f"{RESTORED}\n\nThe file it replaced is kept as {result.kept.name} in the backup "
            "folder, listed as 'Before a restore'.",
        )
        ask.quit_application()

    def _replaced(self, path: Path | None) -> None:
        self.replaced = True
        self._show_notice(
            "The data file has been replaced by a backup; WasteWalk reopens on it when this "
            "window closes."
        )
        self.backup_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        self.database_replaced.emit(path)
