"""Run every benchmark script and print their figures (`make benchmarks`). Figures go in docs/performance.md."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for script in ("bench_nnlib.py", "bench_notebooks.py", "bench_grading.py", "bench_real_size.py"):
    print(f"\n===== {script} =====", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=False)
