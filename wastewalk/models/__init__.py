"""SQLAlchemy tables. Importing this package registers every table on `Base.metadata`."""

from wastewalk.models.activity import (
    ActivityCategory,
    ActivityFollow,
    ActivityInterruption,
    ActivitySegment,
)
from wastewalk.models.base import Base, UTCDateTime, utcnow
from wastewalk.models.costing import (
    Action,
    ActionEvent,
    ActionObservation,
    AppSetting,
    Estimate,
    StaffRate,
)
from wastewalk.models.observation import Observation, Photo
from wastewalk.models.organisation import Area, Csu, Trust
from wastewalk.models.sync import PackConflict, PackExportLog, PackImportLog, RecordSyncState
from wastewalk.models.time_study import TimeStudy, TimeStudyElement, TimeStudyReading
from wastewalk.models.walk import Participant, Walk
from wastewalk.models.waste import WasteCategory

__all__ = [
    "Action",
    "ActionEvent",
    "ActionObservation",
    "ActivityCategory",
    "ActivityFollow",
    "ActivityInterruption",
    "ActivitySegment",
    "AppSetting",
    "Area",
    "Base",
    "Csu",
    "Estimate",
    "Observation",
    "PackConflict",
    "PackExportLog",
    "PackImportLog",
    "Participant",
    "Photo",
    "RecordSyncState",
    "StaffRate",
    "TimeStudy",
    "TimeStudyElement",
    "TimeStudyReading",
    "Trust",
    "UTCDateTime",
    "Walk",
    "WasteCategory",
    "utcnow",
]
