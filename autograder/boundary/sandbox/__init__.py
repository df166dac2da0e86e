"""Code that runs inside the grading sandbox (runner.py) and the message format both sides share (wire.py)."""
