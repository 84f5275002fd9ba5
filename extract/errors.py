"""Errors a user can act on, each with a one-line message naming the file and the cause."""

from __future__ import annotations

import errno
import os
from pathlib import Path


class OutputError(OSError):
    """An output (the store, an export, the outputs folder) cannot be written.

    The message names the file and the cause (`outputs/records.xlsx: cannot write:
    read-only file system`). The previous version of every output is left complete.
    """

    def __init__(self, path: Path | str, cause: str) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(f"{shown_path(self.path)}: {cause}")


def shown_path(path: Path | str) -> str:
    """A path as a message shows it: relative to the working folder when it lies under
    it (`outputs/records.csv`), else absolute (`/tmp/run/records.csv`), never a climb
    like `../../../tmp/run/records.csv`."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:  # another drive (Windows)
        return absolute
    return absolute if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


_CAUSES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted (immutable or locked file?)",
    errno.EFBIG: "file too large for this file system or process limit",
    errno.ENAMETOOLONG: "file name too long",
}


def os_cause(exc: OSError) -> str:
    """A short human cause for an OSError (`the disk is full`, `permission denied`)."""
    return _CAUSES.get(exc.errno or -1) or (exc.strerror or str(exc)).lower()


def output_error(path: Path | str, exc: OSError, doing: str = "cannot write") -> OutputError:
    """An OutputError for `path` (the output meant, not a temporary file) from an OSError."""
    return OutputError(path, f"{doing}: {os_cause(exc)}")
