"""Group commit: the small write transactions of many request threads, committed together.

Public intake is a burst of tiny transactions (a few INSERTs each). What limits it is not the rows
but the transactions: on SQLite one writer at a time holds the database, and every hand-over of
that lock between threads and processes costs more than the statements it protects; on PostgreSQL
every commit waits for its WAL flush. ``GroupCommit.run(job)`` queues the job; one of the waiting
threads (the leader) takes the database's write lock, runs everything queued by then in one
transaction, commits, and wakes the others with their results. Whoever arrives while a batch is
being written waits for the next one, so batches grow with the load and stay at one job when
there is none.

A job runs inside the shared transaction, so it must touch nothing but the database and its own
objects, and must give the same result when run again: if any job of a batch raises, the batch
is rolled back and every job runs again alone in its own transaction, so one job's error (a
duplicate key, say) reaches only its own caller. A job that must not save anything (over a rate
limit) should return a value saying so rather than raise, which keeps the batch.

A job may carry a ticket for the group's ``admit`` step (the intake's rate-limit count): the
leader passes the tickets of the whole batch to ``admit`` once, before the transaction opens, and a
job whose ticket is refused is not run: its caller gets ``refused``. One statement per batch then
replaces one per job, and nothing it locks is held while the batch is written.

Inside an outer transaction (tests, a caller's ``atomic`` block) the job simply runs there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from django.db import connections, transaction

try:
    import fcntl
except ImportError:  # not on Windows: SQLite's busy handler alone
    fcntl = None

T = TypeVar("T")


class _Entry:
    __slots__ = ("done", "error", "job", "lead", "result", "ticket")

    def __init__(self, job: Callable[[], Any], ticket: Any = None):
        self.job = job
        self.ticket = ticket
        self.done = threading.Event()
        self.lead = False
        self.result: Any = None
        self.error: BaseException | None = None


class GroupCommit(Generic[T]):
    """Commit the jobs of concurrent threads of one process in shared transactions on ``using``."""

    def __init__(
        self,
        *,
        using: str = "default",
        max_batch: int = 64,
        admit: Callable[[list[Any]], list[bool]] | None = None,
        refused: Any = None,
    ):
        self.using = using
        self.max_batch = max_batch
        self.admit = admit  # tickets → one verdict each, in order; run outside the transaction
        self.refused = refused  # what a job whose ticket was refused returns
        self._mutex = threading.Lock()
        self._queue: list[_Entry] = []
        self._leading = False
        self.batches = 0  # how many transactions ran, and how many jobs: for the benchmark's figures
        self.jobs = 0

    def run(self, job: Callable[[], T], *, ticket: Any = None) -> T:
        if connections[self.using].in_atomic_block:
            if not self._admitted([ticket])[0]:
                return self.refused
            with transaction.atomic(using=self.using):
                return job()
        entry = _Entry(job, ticket)
        with self._mutex:
            self._queue.append(entry)
            if not self._leading:
                self._leading = entry.lead = True
        if not entry.lead:
            entry.done.wait()
        if entry.lead:  # first in, or handed the lead by the previous leader
            self._lead(entry)
        if entry.error is not None:
            raise entry.error
        return entry.result

    def _lead(self, own: _Entry) -> None:
        batch: list[_Entry] = []
        try:
            with sqlite_writer_lock(self.using):
                # Taken after the lock: everything that queued while we waited for it joins in.
                with self._mutex:
                    batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
                self._write(batch)
        finally:
            with self._mutex:
                if own in self._queue:  # the lock itself failed: our caller gets the error
                    self._queue.remove(own)
                if self._queue:
                    successor = self._queue[0]
                    successor.lead = True
                    successor.done.set()
                else:
                    self._leading = False
        for entry in batch:
            entry.done.set()

    def _admitted(self, tickets: list[Any]) -> list[bool]:
        if self.admit is None:
            return [True] * len(tickets)
        asked = [index for index, ticket in enumerate(tickets) if ticket is not None]
        verdicts = [True] * len(tickets)
        if asked:
            for index, verdict in zip(asked, self.admit([tickets[i] for i in asked]), strict=True):
                verdicts[index] = verdict
        return verdicts

    def _write(self, batch: list[_Entry]) -> None:
        try:
            verdicts = self._admitted([entry.ticket for entry in batch])
        except BaseException as exc:  # nothing written: every caller of the batch sees the error
            for entry in batch:
                entry.error = exc
            return
        for entry, verdict in zip(batch, verdicts, strict=True):
            if not verdict:
                entry.result = self.refused
        batch = [entry for entry, verdict in zip(batch, verdicts, strict=True) if verdict]
        if not batch:
            return
        self.batches += 1
        self.jobs += len(batch)
        try:
            with transaction.atomic(using=self.using):
                for entry in batch:
                    entry.result = entry.job()
            return
        except BaseException as exc:
            if len(batch) == 1:
                batch[0].error = exc
                return
        for entry in batch:  # one job failed: each alone, so only its own caller sees its error
            entry.result = None
            try:
                with transaction.atomic(using=self.using):
                    entry.result = entry.job()
            except BaseException as exc:
                entry.error = exc


def run_alone(job: Callable[[], T], *, using: str = "default") -> T:
    """A job in a transaction of its own, queued with the batches on SQLite's writer lock: for
    jobs with effects outside the database (stored files) that must not run twice."""
    with sqlite_writer_lock(using), transaction.atomic(using=using):
        return job()


# SQLite lets one writer in at a time and puts the others to sleep in its busy handler, in steps of
# up to 100 ms. The leaders of every web process therefore queue on an advisory file lock beside
# the database first: the kernel hands it on the moment it is released, and SQLite's own lock is
# then almost always free. Other writers (the worker, the work pages) rely on the busy handler.
_lock_files = threading.local()


@contextmanager
def sqlite_writer_lock(using: str = "default") -> Iterator[None]:
    """Hold the file lock that queues SQLite writers across processes (nothing elsewhere)."""
    connection = connections[using]
    if (
        connection.vendor != "sqlite"
        or fcntl is None
        or connection.is_in_memory_db()
        or connection.in_atomic_block  # already holding SQLite's lock: waiting here could deadlock
    ):
        yield
        return
    name = str(connection.settings_dict["NAME"])
    handle = getattr(_lock_files, "handle", None)
    if handle is None or getattr(_lock_files, "name", None) != name:
        if handle is not None:
            handle.close()
        handle = _lock_files.handle = open(name + ".writer-lock", "a")  # noqa: SIM115 - kept per thread
        _lock_files.name = name
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
