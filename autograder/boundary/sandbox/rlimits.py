"""The resource limits of a student's process, set by whichever process starts it.

Used on both sides of the boundary: by the grader, in a fresh sandbox's process before it starts Python,
and by the fork server, in each student's child. ``limits`` is a mapping with the fields of
``autograder.boundary.isolation.Limits``.
"""

import resource


def apply(limits):
    for kind, value, slack in (
        (resource.RLIMIT_CPU, limits["cpu_seconds"], 5),
        (resource.RLIMIT_DATA, limits["memory_bytes"], 0),
        (resource.RLIMIT_FSIZE, limits["file_bytes"], 0),
        (resource.RLIMIT_NOFILE, limits["open_files"], 0),
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_NPROC, limits["processes"], 0),
    ):
        resource.setrlimit(kind, (value, value + slack))
