"""The project-folder rule lives in the core (`core/project.py`), where course selection needs it too."""

from ..core.project import PACKAGE_NAME, PROJECT_MARKERS, find_project_root

__all__ = ["PACKAGE_NAME", "PROJECT_MARKERS", "find_project_root"]
