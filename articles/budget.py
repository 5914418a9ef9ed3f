"""A time budget for work the task worker does on what people upload, so no upload holds the worker."""

import contextlib
import signal
import threading


class TooSlow(BaseException):
    """Not an Exception, so that no `except Exception` in a library (import-export turns row errors into
    a report) can swallow the end of the budget and carry on."""


@contextlib.contextmanager
def time_budget(seconds: float):
    """Raise TooSlow in the block after `seconds`. The worker runs tasks on its main thread, where an
    alarm can interrupt; elsewhere (a test's thread) the block runs without one."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def too_slow(*_):
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
