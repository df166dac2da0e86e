import sys

# jsonschema, which nbformat imports, compiles a grammar for checking IRIs when rfc3987_syntax is installed:
# a second of every grading process's start. Nothing the command line does checks IRIs, so it and its
# grading workers (which run this module first) go without it.
sys.modules.setdefault("rfc3987_syntax", None)

from autograder.cli import main  # noqa: E402

sys.exit(main())
