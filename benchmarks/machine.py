"""The machine a benchmark ran on, for the line every figure is recorded with."""

import os
import platform
from pathlib import Path


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (where there is one), else what the platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe():
    """One line: CPU model, core count and Python version."""
    return f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}"
