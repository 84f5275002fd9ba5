"""The outputs folder during a run: one run at a time, no temporary files left behind.

`claim(out)` creates the folder and takes an exclusive lock on it (flock on the
folder itself, so no lock file is left behind): a second run on the same folder
is refused with a clear message instead of interleaving with the first. It then
removes the temporary files (`.NAME.xxxxxxxx.tmp`, see export._replacing) that
a killed or failed run left: every output is written to such a file and renamed
into place, so one that survives a run is garbage.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError, output_error

# tempfile.mkstemp(prefix=".NAME.", suffix=".tmp"): 8 random characters in between.
_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def stale_temp_files(folder: Path) -> list[Path]:
    """Temporary files of an interrupted atomic write directly under `folder`."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(Path(folder) / n for n in names if _TEMP.match(n))


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Delete the files `stale_temp_files` lists; return those deleted."""
    removed = []
    for path in stale_temp_files(folder):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise output_error(path, exc, "cannot remove a temporary file") from exc
    return removed


@contextmanager
def claim(out: Path) -> Iterator[Path]:
    """Create `out`, hold its run lock for the block, clean stale temporary files.

    Raises OutputError when the folder cannot be created or written, or when another
    run holds the lock.
    """
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(out, exc, "cannot create the outputs folder") from exc
    try:
        import fcntl

        fd = os.open(out, os.O_RDONLY)
    except (ImportError, OSError):  # Windows: no folder locks; runs must not overlap
        fcntl, fd = None, -1
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputError(
                    out, "another run is using this outputs folder; wait for it to finish"
                ) from None
        remove_stale_temp_files(out)
        yield out
    finally:
        if fd >= 0:
            os.close(fd)
