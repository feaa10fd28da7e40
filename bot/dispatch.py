"""Waitress's pool of request threads, with one thread doing the work while it keeps up, and quick
requests served on the loop's own thread.

A ``/role`` answer is a few milliseconds of CPU under the GIL. When every request thread takes
requests, several answers run at once and trade the GIL (and the loop thread's wake-ups) between them
for no gain: on 2 cores, at 50 concurrent clients on 1,000 roles, each request cost 4.3-4.6 ms of
server CPU with 4 threads against 3.7-3.9 ms with 1 (``bench.bench_sustained``, 2 processes).

One thread alone would stall, though: Bolt waits in the request thread for a listener's ``ack()``
(polling every 10 ms, up to 3 s), so one listener slow to acknowledge would hold every other request.
Hence :class:`SpareThreadDispatcher`: thread 0 takes every request; the other threads are spares that
take requests only while thread 0 has been busy with one request for ``spare_after`` seconds or more,
or at once when the request on it says it will wait (:meth:`SpareThreadDispatcher.release_first`: the
gate says so of every request that Bolt will wait on, so button clicks do not queue behind each other).

Quicker still is no hand-over at all. Each request handed from waitress's loop thread to a request
thread and back costs two thread wake-ups and the GIL changing hands, which on this 2-core VM took
~0.3 ms of kernel time a request (half of the loop thread's CPU; ``perf``: wake-ups and task switches).
So the requests that ``quick(channel)`` says will not wait (``/role`` questions, health checks) are
served on the loop thread itself (:class:`InlineLoop`): one per turn of the loop, in the order they
arrived, polling the sockets between two of them so that requests arriving meanwhile queue behind
(serving every ready request per poll let the last of a batch wait two batches: p99 up by a fifth).
Measured in turns with the code before, 50 clients on 1,000 roles, ``serve --workers 2``: server CPU
2.69-2.70 -> 2.48-2.60 ms a request, 669-676 -> 716-748 req/s, p99 107-110 -> 94-100 ms. Everything
else (commands and clicks that Bolt waits on) goes to the threads as before.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from typing import Any

from waitress import wasyncore
from waitress.task import ThreadedTaskDispatcher

#: How long the first thread may work on one request before spare threads take the waiting ones. An
#: answer takes milliseconds; a listener that has not acknowledged within this is waiting on something.
SPARE_AFTER_SECONDS = 0.05


class SpareThreadDispatcher(ThreadedTaskDispatcher):
    """A waitress task dispatcher (pass it as ``create_server(_dispatcher=...)``) whose thread 0 serves
    while it keeps up and whose other threads are spares for when it is stuck on a request; requests
    that ``quick`` picks wait in :attr:`inline` for the loop thread instead (:class:`InlineLoop`)."""

    def __init__(self, spare_after: float | None = None, quick: Callable[[Any], bool] | None = None):
        super().__init__()
        #: Tells of a channel (its first request complete) whether the loop thread may serve it.
        self.quick = quick
        #: Channels with a quick request, in arrival order; only the loop thread touches it.
        self.inline: collections.deque[Any] = collections.deque()
        #: The thread of the loop (:class:`InlineLoop`), once it runs.
        self.loop_thread: int | None = None
        self.spare_after = SPARE_AFTER_SECONDS if spare_after is None else spare_after
        #: Spares wait here (the first thread waits on ``queue_cv``), so a new request wakes only it.
        self.spare_cv = threading.Condition(self.lock)
        #: When the first thread started the request it is on; None while it is idle.
        self.first_busy_since: float | None = None
        #: Spares asleep until woken (the others wake by the clock).
        self._spares_asleep = 0
        self._first_thread: threading.Thread | None = None

    def handler_thread(self, thread_no: int) -> None:
        first = thread_no == 0
        if first:
            self._first_thread = threading.current_thread()
        while True:
            with self.lock:
                while self.stop_count == 0 and not self._may_take(first):
                    self.active_count -= 1
                    if first:
                        self.queue_cv.wait()
                    else:
                        self._spare_wait()
                    self.active_count += 1
                if self.stop_count > 0:
                    self.active_count -= 1
                    self.stop_count -= 1
                    self.threads.discard(thread_no)
                    self.thread_exit_cv.notify()
                    break
                task = self.queue.popleft()
                if first:
                    self.first_busy_since = time.monotonic()
                if self._spares_asleep:
                    # A spare asleep until woken starts watching the clock (woken by a spare: in case
                    # this request gets stuck too).
                    self.spare_cv.notify()
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)
            finally:
                if first:
                    self.first_busy_since = None

    def release_first(self) -> None:
        """Say that the request being served will wait for something other than the CPU (Bolt waiting
        for a listener's ``ack()``): on the first thread, spares take the requests behind it at once."""
        if threading.current_thread() is not self._first_thread:
            return
        with self.lock:
            self.first_busy_since = float("-inf")  # stuck already
            self.spare_cv.notify()

    def _may_take(self, first: bool) -> bool:
        if not self.queue:
            return False
        if first or 0 not in self.threads:  # (the first thread gone: a smaller pool, every thread serves)
            return True
        since = self.first_busy_since
        return since is not None and time.monotonic() - since >= self.spare_after

    def _spare_wait(self) -> None:
        """Sleep until the first thread's request has taken ``spare_after``; with nothing to watch (the
        first thread idle, or stuck already with no request waiting) until a new request wakes this one."""
        since = self.first_busy_since
        left = None if since is None else self.spare_after - (time.monotonic() - since)
        if left is not None and left > 0:
            self.spare_cv.wait(left)
            return
        self._spares_asleep += 1
        try:
            self.spare_cv.wait()
        finally:
            self._spares_asleep -= 1

    def add_task(self, task: Any) -> None:
        if self.quick is not None and threading.get_ident() == self.loop_thread and self._is_quick(task):
            self.inline.append(task)  # served by the loop itself (InlineLoop), no thread woken
            return
        super().add_task(task)  # wakes the first thread
        with self.lock:
            if self._spares_asleep and self.first_busy_since is not None:
                self.spare_cv.notify()  # it is busy: a spare watches the clock, or takes this one

    def set_thread_count(self, count: int) -> None:
        super().set_thread_count(count)
        with self.lock:
            self.spare_cv.notify_all()  # spares asleep without a timeout must see a stop too

    def _is_quick(self, task: Any) -> bool:
        try:
            return bool(self.quick(task))  # type: ignore[misc]
        except Exception:  # a bug there must not drop the connection: the threads serve it as before
            self.logger.exception("could not tell whether %r is quick", task)
            return False

    def waiting(self) -> int:
        """Requests waiting to be served, by the threads or by the loop."""
        return len(self.queue) + len(self.inline)

    def serve_inline(self) -> None:
        """Serve the oldest quick request (on the loop thread); nothing when none waits."""
        if self.inline:
            task = self.inline.popleft()
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)


class InlineLoop:
    """Stands in for waitress's ``asyncore`` module on a server (``server.asyncore = InlineLoop(d)``,
    once the server exists): its ``loop`` polls the sockets and, between two polls, serves one quick
    request of the dispatcher ``d`` (never waiting in the poll while one is queued)."""

    dispatcher = wasyncore.dispatcher  # (what waitress reads of the module besides ``loop``)

    def __init__(self, task_dispatcher: SpareThreadDispatcher):
        self.task_dispatcher = task_dispatcher

    def loop(self, timeout: float = 30.0, use_poll: bool = True, map: dict | None = None, count: int | None = None) -> None:
        tasks = self.task_dispatcher
        tasks.loop_thread = threading.get_ident()
        poll = wasyncore.poll2 if use_poll else wasyncore.poll
        while map:
            poll(0.0 if tasks.inline else timeout, map)
            tasks.serve_inline()
