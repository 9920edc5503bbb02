"""Running a function in a child process with a memory limit and a time limit.

For work on untrusted input whose memory cannot be bounded beforehand (an uploaded spreadsheet
parsed by a native reader): if it runs away, the child dies, not the server. Children are forked
from a small server process (multiprocessing's forkserver) started once, holding the modules it
was asked to preload: a fork costs milliseconds where a fresh interpreter costs a second, and
it never copies the caller's threads (forking a process whose polars thread pool is running can
deadlock the child).

The limit is on the child's address space (RLIMIT_AS) above what it holds when it starts: an
allocation past it fails (MemoryError in Python; a native library aborts the child). While
waiting, the caller samples the child's peak resident memory (VmHWM) so that the figure is known
even when the child dies.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import resource
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger(__name__)

_SAMPLE_SECONDS = 0.05


class Stopped(Exception):
    """The child ended without an answer: it ran out of memory or time, or crashed."""

    def __init__(self, reason: str, peak_mb: float) -> None:
        super().__init__(reason)
        self.reason = reason  # "memory" or "time"
        self.peak_mb = peak_mb


class Failed(Exception):
    """The function raised an exception the child could not send back; carries its traceback."""


@dataclass
class Outcome:
    value: Any
    peak_mb: float  # the child's peak resident memory


def call(
    fn: Callable[..., Any],
    *args: Any,
    memory_mb: int,
    seconds: float,
    preload: tuple[str, ...] = (),
) -> Outcome:
    """`fn(*args)` in a child limited to `memory_mb` more address space and `seconds`.

    `fn` and its arguments are pickled (a module-level function is sent by name); an exception
    `fn` raises is raised here if it pickles, as `Failed` otherwise."""
    context = multiprocessing.get_context("forkserver")
    # Only modules that are found the same way whatever the caller's sys.path: the server does
    # not get it (Python 3.11), each child does, and then imports the caller's own modules.
    context.set_forkserver_preload(list(preload))
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, memory_mb, fn, args), daemon=True)
    child.start()
    send.close()
    peak_kb, started = 0, time.monotonic()
    try:
        while not receive.poll(_SAMPLE_SECONDS):
            peak_kb = max(peak_kb, _peak_kb(child.pid))
            if not child.is_alive():
                break
            if time.monotonic() - started > seconds:
                child.kill()
                raise Stopped("time", peak_kb / 1024)
        try:
            kind, value, child_peak_kb = receive.recv()
        except EOFError:
            child.join()
            if child.exitcode is not None and child.exitcode < 0:
                # Killed by a signal without a word: a native allocator's abort at the limit,
                # or the kernel's out-of-memory kill.
                raise Stopped("memory", peak_kb / 1024) from None
            raise Failed(f"the child exited with code {child.exitcode}") from None
    finally:
        receive.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()
    peak_mb = max(peak_kb, child_peak_kb) / 1024
    if kind == "memory":
        raise Stopped("memory", peak_mb)
    if kind == "raised":
        raise value
    if kind == "failed":
        raise Failed(value)
    return Outcome(value=value, peak_mb=peak_mb)


def _peak_kb(pid: int | None) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _address_space() -> int:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(send: Connection, memory_mb: int, fn: Callable[..., Any], args: tuple) -> None:
    limit = _address_space() + (memory_mb << 20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        message = ("value", fn(*args))
    except MemoryError:
        message = ("memory", None)
    except Exception as exc:  # raised again in the caller, or described if it cannot be sent
        try:
            pickle.loads(pickle.dumps(exc))
            message = ("raised", exc)
        except Exception:
            message = ("failed", traceback.format_exc())
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        send.send((*message, peak_kb))
    except MemoryError:
        send.send(("memory", None, peak_kb))
    except Exception:
        # An answer that cannot be pickled: the caller gets its traceback as text.
        send.send(("failed", traceback.format_exc(), peak_kb))
    send.close()
