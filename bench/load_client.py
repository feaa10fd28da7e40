"""Closed-loop HTTP load on one thread: ``clients`` keep-alive connections on one ``selectors`` loop.

The load shares the machine's 2 cores with the server it measures, so its own CPU is taken from the
server: it should cost as little as it can. History, each against the same ``rolebot serve --workers 2``
at c=50, in turns:

- a thread per client with ``http.client``: 0.28 ms of client CPU a request, 518-532 requests/s, p99
  127-132 ms (a response that had arrived also waited for its client thread to get the GIL back, which
  the timings counted);
- the clients as asyncio streams on one loop: 0.18-0.20 ms a request, 583-590 requests/s, p99 119-120 ms;
- this loop (non-blocking sockets, ``selectors``, responses parsed from the bytes received): see
  ``bench/bench_sustained.py`` and the README's Performance section.

(No well-kept load generator here can sign each request as Slack does; wrk's Lua has no HMAC.)
"""

from __future__ import annotations

import selectors
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: Builds the body and headers of request number ``n`` for client ``client``.
RequestMaker = Callable[[int, int], tuple[bytes, dict[str, str]]]


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0


@dataclass
class _Client:
    index: int
    sock: socket.socket
    received: bytearray = field(default_factory=bytearray)
    sent_at: float = 0.0


class _Load:
    def __init__(self, host: str, port: int, path: str, make_request: RequestMaker, seconds: float):
        self.host, self.port, self.path = host, port, path
        self.make_request = make_request
        self.selector = selectors.DefaultSelector()
        self.result = LoadResult()
        self.numbers = iter(range(1 << 62))
        self.seconds = seconds
        self.stop_at = 0.0

    def connect(self, index: int) -> _Client:
        sock = socket.create_connection((self.host, self.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        client = _Client(index, sock)
        self.selector.register(sock, selectors.EVENT_READ, client)
        return client

    def send(self, client: _Client) -> None:
        body, headers = self.make_request(client.index, next(self.numbers))
        lines = [f"POST {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        client.sent_at = time.perf_counter()
        try:
            sent = client.sock.send(request)
            if sent < len(request):  # a full send buffer: rare for a request this small; wait for it
                client.sock.setblocking(True)
                client.sock.sendall(request[sent:])
                client.sock.setblocking(False)
        except OSError:
            self.send(self.broken(client))

    def run(self, clients: int) -> LoadResult:
        active = [self.connect(i) for i in range(clients)]
        started = time.perf_counter()
        self.stop_at = started + self.seconds
        for client in active:
            self.send(client)
        open_clients = len(active)
        while open_clients:
            for key, _events in self.selector.select(timeout=1.0):
                open_clients -= not self.readable(key.data)
        self.result.seconds = time.perf_counter() - started
        self.selector.close()
        return self.result

    def readable(self, client: _Client) -> bool:
        """Read what arrived; when a whole response is in, time it and send the next request. False once
        the client is done (its time is up)."""
        try:
            data = client.sock.recv(65536)
        except BlockingIOError:
            return True
        except OSError:
            data = b""
        if not data:
            client = self.broken(client)
            return self.next_or_done(client)
        client.received += data
        try:
            response = _response(client.received)
        except ValueError:  # no length to read the response by: as good as broken
            return self.next_or_done(self.broken(client))
        if response is None:
            return True
        status, closing, length = response
        if status == 200:
            self.result.latencies_ms.append((time.perf_counter() - client.sent_at) * 1e3)
        else:
            self.result.errors += 1
        del client.received[:length]
        if closing:  # the server closes this connection after the response
            self.drop(client)
            client = self.connect(client.index)
        return self.next_or_done(client)

    def next_or_done(self, client: _Client) -> bool:
        if time.perf_counter() < self.stop_at:
            self.send(client)
            return True
        self.drop(client)
        return False

    def broken(self, client: _Client) -> _Client:
        """A broken connection: an error, and a new connection for the client."""
        self.result.errors += 1
        self.drop(client)
        return self.connect(client.index)

    def drop(self, client: _Client) -> None:
        """Close a client's connection (every open one is registered with the selector)."""
        self.selector.unregister(client.sock)
        client.sock.close()


def run_load(host: str, port: int, path: str, make_request: RequestMaker, clients: int, seconds: float) -> LoadResult:
    """Send requests from ``clients`` closed-loop clients for ``seconds``: each sends a POST, reads the whole
    response, sends the next. A response other than 200, or a broken connection, counts as an error."""
    return _Load(host, port, path, make_request, seconds).run(clients)


def _response(received: bytearray) -> tuple[int, bool, int] | None:
    """(status, whether the server closes the connection after it, its length in bytes) of the whole
    response at the start of ``received``; None while it is incomplete."""
    end = received.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(received[:end]).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    fields = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:] if line)}
    closing = fields.get("connection", "").lower() == "close"
    start = end + 4
    if "content-length" in fields:
        length = start + int(fields["content-length"])
        return (status, closing, length) if len(received) >= length else None
    if fields.get("transfer-encoding", "").lower() != "chunked":
        raise ValueError("a response without a length on a keep-alive connection")
    at = start
    while True:  # chunks: "<hex size>[;ext]\r\n<data>\r\n", the last of size 0, then an empty trailer
        line_end = received.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(bytes(received[at:line_end]).split(b";")[0], 16)
        at = line_end + 2 + size + 2
        if size == 0:
            return (status, closing, at) if len(received) >= at else None
        if len(received) < at:
            return None
