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

import io
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler
from socketserver import ThreadingMixIn
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

from sandbox.faults import DropConnection

# A request body is read whole before the app runs when it comes in chunks; more than this is refused.
MAX_CHUNKED_BODY = 64 * 1024 * 1024
# What an app left unread of a body is read away so the connection can go on; past this, it is closed.
MAX_DRAIN = 1024 * 1024


class _Body:
    """The request body as the app may read it: at most its length, so that on a kept-alive connection an
    app never reads into the next request; `drain()` reads what the app left."""

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

    def drain(self) -> bool:
        """Read what the app left; False when that is too much to wait for (then close the connection)."""
        if self.remaining > MAX_DRAIN:
            return False
        while self.remaining and self.read(64 * 1024):
            pass
        return not self.remaining


class _BadRequest(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _content_length(headers) -> int:
    """The body's length from its one Content-Length, refusing what two parsers could read two ways."""
    values = {value.strip() for value in headers.get_all("Content-Length") or []}
    if not values:
        return 0
    if len(values) > 1 or not next(iter(values)).isdigit():
        raise _BadRequest(400, "Content-Length must be one whole number")
    return int(next(iter(values)))


def _dechunk(stream) -> bytes:
    """A chunked body (Transfer-Encoding: chunked), read whole, trailers skipped."""
    body = bytearray()
    while True:
        line = stream.readline(1026).split(b";", 1)[0].strip()
        try:
            size = int(line, 16)
        except ValueError:
            raise _BadRequest(400, "bad chunk size") from None
        if size < 0 or len(body) + size > MAX_CHUNKED_BODY:
            raise _BadRequest(413, "request body too large")
        if size == 0:
            while stream.readline(65537) not in (b"\r\n", b"\n", b""):
                pass
            return bytes(body)
        body += stream.read(size)
        stream.readline(3)  # the CRLF after the chunk


class _ServerHandler(ServerHandler):
    http_version = "1.1"

    def cleanup_headers(self):
        super().cleanup_headers()
        # A body of unknown length can only end with the connection (we don't chunk): say so.
        if "Content-Length" not in self.headers:
            self.request_handler.close_connection = True
        if self.request_handler.close_connection:
            self.headers["Connection"] = "close"

    def write(self, data):
        if self.environ["REQUEST_METHOD"] != "HEAD":
            return super().write(data)
        # A HEAD answer is the GET answer's headers, its length included, without its body.
        if not self.headers_sent:
            try:
                whole = len(self.result) == 1  # as wsgiref decides whether it knows the length
            except TypeError:
                whole = False
            if whole and "Content-Length" not in self.headers:
                self.headers["Content-Length"] = str(len(data))
            super().write(b"")
        return None

    def finish_content(self):
        super().finish_content()
        declared = self.headers.get("Content-Length") if self.headers else None
        if (self.environ["REQUEST_METHOD"] != "HEAD" and declared is not None and declared.isdigit()
                and int(declared) != self.bytes_sent):
            self.request_handler.close_connection = True  # the client cannot tell where this answer ends

    def handle_error(self):
        # wsgiref would answer a 500 for any app exception; a drop must send nothing at all.
        if isinstance(sys.exc_info()[1], DropConnection):
            raise DropConnection()
        if self.headers_sent:  # part of an answer is out: only closing tells the client it ended
            self.request_handler.close_connection = True
        super().handle_error()

    def close(self):
        if self.status is None:  # dropped: nothing was sent, so there is nothing to log
            self.status = "000 Dropped"
        super().close()


class _RequestHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    # An idle kept-alive connection is closed after this long: longer than httpx's keep-alive expiry
    # (5 s), so the Loket and Yuki clients drop an idle connection before we do. The Nmbrs client
    # (requests/urllib3) keeps idle connections without a limit and checks them before reuse; a call
    # sent at the very moment we close one is lost as a dropped connection, which it retries.
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
        except OSError:  # idle too long (a timeout is an OSError), or the client went away
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if len(self.raw_requestline) > 65536:
            self.send_error(414)
            return
        if not self.parse_request():  # it answered and closes
            return
        if self.request_version != "HTTP/1.1":
            self.close_connection = True  # HTTP/1.0 keep-alive is not offered: we don't say it in answers
        environ = self.get_environ()
        try:
            body = self._body(environ)
        except _BadRequest as refused:
            self.send_error(refused.status, explain=refused.reason)
            self.close_connection = True
            return
        handler = _ServerHandler(body, self.wfile, self.get_stderr(), environ, multithread=True)
        handler.request_handler = self
        try:
            handler.run(self.server.get_app())
            try:
                if not body.drain():  # what the app did not read of the body is not the next request
                    self.close_connection = True
            except OSError:
                self.close_connection = True
        except DropConnection:
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.close_connection = True

    def _body(self, environ) -> _Body:
        """The body, delimited; a chunked one is read whole first and handed on with its length."""
        encodings = self.headers.get_all("Transfer-Encoding")
        if not encodings:
            return _Body(self.rfile, _content_length(self.headers))
        if self.headers.get_all("Content-Length"):
            raise _BadRequest(400, "Content-Length and Transfer-Encoding together")
        if [value.strip().lower() for value in encodings] != ["chunked"]:
            raise _BadRequest(501, "only Transfer-Encoding: chunked is understood")
        data = _dechunk(self.rfile)
        environ["CONTENT_LENGTH"] = str(len(data))
        return _Body(io.BytesIO(data), len(data))


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
