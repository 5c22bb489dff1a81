"""The simulated vendors' HTTP server keeps connections alive as Loket's and Yuki's servers do, without
letting one request leak into the next, and a stopped server serves nobody (sandbox/server.py)."""

from __future__ import annotations

import socket

import httpx2
import pytest

from sandbox.faults import DropConnection
from sandbox.server import SandboxServer


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/drop":
        raise DropConnection()
    if path == "/ignore-body":  # answers without reading what was posted
        body = b"ignored"
    elif path == "/stream":  # a body of unknown length: two chunks, no Content-Length
        start_response("200 OK", [("Content-Type", "text/plain")])
        return iter([b"one ", b"two"])
    else:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or path.encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def server():
    with SandboxServer(app) as running:
        yield running


def connections_opened(client: httpx2.Client, calls) -> int:
    """How many TCP connections `calls` made, counted at the socket layer of this client's transport."""
    opened = []
    real = socket.create_connection

    def counting(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket, "create_connection", counting)
        calls()
    return len(opened)


def test_calls_share_one_kept_alive_connection(server):
    with httpx2.Client() as client:
        answers = []
        opened = connections_opened(client, lambda: answers.extend(client.get(f"{server.url}/a{n}").text
                                                                   for n in range(5)))
    assert answers == ["/a0", "/a1", "/a2", "/a3", "/a4"]
    assert opened == 1


def test_a_body_the_app_did_not_read_is_not_taken_for_the_next_request(server):
    with httpx2.Client() as client:
        assert client.post(f"{server.url}/ignore-body", content=b"GET /evil HTTP/1.1\r\n\r\n" * 50).text == "ignored"
        assert client.post(f"{server.url}/echo", content=b"payload").text == "payload"
        assert client.get(f"{server.url}/after").text == "/after"


def test_a_body_of_unknown_length_ends_the_connection(server):
    with httpx2.Client() as client:
        response = client.get(f"{server.url}/stream")
        assert response.text == "one two"
        assert response.headers["connection"] == "close"
        assert client.get(f"{server.url}/next").text == "/next"  # on a new connection


def test_a_dropped_connection_sends_nothing_and_the_next_call_works(server):
    with httpx2.Client() as client:
        assert client.get(f"{server.url}/before").text == "/before"
        with pytest.raises(httpx2.RemoteProtocolError):
            client.get(f"{server.url}/drop")
        assert client.get(f"{server.url}/after").text == "/after"


def test_a_stopped_server_does_not_answer_on_a_kept_alive_connection():
    server = SandboxServer(app).start()
    with httpx2.Client() as client:
        assert client.get(f"{server.url}/a").text == "/a"  # a connection now kept alive
        server.stop()
        with pytest.raises(httpx2.TransportError):
            client.get(f"{server.url}/b")
