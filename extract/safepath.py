"""Paths from outside (file names, symlinks, sheet cells) kept inside their folder.

The corpus folder is the only place the pipeline reads articles from: a
symbolic link that resolves outside it (to /etc/passwd, /proc/self/status,
another user's folder) or that loops is never followed, only reported.
"""

from __future__ import annotations

import errno
import os

MAX_NAME_BYTES = 255  # one path component, as most file systems allow
MAX_PATH_CHARS = 1024


def real_root(folder: str | os.PathLike) -> str:
    """The folder's absolute path with every symlink resolved."""
    return os.path.realpath(folder)


def inside(root_real: str, path: str | os.PathLike) -> bool:
    """Whether `path`, with every symlink resolved, is `root_real` or below it."""
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def link_problem(root_real: str, path: str | os.PathLike) -> str:
    """Why `path` must not be read ("" when it may): a symlink loop, or a target outside
    the folder `root_real`. A broken link is not a problem here (reading it fails
    with its own reason)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop: not read"
        return ""
    if not inside(root_real, path):
        return "symbolic link to a place outside the corpus folder: not read"
    return ""


def printable_name(name: str) -> str:
    """A file name as text that can be stored and written as UTF-8: bytes that were
    not UTF-8 (lone surrogates from os.fsdecode) become `\\xNN` escapes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def name_problem(rel: str) -> str:
    """Why a relative path from a sheet cannot name a file ("" when it can)."""
    if len(rel) > MAX_PATH_CHARS:
        return f"is {len(rel)} characters long (at most {MAX_PATH_CHARS})"
    for part in rel.replace("\\", "/").split("/"):
        if len(os.fsencode(part)) > MAX_NAME_BYTES:
            return f"has a name part longer than {MAX_NAME_BYTES} bytes"
        if "\x00" in part:
            return "contains a NUL character"
    return ""
