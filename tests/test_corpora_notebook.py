"""Module 08 on every corpus format: the solution notebook runs on small fixture corpora, offline.

``NN4NLP_DATA`` points at a temporary folder with the fixture files in the layout the real archives unpack
to; ``NN4NLP_CORPUS`` picks the corpus. Every HTTP(S) request goes to a closed port on 127.0.0.1 (via the
proxy variables), so a download attempt fails at once and nothing reaches the internet.
"""

import socket

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.course import source_path
from tests import corpus_fixtures

MODULE = "08_sentiment"


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def offline(monkeypatch):
    proxy = f"http://127.0.0.1:{_closed_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)


def _run(notebook, tmp_path):
    client = NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    return notebook


def _errors(notebook):
    return [
        (c.get("id"), o.get("ename"), o.get("evalue"))
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def _text(notebook, cell_id):
    cell = next(c for c in notebook.cells if c.get("id") == cell_id)
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


@pytest.mark.slow
@pytest.mark.parametrize(
    "corpus, splits",
    [("sst2", ("train: ", "dev: ")), ("polarity", ("all: ",)), ("imdb", ("train: ", "test: "))],
)
def test_the_notebook_runs_on_each_real_corpus_format(corpus, splits, tmp_path, monkeypatch, offline):
    data = corpus_fixtures.all_corpora(tmp_path / "data")
    monkeypatch.setenv("NN4NLP_DATA", str(data))
    monkeypatch.setenv("NN4NLP_CORPUS", corpus)
    notebook = _run(nbformat.read(str(source_path(MODULE)), as_version=4), tmp_path)
    assert not _errors(notebook), f"{corpus}: cells raised {_errors(notebook)}"
    loaded = _text(notebook, "load_data")
    assert f"corpus: {corpus}, read from {data}" in loaded and all(s in loaded for s in splits), loaded
    assert "Using the synthetic corpus instead" not in loaded
    assert "texts per class: {'negative'" in loaded, loaded
    results = _text(notebook, "results_table")
    assert f"corpus: {corpus}" in results and "DAN" in results, results


@pytest.mark.slow
def test_the_notebook_falls_back_to_synthetic_data_when_offline(tmp_path, monkeypatch, offline):
    monkeypatch.setenv("NN4NLP_DATA", str(tmp_path / "empty"))
    monkeypatch.setenv("NN4NLP_CORPUS", "sst2")
    notebook = nbformat.read(str(source_path(MODULE)), as_version=4)
    upto = next(i for i, c in enumerate(notebook.cells) if c.get("id") == "split") + 1
    notebook.cells = notebook.cells[:upto]
    notebook = _run(notebook, tmp_path)
    assert not _errors(notebook), _errors(notebook)
    loaded = _text(notebook, "load_data")
    assert "Could not read the 'sst2' corpus" in loaded and "Using the synthetic corpus instead" in loaded
    assert "corpus: synthetic reviews, 6000 sentences" in loaded, loaded
