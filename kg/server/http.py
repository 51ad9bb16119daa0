"""The HTTP layer under the app: uvicorn's h11 protocol, with the limits a public server needs.

uvicorn alone (0.55, h11) lets a connection that never finishes its request stay open for
good, counts such connections against ``limit_concurrency`` (so a hundred idle clients made
every other client get 503), and answers a request line longer than h11's 16 KiB buffer
with a 400 and a close while the client is still sending, which the client sees as a TCP
reset (docs/engine-notes.md, "uvicorn's connection handling"). :class:`LimitedH11Protocol` adds:

- a request timeout: a connection has ``request_timeout`` seconds, from when it opens or its
  last answer was sent, to deliver a whole request (head and body); then it is closed;
- 414 (a request line) or 431 (the header fields) past :data:`MAX_HEAD_BYTES`, sent before
  the rest is read, and the rest read and discarded so that the client receives the answer;
- a connection cap high enough that idle clients, which the timeout soon drops, do not
  starve the others (:func:`server_config`).
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .protocol import MAX_QUERY_BYTES

#: Longest request head (request line and header fields) read, in bytes: room for the longest
#: URL the app answers itself (a query of MAX_QUERY_BYTES, each byte percent-encoded) and headers.
MAX_HEAD_BYTES = 3 * MAX_QUERY_BYTES + 16 * 1024
#: Seconds a client has to deliver a whole request.
DEFAULT_REQUEST_TIMEOUT = 10.0
#: Open connections served at once; more get 503 from uvicorn. Idle ones are dropped after
#: the request or keep-alive timeout, so this bounds file descriptors, not clients.
DEFAULT_MAX_CONNECTIONS = 512
#: Seconds a refused connection is kept open to read and drop what the client still sends.
_DRAIN = 5.0


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request timeout and answers for oversized request heads."""

    #: Set per server by :func:`server_config` (a subclass per configuration).
    request_timeout = DEFAULT_REQUEST_TIMEOUT

    def __init__(self, config, server_state, app_state, _loop=None):
        super().__init__(config, server_state, app_state, _loop)
        # h11 raises past its buffer size: let it hold more than the head we read, so that
        # it is this class that refuses an oversized head, with the right status.
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES + 1024 * 1024)
        self._request_timer = None
        self._draining = False

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._draining:
            return  # read and dropped: the answer is sent, the client is still sending
        if self.conn.their_state is h11.IDLE and len(self.conn.trailing_data[0]) + len(data) > MAX_HEAD_BYTES:
            head = (self.conn.trailing_data[0] + data)[:MAX_HEAD_BYTES]
            if b"\r\n\r\n" not in head:  # checked before h11 sees it: it would take a whole head
                if b"\r\n" not in head:
                    self._refuse(414, "URI Too Long", f"the URL is longer than {MAX_HEAD_BYTES // 1024} KiB")
                else:
                    self._refuse(431, "Request Header Fields Too Large",
                                 f"the request head is longer than {MAX_HEAD_BYTES // 1024} KiB")
                return
        super().data_received(data)
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self._disarm()  # the whole request is in

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection has its own time

    def _arm(self) -> None:
        self._disarm()
        self._request_timer = self.loop.call_later(self.request_timeout, self._request_timed_out)

    def _disarm(self) -> None:
        if self._request_timer is not None:
            self._request_timer.cancel()
            self._request_timer = None

    def _request_timed_out(self) -> None:
        self._request_timer = None
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            self.transport.close()

    def _refuse(self, status: int, reason: str, message: str) -> None:
        """Answer ``status`` and close, reading and dropping what the client still sends."""
        body = (message + "\n").encode("utf-8")
        self.transport.write(
            f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode("ascii") + body)
        self._draining = True
        self._disarm()
        if self.transport.can_write_eof():
            self.transport.write_eof()  # the client reads the answer, then sees the end
        self.loop.call_later(_DRAIN, self.transport.close)


def server_config(app, host: str = "127.0.0.1", port: int = 8000, *, request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
                  max_connections: int = DEFAULT_MAX_CONNECTIONS, log_level: str = "info"):
    """The uvicorn configuration ``kg serve`` runs ``app`` with (tests run the same).

    :param request_timeout: seconds a client has to send a whole request.
    :param max_connections: connections served at once; more get 503.
    """
    import uvicorn

    protocol = type("LimitedH11Protocol", (LimitedH11Protocol,), {"request_timeout": request_timeout})
    return uvicorn.Config(app, host=host, port=port, http=protocol, log_level=log_level, server_header=False,
                          limit_concurrency=max_connections, timeout_keep_alive=5)
