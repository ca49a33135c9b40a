"""Child process for test_gui_kill.py: the real window, a walk being captured, until power dies.

    python gui_kill_child.py DB_PATH WALK_ID ROUND

Opens the database the program's way, builds and shows the real `MainWindow`, opens the walk the
parent started, and prints "ready <walk hex id>". Then it captures observations as a person does
(a waste key, the text typed into "What was seen", Enter), each step queued on the running event
loop, and prints "obs <hex id>" (flushed) from the `saved` signal, which the capture page emits
only once the save has returned. The parent kills this process with SIGKILL at a random moment
and checks that every printed id is in the file.
"""

from __future__ import annotations

import sys
import uuid

# Stop on its own after this many saves, so a child the parent failed to kill cannot run for ever.
MAX_SAVES = 2_000
WASTE_KEYS = "12345678"


def main() -> int:
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from wastewalk.services.observations import ObservationInfo
    from wastewalk.store.database import open_database
    from wastewalk.ui.main_window import MainWindow

    db_path, walk_id, round_number = sys.argv[1], uuid.UUID(sys.argv[2]), int(sys.argv[3])
    QCoreApplication.setOrganizationName("WasteWalk")
    QCoreApplication.setApplicationName("WasteWalk")
    app = QApplication(sys.argv[:1])
    db = open_database(db_path)
    window = MainWindow(db)
    window.show()
    window.show_walk(walk_id)
    capture = window.walks.capture
    saves: list[uuid.UUID] = []

    def on_saved(info: ObservationInfo) -> None:
        saves.append(info.id)
        print("obs", info.id.hex, flush=True)

    capture.saved.connect(on_saved)

    def step() -> None:
        number = len(saves)
        if number >= MAX_SAVES:
            app.exit(0)
            return
        capture.pick_key(WASTE_KEYS[number % len(WASTE_KEYS)])
        QTest.keyClicks(
            capture.form.description,
            f"Round {round_number}, seen {number}: porter waited at bay {number % 6 + 1}",
        )
        QTest.keyClick(capture.form.description, Qt.Key.Key_Return)
        if len(saves) != number + 1:
            # Enter did not save: say why (the status line) and stop, so the parent reports it.
            print(f"Enter did not save: {capture.status.text()!r}", file=sys.stderr, flush=True)
            app.exit(3)
            return
        QTimer.singleShot(0, step)

    def start() -> None:
        if capture.walk is None or capture.walk.id != walk_id:
            print("the walk did not open", file=sys.stderr, flush=True)
            app.exit(4)
            return
        print("ready", walk_id.hex, flush=True)
        step()

    # Queued behind the show: the window is up and the event loop running before the first key.
    QTimer.singleShot(0, start)
    code = app.exec()
    db.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
