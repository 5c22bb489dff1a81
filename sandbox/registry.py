"""One process-wide instance per vendor sandbox, for the portal's mount and the demo seeding."""

import importlib
import threading

VENDORS = ("yuki", "loket", "nmbrs", "nmbrs_rest")
_apps: dict = {}
_lock = threading.Lock()


def get(vendor: str):
    if vendor not in VENDORS:
        raise KeyError(vendor)
    with _lock:
        if vendor not in _apps:
            _apps[vendor] = importlib.import_module(f"sandbox.{vendor}").create_app()
        return _apps[vendor]
