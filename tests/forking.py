"""Run a check in a forked child process and bring its answer back (no Django: the libraries' tests use it)."""

from __future__ import annotations

import os


def in_forked_child(check) -> bool:
    """`check()` evaluated in a child forked from this process: True or False, or AssertionError when the
    child could not answer (it raised, or died)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer on the pipe, whatever happens, and leave without cleaning up
        answer = b"?"
        try:
            answer = b"1" if check() else b"0"
        finally:
            os.write(write, answer)
            os._exit(0)
    os.close(write)  # the parent keeps only the reading end: a dead child ends the read
    try:
        answer = os.read(read, 1)
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    assert answer in (b"0", b"1") and os.waitstatus_to_exitcode(status) == 0, (answer, status)
    return answer == b"1"
