"""Serve a WSGI app over real HTTP in a background thread (tests, benchmarks).

Threaded, so slow or hanging calls don't block others, and able to drop a connection on
`DropConnection` (the "connection lost after the request was read" fault), which a server behind
Django cannot: there the exception becomes a plain 500.

HTTP/1.1 with persistent connections, as Loket's and Yuki's servers answer: the portal's clients keep
a connection open across calls (one httpx client per Loket import, one per process for Yuki), so a
simulator that closed every connection (wsgiref's HTTP/1.0) made each call pay a TCP connect the real
vendors do not charge, and hid whatever a reused connection does wrong.
"""

from __future__ import annotations

import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler
from socketserver import ThreadingMixIn
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

from sandbox.faults import DropConnection


class _Body:
    """The request body as the app may read it: at most Content-Length bytes, so that on a kept-alive
    connection an app never reads into the next request; `drain()` reads what the app left."""

    def __init__(self, stream, length: int):
        self.stream = stream
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.stream.read(size) if size else b""
        self.remaining -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.stream.readline(size) if size else b""
        self.remaining -= len(data)
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self):
        return iter(self.readline, b"")

    def drain(self) -> None:
        while self.remaining and self.read(64 * 1024):
            pass


class _ServerHandler(ServerHandler):
    http_version = "1.1"

    def cleanup_headers(self):
        super().cleanup_headers()
        # A body of unknown length can only end with the connection (we don't chunk): say so.
        if "Content-Length" not in self.headers:
            self.request_handler.close_connection = True
        if self.request_handler.close_connection:
            self.headers["Connection"] = "close"

    def handle_error(self):
        # wsgiref would answer a 500 for any app exception; a drop must send nothing at all.
        if isinstance(sys.exc_info()[1], DropConnection):
            raise DropConnection()
        super().handle_error()

    def close(self):
        if self.status is None:  # dropped: nothing was sent, so there is nothing to log
            self.status = "000 Dropped"
        super().close()


class _RequestHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    # An idle kept-alive connection is closed after this long. Longer than httpx's keep-alive expiry
    # (5 s), so a client drops an idle connection before we do and never sends on one we are closing.
    timeout = 60
    # wsgiref writes the headers and the body in separate sends: on a kept-alive connection Nagle's
    # algorithm would hold the body back until the client's delayed ACK (40 ms a response).
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - wsgiref's signature
        pass

    # Requests one after another on the connection until either side closes it (wsgiref's own handle()
    # serves one request and closes).
    handle = BaseHTTPRequestHandler.handle

    def handle_one_request(self):
        # wsgiref's own handle() for one request, with our ServerHandler so DropConnection reaches us.
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except (TimeoutError, OSError):
            self.close_connection = True  # idle too long, or the client went away
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if len(self.raw_requestline) > 65536:
            self.send_error(414)
            self.close_connection = True
            return
        if not self.parse_request():
            self.close_connection = True
            return
        body = _Body(self.rfile, int(self.headers.get("Content-Length") or 0))
        handler = _ServerHandler(body, self.wfile, self.get_stderr(), self.get_environ(), multithread=True)
        handler.request_handler = self
        try:
            handler.run(self.server.get_app())
            body.drain()  # what the app did not read of the body is not the next request
        except DropConnection:
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.close_connection = True


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args, **kwargs):
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self.connections = 0  # accepted so far: the benchmarks report them per vendor call
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
            self.connections += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        """Stopped means stopped: a client holding a kept-alive connection is not served any more."""
        with self._open_lock:
            open_now = list(self._open)
        for request in open_now:
            try:
                request.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class SandboxServer:
    """`with SandboxServer(app) as server: server.url` -> 'http://127.0.0.1:<port>'."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0):
        self.httpd = make_server(host, port, app, server_class=_ThreadingWSGIServer,
                                 handler_class=_RequestHandler)
        self.url = f"http://{host}:{self.httpd.server_port}"
        # A short poll interval: stop() waits for it, and tests start and stop many servers.
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"sandbox:{self.url}", daemon=True)

    @property
    def connections(self) -> int:
        """TCP connections accepted since the start."""
        return self.httpd.connections

    def start(self) -> SandboxServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.httpd.close_open_connections()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
