"""The portal's version, as installed: one place for the footer, the commands' --version and the health
answer. pyproject.toml holds the number (and CHANGELOG.md what changed)."""

from functools import cache
from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "payrollsync"


@cache  # read once per process: the installed version does not change while it runs
def portal_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
