"""The sustained benchmark's load client against a real HTTP server on loopback: it must read whole
responses of either framing on keep-alive connections, time only 200s and count the rest as errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from waitress.server import create_server

from bench.load_client import run_load
from bot.server import start_in_thread


def _app(environ, start_response):  # noqa: ANN001, ANN202 (WSGI)
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if body == b"fail":
        start_response("500 Internal Server Error", [("Content-Length", "4")])
        return [b"nope"]
    if body == b"chunked":
        start_response("200 OK", [])  # no length: waitress sends it chunked on HTTP/1.1

        def chunks() -> Iterator[bytes]:
            yield b"first part;"
            yield b"second part"
        return chunks()
    start_response("200 OK", [("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def server() -> Iterator[tuple[str, int]]:
    srv = create_server(_app, host="127.0.0.1", port=0, threads=2)
    # Stopped from inside its loop: closing the server from this thread while the loop waits in select()
    # on its sockets made the loop's thread die of EBADF now and then.
    stop = start_in_thread(srv)
    yield "127.0.0.1", srv.effective_port
    stop()


@pytest.mark.parametrize("framing", [b"plain", b"chunked"])
def test_every_response_is_read_whole_on_a_kept_connection(server: tuple[str, int], framing: bytes) -> None:
    # A response read short would leave bytes that the next response's status line is parsed from. (Waitress
    # closes the connection after a chunked response: the client must open another.)
    result = run_load(*server, "/", lambda client, n: (framing, {"X-Client": str(client)}), clients=3, seconds=0.3)
    assert result.errors == 0
    assert len(result.latencies_ms) >= 3
    assert all(ms > 0 for ms in result.latencies_ms)


def test_responses_other_than_200_are_errors_not_latencies(server: tuple[str, int]) -> None:
    result = run_load(*server, "/", lambda client, n: (b"fail" if n % 2 else b"ok", {}), clients=2, seconds=0.3)
    assert result.errors >= 1
    assert len(result.latencies_ms) >= 1
    # Requests are numbered across clients; every odd one failed, so neither side dominates.
    assert abs(result.errors - len(result.latencies_ms)) <= 2
