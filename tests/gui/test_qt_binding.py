"""Guards against Qt-binding releases that would crash the window in everyday use."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem


def test_setting_item_data_does_not_drop_references_to_none(qapp) -> None:
    # PySide6 6.12.0 on Python 3.11 released a reference to None on every setData call; listing
    # a few hundred walks a few times then aborted the program. Where None is immortal
    # (Python 3.12+) the count cannot move, and the test still holds.
    item = QTableWidgetItem("Ward 12")
    before = sys.getrefcount(None)
    for _ in range(1000):
        item.setData(Qt.ItemDataRole.UserRole, "walk id")
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert abs(sys.getrefcount(None) - before) < 50
