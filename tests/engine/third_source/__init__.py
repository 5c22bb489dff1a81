"""A third payroll source that exists only for tests: a folder and a registry entry, nothing else.

If adding it needs an edit anywhere outside this folder and its registry entry, the engine, the
scheduler or the screens still name the real vendors somewhere (tests/engine/test_third_source.py).
"""
