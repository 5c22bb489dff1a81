"""The vendor sandboxes as a process of their own, for a portal that runs with SANDBOX_ENABLED off
(a production-like profile, a staging setup): `python -m sandbox.serve [--host H] [--port P]`.

Yuki answers under /yuki/ (YUKI_BASE_URL=<url>/yuki/ws/), Nmbrs under /nmbrs/ (NMBRS_ENVIRONMENT=
<url>/nmbrs/soap/v3/), Loket under /loket/ (LOKET_ENVIRONMENT=sandbox, LOKET_SANDBOX_URL=<url>/loket),
Nmbrs REST under /nmbrs_rest/ (its connector's environment: <url>/nmbrs_rest).
Prints "sandboxes at <url>" once it listens (port 0 picks a free one); stops on SIGTERM or Ctrl+C.
Simulated vendors with fake logins: never point a real portal's users at it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from sandbox import registry
from sandbox.server import SandboxServer


def dispatch(environ, start_response):
    """/<vendor>/<rest> -> that vendor's app, with <vendor> moved into SCRIPT_NAME."""
    vendor, _, rest = environ.get("PATH_INFO", "/").lstrip("/").partition("/")
    try:
        app = registry.get(vendor)
    except KeyError:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [f"no sandbox {vendor!r}; known: {', '.join(registry.VENDORS)}\n".encode()]
    environ = {**environ, "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + "/" + vendor, "PATH_INFO": "/" + rest}
    return app(environ, start_response)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--loket-redirect-uri", action="append", default=[], metavar="URL",
                        help="the portal's Loket redirect URL, registered with the Loket sandbox's client (the only "
                             "address it sends codes to); default: $PORTAL_BASE_URL/loket/callback/")
    args = parser.parse_args(argv)
    base_url = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")
    for uri in args.loket_redirect_uri or ([f"{base_url}/loket/callback/"] if base_url else []):
        registry.get("loket").state.register_redirect_uri(uri)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with SandboxServer(dispatch, host=args.host, port=args.port) as server:
        print(f"sandboxes at {server.url}", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    sys.exit(0)


if __name__ == "__main__":
    main()
