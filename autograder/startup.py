"""How the grader's own processes start and end: the command line and each worker of a local pool.

Kept free of heavy imports: it runs before anything else in those processes.
"""

import atexit
import os
import sys
import threading


def skip_iri_grammar():
    """Import nbformat without jsonschema's grammar for IRIs (a second of every process's start).

    jsonschema compiles that grammar when ``rfc3987_syntax`` is installed, to check the "iri" format,
    which nothing the grader validates uses. Must run before nbformat is first imported.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def pool_worker(mode, sources):
    """The initializer of a local pool's grading process: get it ready before its first notebook."""
    skip_iri_grammar()
    from autograder.grading import warm_up

    warm_up(mode, sources)


def exit_now(code):
    """End the command without tearing down every imported module one by one (half a second of a grading run).

    Everything the command wrote is closed by then; the exit handlers still run and the output is flushed.
    While a thread that is not a daemon still runs, this is the ordinary exit, which waits for it.
    """
    code = 0 if code is None else code
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if not isinstance(code, int) or any(t.is_alive() and not t.daemon for t in others):
        sys.exit(code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
