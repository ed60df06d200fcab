"""Models of the SOP. Submodules import in one direction: clock <- tasks <- archive."""

from .clock import HariLibur, JamKerja
from .tasks import SOPTask, SOPTaskState, is_author

__all__ = ["HariLibur", "JamKerja", "SOPTask", "SOPTaskState", "is_author"]
