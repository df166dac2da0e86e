"""Realistic wrong answers for module 00 (welcome: the parts of a model, the clock)."""

from tests.mistakes import Mistake, patched

MODULE = "00_welcome"

MISTAKES = [
    Mistake(
        name="class_means_no_axis",
        cell="class_means",
        code=patched(
            MODULE,
            "class_means",
            (
                (
                    "classes = int(y.max()) + 1\n"
                    "    return np.stack([X[y == k].mean(axis=0) for k in range(classes)])"
                ),
                "return np.array([X[y == k].mean() for k in range(y.max() + 1)])",
            ),
        ),
        loses=["test_class_means"],
        feedback=["has shape (2,) but should have shape (2, 2)", "axis=0"],
        why="mean() without axis=0 averages every number of the class into one",
    ),
    Mistake(
        name="class_means_three_classes",
        cell="class_means",
        code=patched(
            MODULE,
            "class_means",
            (
                (
                    "classes = int(y.max()) + 1\n"
                    "    return np.stack([X[y == k].mean(axis=0) for k in range(classes)])"
                ),
                "return np.stack([X[y == k].mean(axis=0) for k in range(3)])",
            ),
        ),
        loses=["test_class_means"],
        feedback=["has shape (3, 2) but should have shape (2, 2)"],
        no_hint=["axis=0"],
        why="hard-codes the three Iris classes instead of counting the classes in y",
    ),
    Mistake(
        name="hand_angle_no_wrap",
        cell="hand_angle",
        code=patched(
            MODULE,
            "hand_angle",
            ("return np.degrees(np.arctan2(y, x)) % 360", "return np.degrees(np.arctan2(y, x))"),
        ),
        loses=["test_hand_angle"],
        feedback=["expected 270, got -90", "% 360"],
        no_hint=["y comes first", "wrong quadrant"],
        why="keeps arctan2's negative angles below the x axis",
    ),
    Mistake(
        name="hand_angle_arctan",
        cell="hand_angle",
        code=patched(
            MODULE,
            "hand_angle",
            ("return np.degrees(np.arctan2(y, x)) % 360", "return np.degrees(np.arctan(y / x)) % 360"),
        ),
        loses=["test_hand_angle"],
        feedback=["hand_angle([-0.38], [0.32])", "wrong quadrant"],
        no_hint=["y comes first", "% 360"],
        why="arctan(y / x) cannot tell opposite quadrants apart",
    ),
    Mistake(
        name="hand_angle_arguments_swapped",
        cell="hand_angle",
        code=patched(
            MODULE,
            "hand_angle",
            ("return np.degrees(np.arctan2(y, x)) % 360", "return np.degrees(np.arctan2(x, y)) % 360"),
        ),
        loses=["test_hand_angle"],
        feedback=["expected 0, got 90", "y comes first"],
        no_hint=["wrong quadrant"],
        why="np.arctan2(x, y) measures clockwise from the y axis, like a clock, not like the slides",
    ),
    Mistake(
        name="clock_time_zero_hour",
        cell="clock_time",
        code=patched(
            MODULE,
            "clock_time",
            (
                (
                    "turned = (90 - hour_angle) % 360 - 0.5 * minute\n"
                    "    hour = int(round(turned / 30)) % 12\n"
                    "    return (12 if hour == 0 else hour), minute"
                ),
                "hour = round(((90 - hour_angle) % 360 - 0.5 * minute) / 30) % 12\n    return hour, minute",
            ),
        ),
        loses=["test_clock_time"],
        feedback=["should be 12, but it is 0", "must become 12"],
        no_hint=["Round the hour", "0.5 * minute", "clockwise from 12"],
        why="returns 0 for twelve o'clock",
    ),
    Mistake(
        name="clock_time_truncates_hour",
        cell="clock_time",
        code=patched(
            MODULE,
            "clock_time",
            (
                "turned = (90 - hour_angle) % 360 - 0.5 * minute\n    hour = int(round(turned / 30)) % 12",
                "hour = int(((90 - hour_angle) % 360) // 30)",
            ),
        ),
        loses=["test_clock_time"],
        feedback=["the hour for angles (0.5, 90)", "Round the hour"],
        no_hint=["0.5 * minute", "must become 12"],
        why="truncates the hour instead of rounding: a hand drawn a little off gives the hour before",
    ),
    Mistake(
        name="clock_time_counterclockwise_minutes",
        cell="clock_time",
        code=patched(
            MODULE,
            "clock_time",
            (
                (
                    "minute = ((90 - minute_angle) % 360) / 6\n"
                    "    turned = (90 - hour_angle) % 360 - 0.5 * minute\n"
                    "    hour = int(round(turned / 30)) % 12"
                ),
                (
                    "minute = (minute_angle % 360) / 6\n"
                    "    hour = round(((90 - hour_angle) % 360 - 0.5 * minute) / 30) % 12"
                ),
            ),
        ),
        loses=["test_clock_time"],
        feedback=["the minutes for angles (140, 90)", "clockwise from 12"],
        no_hint=["Round the hour", "0.5 * minute"],
        why="reads the minute hand counter-clockwise from 3 o'clock instead of clockwise from 12",
    ),
    Mistake(
        name="clock_time_no_minute_correction",
        cell="clock_time",
        code=patched(
            MODULE,
            "clock_time",
            (
                "turned = (90 - hour_angle) % 360 - 0.5 * minute\n    hour = int(round(turned / 30)) % 12",
                "hour = int(((90 - hour_angle) % 360) / 30 + 0.5) % 12",
            ),
        ),
        loses=["test_clock_time"],
        feedback=["the hour for angles (255, 270)", "should be 6, but it is 7", "0.5 * minute"],
        no_hint=["Round the hour", "must become 12"],
        why="rounds the hour hand's angle without taking off the half degree it moves per minute: at 6:30 the "
        "hand is halfway between 6 and 7 and rounds up to 7",
    ),
]

EQUIVALENT = [
    Mistake(
        name="class_means_loop",
        cell="class_means",
        code=patched(
            MODULE,
            "class_means",
            (
                (
                    "classes = int(y.max()) + 1\n"
                    "    return np.stack([X[y == k].mean(axis=0) for k in range(classes)])"
                ),
                (
                    "means = np.zeros((y.max() + 1, X.shape[1]))\n"
                    "    for k in range(y.max() + 1):\n"
                    "        means[k] = X[y == k].sum(axis=0) / np.sum(y == k)\n"
                    "    return means"
                ),
            ),
        ),
        loses=[],
        why="fills a table of zeros row by row, with sum / count for the mean",
    ),
    Mistake(
        name="clock_time_round_half_up",
        cell="clock_time",
        code=patched(
            MODULE,
            "clock_time",
            ("hour = int(round(turned / 30)) % 12", "hour = int(np.floor(turned / 30 + 0.5)) % 12"),
        ),
        loses=[],
        why="rounds half up with floor(x + 0.5) instead of round(): the same hour on every clock",
    ),
]

SAMPLE = {"chen": ["class_means_no_axis", "hand_angle_no_wrap", "clock_time_zero_hour"]}
