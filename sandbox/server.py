"""Serve a WSGI app over real HTTP in a background thread (tests, benchmarks).

Threaded, so slow or hanging calls don't block others, and able to drop a connection on
`DropConnection` (the "connection lost after the request was read" fault), which a server behind
Django cannot: there the exception becomes a plain 500.
"""

from __future__ import annotations

import socket
import sys
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

from sandbox.faults import DropConnection


class _ServerHandler(ServerHandler):
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
    def log_message(self, format, *args):  # noqa: A002 - wsgiref's signature
        pass

    def handle(self):
        # wsgiref's own handle(), with our ServerHandler so DropConnection reaches us.
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _ServerHandler(self.rfile, self.wfile, self.get_stderr(), self.get_environ(),
                                 multithread=True)
        handler.request_handler = self
        try:
            handler.run(self.server.get_app())
        except DropConnection:
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.close_connection = True


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class SandboxServer:
    """`with SandboxServer(app) as server: server.url` -> 'http://127.0.0.1:<port>'."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0):
        self.httpd = make_server(host, port, app, server_class=_ThreadingWSGIServer,
                                 handler_class=_RequestHandler)
        self.url = f"http://{host}:{self.httpd.server_port}"
        # A short poll interval: stop() waits for it, and tests start and stop many servers.
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"sandbox:{self.url}", daemon=True)

    def start(self) -> SandboxServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
