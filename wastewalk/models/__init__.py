"""SQLAlchemy tables. Importing this package registers every table on `Base.metadata`."""

from wastewalk.models.base import Base, UTCDateTime, utcnow
from wastewalk.models.observation import Observation, Photo
from wastewalk.models.organisation import Area, Csu, Trust
from wastewalk.models.walk import Participant, Walk
from wastewalk.models.waste import WasteCategory

__all__ = [
    "Area",
    "Base",
    "Csu",
    "Observation",
    "Participant",
    "Photo",
    "Trust",
    "UTCDateTime",
    "Walk",
    "WasteCategory",
    "utcnow",
]
