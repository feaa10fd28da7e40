"""The request-thread pool: the first thread serves while it keeps up; spares step in when it is stuck."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from bot.dispatch import SpareThreadDispatcher
from bot.server import create_server, server_url, start_in_thread
from core.config import load_settings
from handlers.context import AppContext
from tests.fakes.signing import post, signed_headers, slash_command_body
from tests.fakes.slack_api import FakeSlack

WAIT = 10  # seconds a test waits for something that takes milliseconds, before it fails


class Task:
    """What waitress queues (a channel with a request): ``service()`` runs it."""

    def __init__(self, gate: threading.Event | None = None):
        self.gate = gate
        self.started = threading.Event()
        self.done = threading.Event()
        self.thread = ""

    def service(self) -> None:
        self.thread = threading.current_thread().name
        self.started.set()
        if self.gate is not None:
            self.gate.wait(WAIT)
        self.done.set()


def running(spare_after: float, threads: int = 4) -> SpareThreadDispatcher:
    dispatcher = SpareThreadDispatcher(spare_after=spare_after)
    dispatcher.set_thread_count(threads)
    return dispatcher


def test_the_first_thread_serves_every_request_while_it_keeps_up():
    dispatcher = running(spare_after=60)
    try:
        tasks = [Task() for _ in range(40)]
        for task in tasks:
            dispatcher.add_task(task)
        assert all(task.done.wait(WAIT) for task in tasks)
        assert {task.thread for task in tasks} == {"waitress-0"}
    finally:
        dispatcher.shutdown(timeout=WAIT)


def test_spares_serve_while_the_first_thread_is_stuck_on_a_request():
    dispatcher = running(spare_after=0.01)
    release = threading.Event()
    stuck = Task(gate=release)
    try:
        dispatcher.add_task(stuck)
        assert stuck.started.wait(WAIT)
        waiting = [Task() for _ in range(5)]
        for task in waiting:
            dispatcher.add_task(task)
        # All served while the first request still holds its thread.
        assert all(task.done.wait(WAIT) for task in waiting)
        assert not stuck.done.is_set()
        assert stuck.thread == "waitress-0"
        assert "waitress-0" not in {task.thread for task in waiting}
    finally:
        release.set()
        dispatcher.shutdown(timeout=WAIT)
    assert stuck.done.is_set()


def test_spares_stuck_too_hand_over_to_the_next_spare():
    dispatcher = running(spare_after=0.01, threads=3)
    release = threading.Event()
    try:
        first, second = Task(gate=release), Task(gate=release)
        dispatcher.add_task(first)
        assert first.started.wait(WAIT)
        dispatcher.add_task(second)
        assert second.started.wait(WAIT)
        third = Task()
        dispatcher.add_task(third)
        assert third.done.wait(WAIT)
        assert len({first.thread, second.thread, third.thread}) == 3
    finally:
        release.set()
        dispatcher.shutdown(timeout=WAIT)


def test_a_request_that_says_it_will_wait_lets_spares_take_the_next_at_once():
    dispatcher = running(spare_after=60)  # never by the clock here
    release = threading.Event()

    class Waiting(Task):
        def service(self) -> None:
            dispatcher.release_first()
            super().service()

    waiting = Waiting(gate=release)
    try:
        dispatcher.add_task(waiting)
        assert waiting.started.wait(WAIT)
        behind = Task()
        dispatcher.add_task(behind)
        assert behind.done.wait(WAIT)
        assert (waiting.thread, waiting.done.is_set()) == ("waitress-0", False)
        assert behind.thread != "waitress-0"
    finally:
        release.set()
        dispatcher.shutdown(timeout=WAIT)


def test_release_first_from_a_spare_changes_nothing():
    dispatcher = running(spare_after=60)
    try:
        dispatcher.release_first()  # not a pool thread at all
        assert dispatcher.first_busy_since is None
    finally:
        dispatcher.shutdown(timeout=WAIT)


def test_idle_threads_stop_when_the_pool_shuts_down():
    dispatcher = running(spare_after=0.01)
    task = Task()
    dispatcher.add_task(task)  # the first thread busy once, then idle: spares asleep until woken
    assert task.done.wait(WAIT)
    dispatcher.shutdown(timeout=WAIT)
    assert not dispatcher.threads


@pytest.fixture
def slack():
    with FakeSlack() as fake:  # Bolt's one auth.test goes there
        yield fake


SECRET = "dispatch-secret"


class SlowListenerServer:
    """The real server in front of a Bolt app whose "/slow" listener acknowledges only once the test
    sets ``release``; ``hold(others)`` sends "/slow", then, while it waits, ``others()``."""

    def __init__(self, slack: FakeSlack):
        self.settings = load_settings(env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": SECRET,
                                           "SLACK_API_URL": slack.api_url})
        self.app = App(signing_secret=SECRET, client=WebClient(token="xoxb-1", base_url=slack.api_url),
                       token_verification_enabled=False)
        self.listening, self.release = threading.Event(), threading.Event()

        @self.app.command("/slow")
        def slow(ack):  # noqa: ANN001 (Bolt injects by name)
            self.listening.set()
            self.release.wait(WAIT)
            ack("slow")

    def hold(self, file_store, others, **server_args) -> None:
        server = create_server(self.app, host="127.0.0.1", port=0,
                               ctx=AppContext.build(self.settings, file_store), **server_args)
        stop = start_in_thread(server)
        self.url = server_url(server) + "/slack/events"
        try:
            with ThreadPoolExecutor(1) as pool:
                slow_reply = pool.submit(self.command, "/slow")
                assert self.listening.wait(WAIT)
                others()
                assert not slow_reply.done()
                self.release.set()
                assert slow_reply.result(WAIT) == (200, "slow")
        finally:
            self.release.set()
            stop()

    def command(self, name: str, text: str = "x") -> tuple[int, str]:
        body = slash_command_body(text, command=name, trigger_id=f"{name}.{text}")
        return post(self.url, body, signed_headers(SECRET, body))


@pytest.mark.parametrize("spare_after", [0.05, 60], ids=["by the clock", "told by the gate"])
def test_a_listener_slow_to_acknowledge_does_not_hold_other_requests(file_store, slack, monkeypatch, spare_after):
    # Through the real server: Bolt waits in the request thread for an ack() that the "/slow" listener
    # gives only when the test lets it; "/fast" is answered meanwhile, by a spare thread. With spares
    # that would wait a minute, only the gate's word (a command Bolt waits on) lets them in.
    monkeypatch.setattr("bot.dispatch.SPARE_AFTER_SECONDS", spare_after)
    served = SlowListenerServer(slack)

    @served.app.command("/fast")
    def fast(ack):  # noqa: ANN001
        ack("fast")

    def fast_meanwhile() -> None:
        assert served.command("/fast") == (200, "fast")

    served.hold(file_store, fast_meanwhile)

class Quick(Task):
    def __init__(self, quick: bool):
        super().__init__()
        self.quick = quick


def test_quick_requests_wait_for_the_loop_in_arrival_order_and_the_rest_go_to_the_threads():
    dispatcher = SpareThreadDispatcher(quick=lambda task: task.quick)  # no threads: what is queued stays
    dispatcher.loop_thread = threading.get_ident()  # this test plays the loop
    first, slow, second = Quick(True), Quick(False), Quick(True)
    for task in (first, slow, second):
        dispatcher.add_task(task)
    from_elsewhere = Quick(True)
    other = threading.Thread(target=dispatcher.add_task, args=(from_elsewhere,))  # e.g. a pipelined request
    other.start()
    other.join(WAIT)
    assert list(dispatcher.inline) == [first, second]
    assert list(dispatcher.queue) == [slow, from_elsewhere]  # only the loop's own hand-overs stay on it
    assert dispatcher.waiting() == 4
    dispatcher.serve_inline()
    assert first.done.is_set() and not second.done.is_set()
    dispatcher.serve_inline()
    dispatcher.serve_inline()  # none left: nothing happens
    assert second.done.is_set() and dispatcher.waiting() == 2


def _parsed(raw: bytes):
    from waitress.adjustments import Adjustments
    from waitress.parser import HTTPRequestParser

    request = HTTPRequestParser(Adjustments())
    while raw and not request.completed:
        raw = raw[request.received(raw):]  # headers, then the body, as waitress's channel feeds it
    assert request.completed

    class Channel:
        requests = [request]
        total_outbufs_len = 0

    return Channel(), request


def _post(body: str, content_type: str = "application/x-www-form-urlencoded", path: str = "/slack/events") -> bytes:
    data = body.encode()
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(data)}\r\n\r\n").encode() + data


@pytest.mark.parametrize(("raw", "quick"), [
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", True),
    (_post(slash_command_body("sre kpis")), True),
    (_post(slash_command_body("onboard <@U2>")), False),  # Bolt waits on the onboarding listener
    (_post(slash_command_body("x", command="/other")), False),
    (_post('{"type": "block_actions", "actions": []}', "application/json"), False),
    (_post('{"type": "event_callback", "event": {"type": "app_mention"}}', "application/json"), True),
    (_post("not json", "application/json"), True),  # the gate refuses it at once
    (_post(slash_command_body("sre kpis"), path="/elsewhere"), False),
    (b"GET /slack/events HTTP/1.1\r\nHost: x\r\n\r\n", False),
], ids=["health", "question", "onboarding", "other command", "button", "event", "malformed", "other path", "get"])
def test_which_requests_the_loop_serves_itself(raw: bytes, quick: bool):
    from bot.server import quick_request
    from handlers.slack.role_command import waits_for_ack

    channel, request = _parsed(raw)
    before = request.get_body_stream().read()
    request.get_body_stream().seek(0)
    assert quick_request(waits_for_ack)(channel) is quick
    assert request.get_body_stream().read() == before  # the app still reads the whole body
    channel.total_outbufs_len = 10  # an answer not sent yet: the threads serve what comes next
    assert quick_request(waits_for_ack)(channel) is False


def test_a_quick_request_is_answered_by_the_loop_while_a_listener_holds_a_thread(file_store, slack):
    # Through the real server: "/slow" waits in a pool thread for its listener's ack; "/quick" (which
    # the app answers itself, as rolebot answers /role questions) is served on the loop's thread.
    served = SlowListenerServer(slack)
    threads: dict[str, str] = {}

    @served.app.use
    def note_thread(body, next):  # noqa: ANN001 (Bolt injects by name)
        threads[body["command"]] = threading.current_thread().name
        return next()

    def answer_here(body, next):  # noqa: ANN001
        from slack_bolt import BoltResponse

        return BoltResponse(status=200, body="quick " + body["text"])

    @served.app.command("/quick", middleware=[answer_here])
    def never(ack):  # noqa: ANN001
        ack("not here")

    def quick_meanwhile() -> None:
        assert [served.command("/quick", str(n)) for n in range(3)] == [(200, f"quick {n}") for n in range(3)]

    served.hold(file_store, quick_meanwhile, waits=lambda body: body.get("command") != "/quick")
    assert threads == {"/slow": "waitress-0", "/quick": "waitress-loop"}

def test_a_classifier_that_fails_sends_the_request_to_the_threads(caplog):
    def broken(task):
        raise ValueError("bug")

    dispatcher = SpareThreadDispatcher(quick=broken)
    dispatcher.loop_thread = threading.get_ident()
    task = Quick(True)
    dispatcher.add_task(task)
    assert list(dispatcher.queue) == [task] and not dispatcher.inline
    assert "could not tell whether" in caplog.text


def test_the_loop_thread_does_not_wake_itself_other_threads_wake_it():
    from bot.server import _wake_from_elsewhere

    dispatcher = SpareThreadDispatcher()
    pulls: list[str] = []
    wake = _wake_from_elsewhere(lambda: pulls.append(threading.current_thread().name), dispatcher)
    dispatcher.loop_thread = threading.get_ident()  # this test plays the loop
    wake()
    other = threading.Thread(target=wake, name="a request thread")
    other.start()
    other.join(WAIT)
    assert pulls == ["a request thread"]
