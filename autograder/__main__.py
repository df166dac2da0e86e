from autograder.startup import exit_now, skip_iri_grammar

skip_iri_grammar()

from autograder.cli import main  # noqa: E402

if __name__ == "__main__":
    exit_now(main())
