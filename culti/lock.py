"""One writer per output folder: an exclusive `flock` on OUT/.culti.lock, held while a command writes.

The lock file records who holds it (pid, host, command, start time) so a second writer can say
which process to wait for. The kernel drops a `flock` when its holder dies, so a lock left by a
crashed or killed run is simply taken over; the file itself is never removed.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = ".culti.lock"
_HELD: set[int] = set()  # descriptors of the locks this process holds


def _forget_in_child() -> None:
    """Forked workers (page and image pools) close their copy of a held lock, so workers that
    outlive a killed parent never keep the folder locked."""
    for fd in _HELD:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)


class FolderLocked(Exception):
    """Another live process holds the folder's lock."""

    def __init__(self, folder: Path, holder: dict, flag: str = "--out"):
        self.folder, self.holder = folder, holder
        pid, host = holder.get("pid"), holder.get("host")
        who = f"process {pid}" if pid else "another process"  # it has not written its record yet
        who += f" on {host}" if host and host != socket.gethostname() else ""
        what = ", ".join(x for x in (holder.get("command"), _started(holder.get("started"))) if x)
        super().__init__(f"{folder} is being written by {who}" + (f" ({what})" if what else "")
                         + f"; wait for it or choose another {flag}")


def _started(stamp) -> str:
    if not isinstance(stamp, (int, float)):
        return ""
    return "started " + time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))


@dataclass(slots=True)
class FolderLock:
    """An open, locked .culti.lock; `release()` (or process exit) frees it."""

    path: Path
    fd: int

    def release(self) -> None:
        if self.fd >= 0 and self.fd in _HELD:
            _HELD.discard(self.fd)
            os.close(self.fd)  # closing the last descriptor drops the flock
        self.fd = -1

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def lock_folder(folder: Path, command: str, flag: str = "--out") -> FolderLock:
    """Given an existing folder and the command about to write it, lock the folder for this
    process, or raise FolderLocked naming the process that holds it (and `flag`, the option that
    chose the folder)."""
    path = Path(folder) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read_holder(fd)
        os.close(fd)
        raise FolderLocked(Path(folder), holder, flag) from None
    except BaseException:
        os.close(fd)
        raise
    info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command, "started": time.time()}
    data = (json.dumps(info, ensure_ascii=False) + "\n").encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)
    _HELD.add(fd)
    return FolderLock(path, fd)


def _read_holder(fd: int) -> dict:
    """The holder's record; a holder that has not written it yet reads as empty."""
    try:
        data = os.pread(fd, 4096, 0)
        holder = json.loads(data.decode("utf-8")) if data.strip() else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}
