"""The committed sample class is exactly what `python -m tests.sample_class` builds from today's course.

The sample notebooks are made from `course/`, `solutions/` and the mistake corpus; a copy that drifted from
them would grade an old course. Rebuild with `python -m tests.sample_class` after changing any of those.
"""

import pytest

from autograder.course import SAMPLE_CLASS, modules
from tests import sample_class


@pytest.mark.parametrize("module", modules())
def test_committed_sample_notebooks_match_the_builder(module, tmp_path):
    sample_class.build(target=tmp_path, names=[module])
    built = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.glob(f"*/{module}/*") if p.is_file()}
    committed = {
        p.relative_to(SAMPLE_CLASS): p.read_bytes()
        for p in SAMPLE_CLASS.glob(f"*/{module}/*")
        if p.is_file() and p.relative_to(SAMPLE_CLASS).parts[0] != "expected"
    }
    assert sorted(built) == sorted(committed), (
        f"sample class files for {module}: the builder makes {sorted(map(str, built))}, "
        f"committed are {sorted(map(str, committed))}; run `python -m tests.sample_class {module}`"
    )
    stale = [str(path) for path, content in built.items() if committed[path] != content]
    assert not stale, f"stale sample notebooks (run `python -m tests.sample_class {module}`): {stale}"
