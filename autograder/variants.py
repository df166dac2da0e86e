"""Per-student variants of the hidden tests.

Hidden checks draw their random inputs from :func:`nbchecks.hidden_rng`; the
grader runs each test cell inside :func:`nbchecks.grading_variant` with a seed
derived from the student's id, the module and the submission's time (when
nbgrader recorded one) by a keyed hash (HMAC-SHA256) with a secret of the
course. So every student gets hidden inputs of their own, the same at every
regrade of a submission, new ones for a new submission, and nobody can compute another student's inputs
without the secret. The secret is made once, at random, and kept in the
grading folder beside the gradebook (``variant_secret``, readable by its owner
only); keep that file with the gradebook, as a new secret gives new inputs.
"""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = "variant_secret"


def course_secret(out):
    """The course's variant secret, kept in ``out`` (made on first use, owner-only)."""
    path = Path(out) / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    with open(path, encoding="ascii") as handle:
        secret = handle.read().strip()
    if len(secret) < 32:
        raise RuntimeError(f"{path}: the variant secret is too short; delete the file to make a new one")
    return secret


def seed(secret, student, module, submitted=""):
    """The seed of ``student``'s hidden inputs in ``module``: 63 bits of HMAC-SHA256.

    ``submitted`` is the submission's time as nbgrader recorded it (``timestamp.txt``), when there is
    one: a regrade of the same submission keeps its inputs, a new submission gets new ones, so inputs
    a student smuggled out of one grading run are of no use in the next.
    """
    message = f"{student}\n{module}\n{submitted}".encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1
