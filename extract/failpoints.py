"""Named points where a test can kill the run (SIGKILL) to prove crash safety.

Set EXTRACT_FAILPOINT=<name> (or several, comma-separated) in a run's
environment and the process kills itself when it reaches that point. Points:
`after-save` (a batch of documents just committed to the store),
`before-export`, `during-export` (records.csv replaced, the rest not yet),
`after-export` (every output written, the store not yet told). Unset, a
failpoint costs one dict lookup.
"""

from __future__ import annotations

import os
import signal


def failpoint(name: str) -> None:
    """SIGKILL this process if `name` is listed in $EXTRACT_FAILPOINT."""
    wanted = os.environ.get("EXTRACT_FAILPOINT")
    if wanted and name in wanted.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
