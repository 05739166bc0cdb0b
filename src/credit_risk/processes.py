"""Which process owns a piece of work, and whether it still runs: for runs and trials left open.

A process is named by its host, pid and start time (a pid reused by a later process has
another start time). Only this host's processes can be checked.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def process_started(pid: int) -> str | None:
    """When process ``pid`` started, as the kernel counts it; ``None`` where unknown.

    Args:
        pid: A process id.

    Returns:
        The start time in clock ticks since boot (Linux ``/proc``), or ``None``.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22; the name may hold spaces


def this_process() -> dict[str, str]:
    """The current process: ``host``, ``pid`` and, where known, ``started``.

    Returns:
        The owner record.
    """
    owner = {"host": socket.gethostname(), "pid": str(os.getpid())}
    started = process_started(os.getpid())
    if started is not None:
        owner["started"] = started
    return owner


def on_this_host(owner: dict[str, str]) -> bool:
    """Whether an owner record names a process of this host (the only ones checkable).

    Args:
        owner: From :func:`this_process`.

    Returns:
        Whether its host is this one.
    """
    return owner.get("host") == socket.gethostname() and "pid" in owner


def still_running(owner: dict[str, str]) -> bool:
    """Whether the process an owner record of this host names still runs.

    Args:
        owner: From :func:`this_process`, of this host.

    Returns:
        ``False`` when the pid is gone or now belongs to a process started at another time.
    """
    pid = int(owner["pid"])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        pass
    return "started" not in owner or process_started(pid) in (None, owner["started"])
