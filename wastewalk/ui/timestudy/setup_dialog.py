"""Set up a time study (or change the set-up): the process, where and when, its ordered elements,
and how readings become standard time.

The dialog calls the service itself, so a refusal (a workday allowance of 100 %, an element
without a name) is shown inline in the services' own words and the dialog stays open.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate, QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from wastewalk.domain.errors import InputError, WasteWalkError
from wastewalk.domain.time_study import (
    VALUE_CLASS_WORDS,
    Z_FOR_CONFIDENCE,
    AllowanceBasis,
    SelectedTime,
    ValueClass,
)
from wastewalk.services.organisation import AreaInfo
from wastewalk.services.time_studies import ElementInput, StudyInfo, StudyInput
from wastewalk.services.wastes import WasteCategoryInfo

logger = logging.getLogger(__name__)

Save = Callable[[StudyInput], StudyInfo]

ELEMENT_HEADERS = ("Element (what is done)", "Value", "Which waste", "Rating %")
FIELD_HEIGHT = 34


class ElementRow:
    """The editors of one element: name, value class, waste (when waste) and rating."""

    def __init__(self, categories: Sequence[WasteCategoryInfo], parent: QWidget) -> None:
        self.name = QLineEdit(parent)
        self.name.setPlaceholderText("e.g. Check wristband")
        self.name.setAccessibleName("Element name")
        self.name.setMaxLength(200)
        self.value_class = QComboBox(parent)
        self.value_class.setAccessibleName("Value class")
        for value, words in VALUE_CLASS_WORDS.items():
            self.value_class.addItem(words, str(value))
        self.waste = QComboBox(parent)
        self.waste.setAccessibleName("Which waste")
        self.waste.addItem("–", "")
        for category in categories:
            self.waste.addItem(category.label, category.code)
        self.rating = QDoubleSpinBox(parent)
        self.rating.setAccessibleName("Rating, per cent of normal pace")
        self.rating.setRange(1, 200)
        self.rating.setDecimals(0)
        self.rating.setSingleStep(5)
        self.rating.setValue(100)
        self.rating.setSuffix(" %")
        self.value_class.currentIndexChanged.connect(self._class_changed)
        self._class_changed()

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.value_class, self.waste, self.rating)

    def _class_changed(self) -> None:
        is_waste = self.value_class.currentData() == ValueClass.WASTE
        self.waste.setEnabled(is_waste)
        if not is_waste:
            self.waste.setCurrentIndex(0)

    def value(self) -> ElementInput:
        return ElementInput(
            name=self.name.text(),
            value_class=str(self.value_class.currentData()),
            rating_pct=self.rating.value(),
            waste_code=str(self.waste.currentData()) or None,
        )

    def set_value(self, element: ElementInput) -> None:
        self.name.setText(element.name)
        self.value_class.setCurrentIndex(max(0, self.value_class.findData(element.value_class)))
        self.waste.setCurrentIndex(max(0, self.waste.findData(element.waste_code or "")))
        self.rating.setValue(element.rating_pct)


class StudySetupDialog(QDialog):
    """New study, or "Edit set-up" of an existing one (then `study` is given)."""

    def __init__(
        self,
        areas: Sequence[AreaInfo],
        categories: Sequence[WasteCategoryInfo],
        save: Save,
        *,
        preferred_area: uuid.UUID | None = None,
        study: StudyInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.save = save
        self.study = study
        self.saved: StudyInfo | None = None
        self.categories = list(categories)
        self.codes = {c.id: c.code for c in categories}
        # Readings are matched to elements by position: once a study has readings its elements
        # may be renamed or added to, but not reordered.
        self.locked = bool(study and study.reading_count)
        title = f"Set-up of “{study.name}”" if study else "Set up a time study"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(980, 680)
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        left = QFormLayout()
        self.name = self._line("Study name", "e.g. Morning drug round, bay 2", left, "&Name")
        self.process = self._line(
            "Process", "The process studied (the name is used if left empty)", left, "&Process"
        )
        self.area = QComboBox(self)
        self.area.setAccessibleName("Area")
        self.area.setMinimumHeight(FIELD_HEIGHT)
        for area in areas:
            self.area.addItem(f"{area.name}  ·  {area.csu_name}", str(area.id))
        left.addRow("&Area", self.area)
        self.observer = self._line("Observer", "Who is timing", left, "O&bserver")
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd d MMM yyyy")
        self.date.setAccessibleName("Date of the study")
        self.date.setMinimumHeight(FIELD_HEIGHT)
        left.addRow("&Date", self.date)
        top.addLayout(left, 3)
        top.addWidget(self._method_box(), 2)
        layout.addLayout(top)
        layout.addWidget(self._elements_box(), 1)

        self.problem = QLabel(self)
        self.problem.setStyleSheet("color:#d5281b; font-weight:600;")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Save set-up" if study else "Create study")
        ok.setDefault(True)
        for button in self.buttons.buttons():
            button.setMinimumHeight(40)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        if study is not None:
            self._load(study)
        else:
            index = self.area.findData(str(preferred_area)) if preferred_area else -1
            self.area.setCurrentIndex(max(index, 0))
            for _ in range(3):
                self.add_element()
        self._update_buttons()
        self.name.setFocus()

    # --- layout -------------------------------------------------------------------------

    def _line(self, name: str, hint: str, form: QFormLayout, label: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(hint)
        edit.setMaxLength(200)
        edit.setMinimumHeight(FIELD_HEIGHT)
        form.addRow(label, edit)
        return edit

    def _method_box(self) -> QGroupBox:
        box = QGroupBox("Standard time and accuracy", self)
        form = QFormLayout(box)
        allowance = QHBoxLayout()
        self.allowance = QDoubleSpinBox(box)
        self.allowance.setAccessibleName("Allowance per cent")
        self.allowance.setRange(0, 100)
        self.allowance.setDecimals(1)
        self.allowance.setSuffix(" %")
        self.allowance.setMinimumHeight(FIELD_HEIGHT)
        self.basis = QComboBox(box)
        self.basis.setAccessibleName("Allowance basis")
        self.basis.addItem("of the job: NT × (1 + A)", str(AllowanceBasis.JOB))
        self.basis.addItem("of the workday: NT ÷ (1 − A)", str(AllowanceBasis.WORKDAY))
        self.basis.setMinimumHeight(FIELD_HEIGHT)
        allowance.addWidget(self.allowance)
        allowance.addWidget(self.basis, 1)
        form.addRow(_buddy("A&llowance", self.allowance, box), allowance)
        self.selected_time = QComboBox(box)
        self.selected_time.setAccessibleName("Selected time")
        self.selected_time.addItem("Mean of the valid readings", str(SelectedTime.MEAN))
        self.selected_time.addItem("Lowest repeatable time (LRT)", str(SelectedTime.LRT))
        self.selected_time.setMinimumHeight(FIELD_HEIGHT)
        form.addRow("&Selected time", self.selected_time)
        self.available = self._optional_number(box, "Available minutes for takt", " min", 10080)
        form.addRow("A&vailable time", self.available)
        self.demand = self._optional_number(box, "Demand in that time, for takt", "", 1_000_000)
        form.addRow("D&emand", self.demand)
        accuracy = QHBoxLayout()
        self.accuracy = QDoubleSpinBox(box)
        self.accuracy.setAccessibleName("Accuracy, plus or minus per cent")
        self.accuracy.setRange(0.5, 50)
        self.accuracy.setDecimals(1)
        self.accuracy.setValue(5)
        self.accuracy.setPrefix("± ")
        self.accuracy.setSuffix(" %")
        self.accuracy.setMinimumHeight(FIELD_HEIGHT)
        self.confidence = QComboBox(box)
        self.confidence.setAccessibleName("Confidence")
        for pct in sorted(Z_FOR_CONFIDENCE):
            self.confidence.addItem(f"at {pct} % confidence", pct)
        self.confidence.setCurrentIndex(self.confidence.findData(95))
        self.confidence.setMinimumHeight(FIELD_HEIGHT)
        accuracy.addWidget(self.accuracy)
        accuracy.addWidget(self.confidence, 1)
        form.addRow(_buddy("Acc&uracy", self.accuracy, box), accuracy)
        return box

    def _optional_number(
        self, parent: QWidget, name: str, suffix: str, top: float
    ) -> QDoubleSpinBox:
        box = QDoubleSpinBox(parent)
        box.setAccessibleName(name)
        box.setRange(0, top)
        box.setDecimals(1)
        box.setSuffix(suffix)
        box.setSpecialValueText("not set")  # 0 means "not given": takt needs both or neither
        box.setMinimumHeight(FIELD_HEIGHT)
        return box

    def _elements_box(self) -> QGroupBox:
        box = QGroupBox("Elements, in the order they are done", self)
        layout = QHBoxLayout(box)
        self.table = QTableWidget(0, len(ELEMENT_HEADERS), box)
        self.table.setAccessibleName("Elements of the process, in order")
        self.table.setHorizontalHeaderLabels(ELEMENT_HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(38)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 230), (2, 200), (3, 90)):
            self.table.setColumnWidth(column, width)
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.table, 1)
        buttons = QVBoxLayout()
        self.add_button = self._side_button("&Add element", "Add an element at the end", box)
        self.add_button.clicked.connect(self.add_element)
        self.remove_button = self._side_button("&Remove", "Remove the selected element", box)
        self.remove_button.clicked.connect(self.remove_element)
        self.up_button = self._side_button("Move &up", "Move the selected element up", box)
        self.up_button.clicked.connect(lambda: self.move_element(-1))
        self.down_button = self._side_button("Move do&wn", "Move the selected element down", box)
        self.down_button.clicked.connect(lambda: self.move_element(1))
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.rows: list[ElementRow] = []
        return box

    def _side_button(self, text: str, name: str, parent: QWidget) -> QPushButton:
        button = QPushButton(text, parent)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setMinimumHeight(38)
        button.setAutoDefault(False)  # Enter in a field saves the set-up, not "Add element"
        return button

    # --- elements -----------------------------------------------------------------------

    def add_element(self, element: ElementInput | None = None) -> ElementRow:
        row = ElementRow(self.categories, self.table.viewport())
        index = len(self.rows)
        self.table.insertRow(index)
        for column, widget in enumerate(row.widgets()):
            self.table.setCellWidget(index, column, widget)
        for widget in row.widgets():
            widget.installEventFilter(self)
        if element is not None:
            row.set_value(element)
        self.rows.append(row)
        self.table.setCurrentCell(index, 0)
        if element is None and self.isVisible():
            row.name.setFocus()
        self._update_buttons()
        return row

    def remove_element(self) -> None:
        index = self.table.currentRow()
        if not 0 <= index < len(self.rows) or not self.remove_button.isEnabled():
            return
        self.table.removeRow(index)
        del self.rows[index]
        if self.rows:
            self.table.setCurrentCell(min(index, len(self.rows) - 1), 0)
        self._update_buttons()

    def move_element(self, step: int) -> None:
        index = self.table.currentRow()
        other = index + step
        if self.locked or not (0 <= index < len(self.rows) and 0 <= other < len(self.rows)):
            return
        first, second = self.rows[index].value(), self.rows[other].value()
        self.rows[index].set_value(second)
        self.rows[other].set_value(first)
        self.table.setCurrentCell(other, 0)
        self.rows[other].name.setFocus()

    def eventFilter(self, watched: object, event: object) -> bool:
        # Focus on an editor inside the table selects its row, so Remove and Move act on it.
        if isinstance(event, QEvent) and event.type() == QEvent.Type.FocusIn:
            for number, row in enumerate(self.rows):
                if watched in row.widgets():
                    self.table.setCurrentCell(number, self.table.currentColumn())
                    break
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _update_buttons(self) -> None:
        index = self.table.currentRow()
        chosen = 0 <= index < len(self.rows)
        last = index == len(self.rows) - 1
        self.remove_button.setEnabled(chosen and (last or not self.locked))
        self.up_button.setEnabled(chosen and not self.locked and index > 0)
        self.down_button.setEnabled(chosen and not self.locked and not last)
        if self.locked:
            why = (
                "This study has readings, which belong to elements by their place: elements "
                "can be renamed and added at the end, and only the last can be removed."
            )
            for button in (self.up_button, self.down_button, self.remove_button):
                button.setToolTip(why)

    # --- values ---------------------------------------------------------------------------

    def _load(self, study: StudyInfo) -> None:
        self.name.setText(study.name)
        self.process.setText(study.process)
        index = self.area.findData(str(study.area_id))
        if index < 0:
            self.area.addItem(f"{study.area_name}  ·  {study.csu_name}", str(study.area_id))
            index = self.area.count() - 1
        self.area.setCurrentIndex(index)
        self.observer.setText(study.observer)
        self.date.setDate(
            QDate(study.study_date.year, study.study_date.month, study.study_date.day)
        )
        settings = study.settings
        self.allowance.setValue(settings.allowance_pct)
        self.basis.setCurrentIndex(self.basis.findData(str(settings.allowance_basis)))
        self.selected_time.setCurrentIndex(self.selected_time.findData(str(settings.selected_time)))
        self.available.setValue(settings.available_minutes or 0)
        self.demand.setValue(settings.demand or 0)
        self.accuracy.setValue(settings.accuracy_pct)
        self.confidence.setCurrentIndex(max(0, self.confidence.findData(settings.confidence_pct)))
        for element in study.elements:
            code = self.codes.get(element.waste_category_id) if element.waste_category_id else None
            self.add_element(
                ElementInput(element.name, element.value_class, element.rating_pct, code)
            )

    def values(self) -> StudyInput:
        """The study as the form says it."""
        date = self.date.date()
        available = self.available.value() or None
        demand = self.demand.value() or None
        return StudyInput(
            name=self.name.text(),
            area_id=uuid.UUID(str(self.area.currentData())),
            study_date=dt.date(date.year(), date.month(), date.day()),
            elements=self._elements(),
            process=self.process.text(),
            observer=self.observer.text(),
            allowance_pct=self.allowance.value(),
            allowance_basis=str(self.basis.currentData()),
            selected_time=str(self.selected_time.currentData()),
            available_minutes=available,
            demand=demand,
            confidence_pct=int(self.confidence.currentData()),
            accuracy_pct=self.accuracy.value(),
            notes=self.study.notes if self.study else "",
            source=self.study.source if self.study else "timed",
        )

    def _elements(self) -> tuple[ElementInput, ...]:
        """The elements in order; spare rows left empty at the end are not elements."""
        rows = list(self.rows)
        while rows and not rows[-1].name.text().strip():
            rows.pop()
        return tuple(row.value() for row in rows)

    def try_save(self) -> None:
        """Save through the service; on a refusal say why here and stay open."""
        if self.area.currentData() is None:
            self.problem.setText("Add a CSU and its areas first, under Organisation & settings.")
            return
        try:
            self.saved = self.save(self.values())
        except InputError as exc:
            self.problem.setText(exc.summary(limit=6))
            return
        except WasteWalkError as exc:
            self.problem.setText(str(exc))
            return
        self.problem.setText("")
        self.accept()


def _buddy(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label
