"""What a run needs to be reproduced: code, lock file, packages, machine."""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess  # nosec B404  # two fixed commands below (git, nvidia-smi), never a shell
import sys
from importlib import metadata
from pathlib import Path
from typing import Any


def git_state(path: Path) -> dict[str, Any]:
    """The commit checked out at ``path`` and whether the tree has uncommitted changes.

    Args:
        path: Any folder inside the repository.

    Returns:
        ``{"git_commit": sha or None, "git_dirty": bool or None}``.
    """
    executable = shutil.which("git")

    def git(*args: str) -> str | None:
        if executable is None:
            return None
        try:
            # Accepted (bandit B603): the resolved git, fixed arguments chosen here, no shell
            done = subprocess.run(  # nosec B603
                [executable, *args],
                cwd=path,
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain") if commit else None
    return {"git_commit": commit, "git_dirty": None if status is None else bool(status)}


def _first_line(path: Path, prefix: str) -> str | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _accelerator() -> str:
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return "none"
    try:
        # Accepted (bandit B603): the resolved nvidia-smi, fixed arguments, no shell
        done = subprocess.run(  # nosec B603
            [smi, "--query-gpu=name", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "none"
    return ", ".join(line.strip() for line in done.stdout.splitlines() if line.strip()) or "none"


def machine() -> dict[str, Any]:
    """Python, OS, CPU model and count, memory and accelerator of this machine.

    Returns:
        The description.
    """
    memory_kb = _first_line(Path("/proc/meminfo"), "MemTotal")
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "os": platform.platform(),
        "cpu_model": _first_line(Path("/proc/cpuinfo"), "model name") or platform.processor(),
        "cpu_count": os.cpu_count(),
        "memory_gib": round(int(memory_kb.split()[0]) / 1024**2, 2) if memory_kb else None,
        "accelerator": _accelerator(),
    }


def environment(project: Path) -> dict[str, Any]:
    """Everything about the code and the machine that a run should record.

    Args:
        project: The project root (holds ``uv.lock``).

    Returns:
        Git state, the lock file's SHA-256, installed package versions and the machine.
    """
    lock = project / "uv.lock"
    packages = {d.metadata["Name"].lower(): d.version for d in metadata.distributions()}
    return {
        **git_state(project),
        "uv_lock_sha256": hashlib.sha256(lock.read_bytes()).hexdigest() if lock.exists() else None,
        "packages": dict(sorted(packages.items())),
        "executable": sys.executable,
        **machine(),
    }
