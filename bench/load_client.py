"""Closed-loop HTTP load on one thread: ``clients`` keep-alive connections driven by one asyncio loop.

Why not a thread per client with ``http.client``: a response that had arrived waited for its client
thread to get the GIL back, so the latency fifty such threads timed was partly their own, and their CPU
came off the cores the server needs. Against the same ``rolebot serve --workers 2`` at c=50 on this
2-core machine, in turns: threads 0.28 ms of client CPU a request, 518-532 requests/s, p99 127-132 ms;
this loop 0.18-0.19 ms, 583-590 requests/s, p99 119-120 ms.
(No well-kept load generator here can sign each request as Slack does; wrk's Lua has no HMAC.)
"""

from __future__ import annotations

import asyncio
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


def run_load(host: str, port: int, path: str, make_request: RequestMaker, clients: int, seconds: float) -> LoadResult:
    """Send requests from ``clients`` closed-loop clients for ``seconds``: each sends a POST, reads the whole
    response, sends the next. A response other than 200, or a broken connection, counts as an error."""
    return asyncio.run(_load(host, port, path, make_request, clients, seconds))


async def _load(host: str, port: int, path: str, make_request: RequestMaker, clients: int, seconds: float) -> LoadResult:
    result = LoadResult()
    numbers = iter(range(1 << 62))
    connections = [await asyncio.open_connection(host, port) for _ in range(clients)]
    started = time.perf_counter()
    stop_at = started + seconds

    async def client(index: int, streams: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
        reader, writer = streams
        while time.perf_counter() < stop_at:
            body, headers = make_request(index, next(numbers))
            request = _request_bytes(host, port, path, body, headers)
            sent = time.perf_counter()
            try:
                writer.write(request)
                status, closing = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                status, closing = 0, True  # a broken connection: an error, and a new connection
            if status == 200:
                result.latencies_ms.append((time.perf_counter() - sent) * 1e3)
            else:
                result.errors += 1
            if closing:  # broken, or the server said it closes this connection after the response
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
        writer.close()

    await asyncio.gather(*(client(i, streams) for i, streams in enumerate(connections)))
    result.seconds = time.perf_counter() - started
    return result


def _request_bytes(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one whole response (Content-Length or chunked): (its status code, whether the server closes
    the connection after it)."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    fields = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in head[1:] if line)}
    if "content-length" in fields:
        await reader.readexactly(int(fields["content-length"]))
    elif fields.get("transfer-encoding", "").lower() == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")  # the empty trailer
    else:
        raise ValueError("a response without a length on a keep-alive connection")
    return status, fields.get("connection", "").lower() == "close"
