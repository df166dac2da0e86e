"""The course's grading tools: release, sandboxed autograding on top of nbgrader, feedback and export.

Run ``python -m autograder --help``.
"""
