"""Where grading cells run: a local process pool, or a Dask cluster, both as a `concurrent.futures.Executor`."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from ...core.errors import MilestoneError
from . import messages
from .grading_cell import ignore_interrupts_in_worker

DASK_SCHEME = "dask"
CONNECT_TIMEOUT = "10s"
WORKER_JOIN_S = 10.0


@dataclass(frozen=True)
class OpenExecutor:
    """An executor and how to stop the cells it is running now (on Ctrl-C)."""

    executor: Executor
    stop_running: Callable[[], None]


def dask_address(url: str) -> str:
    """`dask://HOST:PORT` as the scheduler's address (`tcp://HOST:PORT`); anything else raises
    `MilestoneError` naming the value."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise MilestoneError(messages.bad_executor(url)) from None
    if parts.scheme != DASK_SCHEME or not parts.hostname or port is None or parts.path not in ("", "/"):
        raise MilestoneError(messages.bad_executor(url))
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"tcp://{host}:{port}"


@contextmanager
def _local_pool(jobs: int) -> Iterator[OpenExecutor]:
    context = multiprocessing.get_context("spawn")
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=ignore_interrupts_in_worker)

    def stop_running() -> None:
        workers = [process for process in multiprocessing.active_children() if process not in before]
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join(WORKER_JOIN_S)

    try:
        yield OpenExecutor(pool, stop_running)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _dask(url: str) -> Iterator[OpenExecutor]:
    address = dask_address(url)
    try:
        from distributed import Client
    except ImportError:
        raise MilestoneError(messages.dask_missing(url)) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise MilestoneError(messages.executor_unreachable(url, str(error).splitlines()[0] if str(error) else type(error).__name__)) from None
    try:
        yield OpenExecutor(client.get_executor(), lambda: None)
    finally:
        client.close()


@contextmanager
def open_executor(url: str | None, jobs: int) -> Iterator[OpenExecutor]:
    """A local process pool of `jobs` workers (`url` None), or the Dask cluster at `dask://HOST:PORT`.

    Dask cannot stop a task that has started: after Ctrl-C its running cells end at their timeout.
    Raises `MilestoneError` for a bad URL, a missing Dask, or a scheduler that does not answer.
    """
    with (_local_pool(jobs) if url is None else _dask(url)) as opened:
        yield opened
