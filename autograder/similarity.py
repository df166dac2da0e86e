"""Similar answers between the students of a module, for a person to judge.

Only the students' answer cells are compared, one exercise (answer cell) at a time, and everything the
released notebook already contains counts as given code: its k-grams are removed from every answer first,
so an untouched answer, or the given function signature, never makes two students look alike. The
fingerprints are copydetect's: the code is tokenised with Pygments, names become one placeholder letter,
comments, strings and spaces go (so renaming variables changes nothing), and every k-gram of what remains is
hashed. Comparing sets of k-grams also ignores the order of the functions in a cell. Every k-gram is kept
(winnowing window 1): answer cells are short, and the result then does not depend on Python's per-process
hash seed.

Short exercises, where correct answers look alike because there are few ways to write them, are left out:
an exercise counts only when its model answer, without the given code, is at least
:data:`MIN_EXERCISE_LENGTH` filtered characters long. A pair's score is the share of both students' own code
(over the exercises that count) that also appears in the other's answer to the same exercise; pairs at or
above :data:`THRESHOLD` are reported, most similar first. A high score is a reason to look, not a verdict.
"""

import csv
import dataclasses
import io
import itertools

from autograder import submission

#: Length of the hashed k-grams, in filtered characters (copydetect's default noise threshold).
K = 25
#: Exercises whose model answer has fewer own filtered characters than this are left out.
MIN_EXERCISE_LENGTH = 120
#: Pairs whose score reaches this are reported.
THRESHOLD = 0.5
#: Columns of DIR/similarity.csv.
COLUMNS = ["module", "student_a", "student_b", "score", "shared_characters", "exercises"]


@dataclasses.dataclass
class Fingerprint:
    """The hashed k-grams of one answer, without the given code."""

    code: str
    hashes: set
    positions: dict  # hash -> start offsets in the filtered code
    filtered: object  # copydetect's CodeFingerprint (for mapping matches back to the code)
    coverage: int  # filtered characters covered by the student's own k-grams


@dataclasses.dataclass
class ExerciseMatch:
    """One exercise of a pair: both answers and the stretches of each found in the other."""

    grade_id: str
    code_a: str
    code_b: str
    spans_a: list  # (start, end) character offsets into code_a
    spans_b: list
    shared: int  # own filtered characters of both answers that match


@dataclasses.dataclass
class Pair:
    module: str
    student_a: str
    student_b: str
    score: float
    shared: int
    exercises: list  # of ExerciseMatch, most shared first


@dataclasses.dataclass
class ModuleSimilarity:
    module: str
    students: int
    compared: list  # grade ids of the exercises compared
    left_out: list  # grade ids of the short exercises left out
    pairs: list  # of Pair, most similar first


def _detector():
    from copydetect import detector, utils

    return detector, utils


def fingerprint(code, given=frozenset()):
    """copydetect's fingerprint of ``code`` (Python), minus the k-grams in ``given``."""
    detector, utils = _detector()
    print_ = detector.CodeFingerprint("answer.py", k=K, win_size=1, fp=io.StringIO(code), language="python")
    hashes = {int(h) for h in print_.hashes} - given
    positions = {int(h): list(v) for h, v in print_.hash_idx.items() if int(h) in hashes}
    coverage = int(utils.get_token_coverage(positions, K, len(print_.filtered_code)))
    return Fingerprint(code, hashes, positions, print_, coverage)


def given_hashes(release_nb):
    """Every k-gram of the released notebook's code cells: the code students were given."""
    code = "\n".join(c.get("source", "") for c in release_nb.cells if c.get("cell_type") == "code")
    return frozenset(fingerprint(code).hashes)


def answer_cells(notebook):
    """``{grade_id: code}`` of a notebook's code answer cells."""
    return {
        submission.grade_id(c): c.get("source", "")
        for c in notebook.cells
        if submission.is_answer(c) and c.get("cell_type") == "code" and submission.grade_id(c)
    }


def exercises_to_compare(source_nb, given):
    """(compared, left_out): answer cells long enough to compare, judged on the model answer's own code."""
    compared, left_out = [], []
    for gid, code in answer_cells(source_nb).items():
        own = fingerprint(code, given).coverage
        (compared if own >= MIN_EXERCISE_LENGTH else left_out).append(gid)
    return compared, left_out


def _spans(filtered, positions):
    """Character spans of the raw code covered by the k-grams starting at ``positions`` (filtered offsets)."""
    import numpy as np

    _, utils = _detector()
    if not len(positions):
        return []
    slices = utils.get_copied_slices(np.sort(np.asarray(positions)), K)
    offsets = filtered.offsets
    if len(offsets):
        slices = (
            slices + offsets[:, 1][np.clip(np.searchsorted(offsets[:, 0], slices), 0, offsets.shape[0] - 1)]
        )
    return [(int(a), int(b)) for a, b in zip(slices[0], slices[1], strict=True)]


def _covered(fp, hashes):
    """Filtered characters of ``fp`` covered by the k-grams in ``hashes``, and where those k-grams start."""
    starts = sorted(p for h in hashes for p in fp.positions[h])
    if not starts:
        return 0, starts
    return K + sum(min(K, b - a) for a, b in zip(starts, starts[1:], strict=False)), starts


def compare_pair(prints_a, prints_b, compared, threshold=0.0):
    """Score and matches of two students, given their fingerprints per exercise.

    The matching stretches are worked out only for a pair whose score reaches ``threshold``.
    """
    shared_total, own_total, common_by_exercise = 0, 0, []
    for gid in compared:
        a, b = prints_a.get(gid), prints_b.get(gid)
        own_total += (a.coverage if a else 0) + (b.coverage if b else 0)
        common = a.hashes & b.hashes if a and b else None
        if common:
            shared = _covered(a, common)[0] + _covered(b, common)[0]
            shared_total += shared
            common_by_exercise.append((gid, a, b, common, shared))
    score = shared_total / own_total if own_total else 0.0
    if score < threshold or not common_by_exercise:
        return score, shared_total, []
    matches = [
        ExerciseMatch(
            gid,
            a.code,
            b.code,
            _spans(a.filtered, _covered(a, common)[1]),
            _spans(b.filtered, _covered(b, common)[1]),
            shared,
        )
        for gid, a, b, common, shared in common_by_exercise
    ]
    matches.sort(key=lambda m: -m.shared)
    return score, shared_total, matches


def compare_module(module, answers, source_nb, release_nb, threshold=THRESHOLD):
    """:class:`ModuleSimilarity` of one module; ``answers`` is ``{student: {grade_id: code}}``."""
    given = given_hashes(release_nb)
    compared, left_out = exercises_to_compare(source_nb, given)
    prints = {
        student: {gid: fingerprint(cells[gid], given) for gid in compared if cells.get(gid, "").strip()}
        for student, cells in answers.items()
    }
    pairs = []
    for a, b in itertools.combinations(sorted(prints), 2):
        score, shared, matches = compare_pair(prints[a], prints[b], compared, threshold)
        if score >= threshold and matches:
            pairs.append(Pair(module, a, b, score, shared, matches))
    pairs.sort(key=lambda p: (-p.score, p.student_a, p.student_b))
    return ModuleSimilarity(module, len(answers), compared, left_out, pairs)


def write_csv(path, results):
    """One row per reported pair (``DIR/similarity.csv``); only the header when none is."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for result in results:
            for pair in result.pairs:
                writer.writerow(
                    {
                        "module": pair.module,
                        "student_a": pair.student_a,
                        "student_b": pair.student_b,
                        "score": f"{pair.score:.3f}",
                        "shared_characters": pair.shared,
                        "exercises": " | ".join(m.grade_id for m in pair.exercises),
                    }
                )
    return path
