"""Models of the SOP. Submodules import in one direction: clock <- tasks <- archive, tasks <- reminders."""

from .archive import GENESIS_HASH, ArchiveImmutable, ArsipPersetujuan, ArsipRantai
from .authoring import ConceptAuthoring
from .clock import HariLibur, JamKerja
from .reminders import SOPReminder
from .tasks import SOPTask, SOPTaskState

__all__ = [
    "GENESIS_HASH",
    "ArchiveImmutable",
    "ArsipPersetujuan",
    "ArsipRantai",
    "ConceptAuthoring",
    "HariLibur",
    "JamKerja",
    "SOPReminder",
    "SOPTask",
    "SOPTaskState",
]
