"""Where training writes files: their parent folders are created on demand."""

import os


def make_parent_dirs(path) -> None:
    """Create the folders above the file ``path`` that do not exist yet (``runs/log.csv``)."""
    os.makedirs(os.path.dirname(os.path.abspath(os.fspath(path))), exist_ok=True)
