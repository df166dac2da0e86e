"""nbchecks: partial credit, supporting parts, hints that match the symptom, notes and per-student variants."""

import numpy as np
import pytest

from nbchecks import (
    Check,
    CheckFailed,
    caught_warnings,
    describe_error,
    expect_close,
    expect_equal,
    grading_variant,
    hidden_rng,
    is_grading,
    note_warning,
)


def _check(*parts):
    """A 3-point check whose parts pass or fail as given: (title, passes, supporting)."""
    check = Check("f", points=3)
    for title, passes, supporting in parts:
        with check.part(title, supporting=supporting):
            if not passes:
                raise CheckFailed("wrong")
    return check


def test_parts_share_the_points_by_weight():
    check = _check(("a", True, False), ("b", False, False), ("c", True, False))
    assert check.earned == 2.0, f"2 of 3 equal parts passed: expected 2.0 points, got {check.earned}"


def test_supporting_parts_count_only_with_a_value_part():
    alone = _check(("shape", True, True), ("edge case 0", True, True), ("values", False, False))
    assert alone.earned == 0.0, f"only supporting parts passed: expected 0 points, got {alone.earned}"
    assert "counts once a check of the values passes" in alone.report()
    together = _check(("shape", True, True), ("edge case 0", True, True), ("values", True, False))
    assert together.earned == 3.0, f"every part passed: expected 3 points, got {together.earned}"
    partial = _check(("shape", True, True), ("values a", True, False), ("values b", False, False))
    assert partial.earned == 2.0, (
        f"a value part passed, so the shape counts: expected 2.0, got {partial.earned}"
    )


def test_a_hint_is_shown_only_when_the_value_fits_the_mistake():
    mistakes = [([1.0, 2.0], "Did you forget the bias?")]
    with pytest.raises(CheckFailed) as fits:
        expect_close(np.array([1.0, 2.0]), [1.0, 3.0], name="f(x)", mistakes=mistakes)
    assert "Hint: Did you forget the bias?" in str(fits.value)
    with pytest.raises(CheckFailed) as other:
        expect_close(np.array([7.0, 2.0]), [1.0, 3.0], name="f(x)", mistakes=mistakes)
    message = str(other.value)
    assert "Hint" not in message, f"a value that fits no known mistake got a hint: {message}"
    assert "expected: [1., 3.]" in message and "received: [7., 2.]" in message


def test_a_hint_fits_a_mistake_of_another_shape():
    # Summing a whole batch gives one number where one per row was expected: the shape is wrong, the hint fits.
    mistakes = [(4.0, "Sum over the last axis, not over all entries.")]
    with pytest.raises(CheckFailed) as fits:
        expect_close(np.float64(4.0), [1.0, 3.0], name="f(batch)", mistakes=mistakes)
    assert fits.value.hint == "Sum over the last axis, not over all entries.", str(fits.value)
    with pytest.raises(CheckFailed) as other:
        expect_close([1.0, 3.0, 0.0], [1.0, 3.0], name="f(batch)", mistakes=mistakes)
    assert other.value.hint is None and "Hint" not in str(other.value), str(other.value)


def test_a_failure_that_fits_no_known_mistake_gets_expected_and_received_and_no_hint():
    check = Check("predict", points=1)
    mistakes = [([0.0, 1.0], "Take the argmax over the classes (axis=1).")]
    with check.part("the classes"):
        expect_close(np.array([0.0, 1.0]), [1.0, 0.0], name="predict(X)", mistakes=mistakes)
    with check.part("the classes again"):
        expect_close(np.array([5.0, 5.0]), [1.0, 0.0], name="predict(X)", mistakes=mistakes)
    fitting, other = check.report().split("\n  \u2717 ")[1:]
    assert "argmax over the classes" in fitting, fitting
    assert "Hint" not in other and "5" in other and "1" in other, other


def test_a_part_has_no_general_hint():
    # A part's own hint would show for any failure, fitting or not: hints belong to a mistake's value.
    with pytest.raises(TypeError):
        Check("predict", points=1).part("the classes", hint="Add log_prior to the word scores.")


def test_a_hint_written_into_the_message_survives_a_hidden_part():
    check = Check("train", points=1)
    with check.part("hidden: the bias is trained"):
        raise CheckFailed("b is still 0 after training.\n      Hint: update the bias too.")
    text = check.report(hidden_lines={check.results[0].line})
    assert "a further check of `train` failed" in text and "Hint: update the bias too." in text, text
    assert "b is still 0" not in text, text
    assert CheckFailed("no hint here").hint is None


def test_expect_equal_shows_a_hint_only_for_the_known_mistake():
    mistakes = [(1, "int() cuts 1.8 down to 1; round it.")]
    with pytest.raises(CheckFailed) as fits:
        expect_equal(1, 2, name="n_val", mistakes=mistakes)
    assert fits.value.hint == "int() cuts 1.8 down to 1; round it." and "should be 2, but it is 1" in str(
        fits.value
    )
    with pytest.raises(CheckFailed) as other:
        expect_equal(3, 2, name="n_val", mistakes=mistakes)
    assert other.value.hint is None and "Hint" not in str(other.value), str(other.value)
    expect_equal([1, 2], [1, 2], mistakes=mistakes)  # a right answer never fails


def test_expect_equal_names_expected_and_received():
    with pytest.raises(CheckFailed, match="should be 3, but it is 4"):
        expect_equal(4, 3, name="n")


def test_notes_cost_nothing():
    check = Check("f", points=2)
    with check.part("values"):
        pass
    check.note("your function printed a RuntimeWarning")
    assert check.earned == 2.0
    assert "Note: your function printed a RuntimeWarning" in check.report()


def test_hidden_inputs_differ_per_variant_and_repeat_for_the_same_variant():
    plain = hidden_rng("sigmoid").random(4)
    np.testing.assert_array_equal(plain, hidden_rng("sigmoid").random(4))
    assert not is_grading()
    with grading_variant(11):
        assert is_grading()
        first = hidden_rng("sigmoid").random(4)
        again = hidden_rng("sigmoid").random(4)
    with grading_variant(12):
        other = hidden_rng("sigmoid").random(4)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other), "two variants drew the same hidden inputs"
    assert not np.allclose(first, plain), "a graded variant drew the student kernel's inputs"


def test_graded_reports_leave_out_the_reminder_of_more_checks():
    check = _check(("a", True, False))
    assert "More checks run when your notebook is graded" in check.report()
    with grading_variant(3):
        assert "More checks run" not in check.report()


def test_hidden_parts_are_reported_without_title_or_message():
    import sys

    check = Check("sigmoid", points=2)
    line = sys._getframe().f_lineno + 1
    with check.part("sigmoid([3.25, -7.5]) is [0.9627, 0.0006]"):
        expect_close(np.array([3.25, -7.5]), [0.9627, 0.0006], mistakes=[([3.25, -7.5], "apply the formula")])
    with check.part("visible part"):
        expect_close(np.array([1.0]), [2.0])
    text = check.report(hidden_lines={line})
    assert "a further check of `sigmoid` failed" in text and "Hint: apply the formula" in text
    for secret in ("3.25", "0.9627"):
        assert secret not in text, f"the report of a hidden part shows {secret!r}"
    assert "visible part" in text and "expected 2" in text  # visible parts keep everything


def test_warnings_reported_by_the_grader_are_notes_never_failures():
    check = Check("f", points=1)
    with caught_warnings() as found, check.part("values"):
        note_warning("RuntimeWarning: overflow encountered in exp")
    assert check.fraction == 1.0 and found == []
    text = check.report()
    assert (
        "Note: a RuntimeWarning was raised (overflow encountered in exp)" in text and "costs nothing" in text
    )


def test_one_sentence_per_kind_of_error():
    assert "not written yet" in describe_error("NotImplementedError")
    assert "took too long" in describe_error("GradingTimeout")
    text = describe_error("ValueError", "bad shape\nmore", line=3, code="x = y")
    assert text == "Your code raised ValueError: bad shape. (line 3 of your cell: `x = y`)"


def test_the_same_warning_is_noted_once_per_part():
    check = Check("f", points=1)
    with check.part("values"):
        for _ in range(2):
            note_warning("RuntimeWarning: divide by zero encountered in log")
        note_warning("RuntimeWarning: invalid value encountered in multiply")
    notes = check.results[0].notes
    assert len(notes) == 2, f"expected one note per distinct warning, got {notes}"


@pytest.mark.parametrize(
    ("received", "says", "not_says"),
    [
        ([1.0, np.inf], "Something overflowed", "np.log(0)"),
        ([-np.inf, 1.0], "np.log(0)", "overflowed"),
        ([-np.inf, np.inf], "Something overflowed", "np.log(0)"),
    ],
)
def test_an_infinity_is_explained_by_its_sign(received, says, not_says):
    with pytest.raises(CheckFailed) as failure:
        expect_close(np.array(received), [1.0, 2.0], name="out")
    message = str(failure.value)
    assert says in message and not_says not in message, f"for {received}: {message}"
