"""The environment the tests run in holds exactly the locked versions (requirements/test.txt and pip.txt,
markers evaluated for this machine): nothing more, nothing less, nothing else. `make install` builds it
from the lock; this is what a fresh clone must end up with (README "Dependencies: lock files")."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(?P<version>[^\s;\\]+)\s*(;(?P<marker>[^\\]+))?")
OURS = "payrollsync"  # installed from the source tree (`pip install -e .`), not from the lock


def locked(*files: str) -> dict[str, str]:
    """{name: version} of the pins that apply here."""
    pins = {}
    for file in files:
        for line in (ROOT / file).read_text(encoding="utf-8").splitlines():
            match = PIN.match(line)
            if match and (not match["marker"] or Marker(match["marker"].strip()).evaluate()):
                pins[canonicalize_name(match["name"])] = match["version"]
    return pins


def installed() -> dict[str, str]:
    return {canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
            if canonicalize_name(dist.metadata["Name"]) != OURS}


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="not in a virtual environment of its own")
def test_the_environment_holds_exactly_the_lock():
    expected = locked("requirements/test.txt", "requirements/pip.txt")
    assert len(expected) > 50
    assert installed() == expected


def test_the_test_lock_holds_the_app_lock_at_the_same_versions():
    app, test = locked("requirements/app.txt"), locked("requirements/test.txt")
    assert {name: test.get(name) for name in app} == app


def test_every_pin_has_hashes():
    for file in ("requirements/app.txt", "requirements/test.txt", "requirements/pip.txt",
                 "requirements/lock-tools.txt"):
        blocks = re.split(r"\n(?=\S)", (ROOT / file).read_text(encoding="utf-8"))
        pins = [block for block in blocks if PIN.match(block)]
        assert pins and all("--hash=sha256:" in block for block in pins), file
