# Neural networks for NLP - the two commands of the quick start are `make demo` and `make test`.
# Each creates .venv when it is missing and installs what it needs into it.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
# The CPU build of PyTorch. Override on other platforms, e.g. `make demo TORCH_SPEC=torch`.
TORCH_SPEC ?= torch==2.13.0
JOBS   ?= 2
PYTEST_ARGS ?=

.PHONY: demo test lab formgrader release grade lint format benchmarks clean help

help:
	@echo "make demo        build the student release and grade the sample class (prints the grade table)"
	@echo "make test        run the whole test suite"
	@echo "make lab         open the course in JupyterLab (students)"
	@echo "make formgrader  open JupyterLab with nbgrader's formgrader (instructors)"
	@echo "make release     rebuild course/ from solutions/"
	@echo "make lint        ruff check and format check"
	@echo "make benchmarks  print the speed and memory figures recorded in docs/performance.md"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.course: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet "$(TORCH_SPEC)" -e ".[course]"
	@touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.course
	$(PY) -m pip install --quiet "$(TORCH_SPEC)" -e ".[course,test]"
	@touch $@

demo: $(VENV)/.course
	$(PY) -m autograder demo --jobs $(JOBS)

# Each test worker gets one BLAS thread: JOBS workers already use the cores, and more threads only fight.
test: $(VENV)/.test
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m pytest -n $(JOBS) --dist loadgroup $(PYTEST_ARGS)

lab: $(VENV)/.course
	JUPYTER_CONFIG_PATH=$(CURDIR)/autograder $(VENV)/bin/jupyter lab --notebook-dir=$(CURDIR) course/00_welcome/00_welcome.ipynb

formgrader: $(VENV)/.course
	JUPYTER_CONFIG_PATH=$(CURDIR)/autograder $(VENV)/bin/jupyter lab --notebook-dir=$(CURDIR)

release: $(VENV)/.course
	$(PY) -m autograder release

lint: $(VENV)/.test
	$(VENV)/bin/ruff check nnlib nn4nlp nbchecks autograder tests benchmarks solutions
	$(VENV)/bin/ruff format --check nnlib nn4nlp nbchecks autograder tests benchmarks solutions

format: $(VENV)/.test
	$(VENV)/bin/ruff check --fix nnlib nn4nlp nbchecks autograder tests benchmarks solutions
	$(VENV)/bin/ruff format nnlib nn4nlp nbchecks autograder tests benchmarks solutions

benchmarks: $(VENV)/.test
	$(PY) benchmarks/run_all.py

clean:
	rm -rf grading test-artifacts .pytest_cache
