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
    if path == "/half":  # promises 10 bytes, sends 3, then fails
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "10")])
        return _half()
    if path == "/ignore-body":  # answers without reading what was posted
        body = b"ignored"
    elif path == "/stream":  # a body of unknown length: two chunks, no Content-Length
        start_response("200 OK", [("Content-Type", "text/plain")])
        return iter([b"one ", b"two"])
    else:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or path.encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _half():
    yield b"abc"
    raise RuntimeError("the app failed halfway through its answer")


@pytest.fixture
def server():
    with SandboxServer(app) as running:
        yield running


def connections_opened(calls) -> int:
    """How many TCP connections `calls` made, counted at the socket layer."""
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
        opened = connections_opened(lambda: answers.extend(client.get(f"{server.url}/a{n}").text
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


def raw_exchange(server, request: bytes) -> bytes:
    """Send `request` bytes as they are and read until the server closes the connection (or 5 s pass)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass
        return received


def test_a_chunked_body_reaches_the_app_whole_and_the_connection_goes_on(server):
    with httpx2.Client() as client:
        assert client.post(f"{server.url}/echo", content=iter([b"pay", b"load"])).text == "payload"
        assert client.get(f"{server.url}/after").text == "/after"


@pytest.mark.parametrize("headers", [
    b"Content-Length: 0\r\nContent-Length: 30\r\n",
    b"Content-Length: -1\r\n",
    b"Content-Length: abc\r\n",
    b"Content-Length: 30\r\nTransfer-Encoding: chunked\r\n",
    b"Transfer-Encoding: gzip\r\n",
])
def test_a_body_two_parsers_could_read_two_ways_is_refused_and_nothing_hidden_in_it_is_served(server, headers):
    hidden = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    answer = raw_exchange(server, b"POST /echo HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n" + hidden)
    assert answer.split(b"\r\n", 1)[0] in (b"HTTP/1.1 400 Bad Request", b"HTTP/1.1 501 Not Implemented")
    assert b"/smuggled" not in answer


def test_an_answer_that_fails_halfway_ends_the_connection_instead_of_leaving_the_client_waiting(server):
    with httpx2.Client(timeout=3) as client:
        with pytest.raises(httpx2.RemoteProtocolError):
            client.get(f"{server.url}/half")
        assert client.get(f"{server.url}/after").text == "/after"


def test_a_head_answer_has_no_body_and_the_next_request_is_read_right(server):
    answer = raw_exchange(server, b"HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n"
                                  b"GET /g HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, get = answer.split(b"HTTP/1.1 200 OK")[1:]
    assert b"Content-Length: 2" in head and head.endswith(b"\r\n\r\n")  # the length a GET would have
    assert get.endswith(b"\r\n\r\n/g")


def test_an_http_1_0_request_is_answered_and_the_connection_closed(server):
    answer = raw_exchange(server, b"GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    assert answer.endswith(b"/old") and b"Connection: close" in answer
