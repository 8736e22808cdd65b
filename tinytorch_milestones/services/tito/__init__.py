"""Reading tito's own progress files and merging what they know into the progress file (`import-tito`)."""

from .migration import TITO_FILES, MigrationReport, import_tito

__all__ = ["TITO_FILES", "MigrationReport", "import_tito"]
