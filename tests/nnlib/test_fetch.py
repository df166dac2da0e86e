"""nnlib.data.fetch against a local HTTP server on 127.0.0.1 serving archives built here: no internet."""

import hashlib
import http.server
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nnlib.data import DownloadError, data_home, fetch, load_corpus
from nnlib.data.fetch import ARCHIVES, Archive
from tests import corpus_fixtures

pytest.importorskip("pooch")


class _Handler(http.server.BaseHTTPRequestHandler):
    routes = {}  # path -> bytes, set per server
    requests = None

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        if self.path.startswith("/truncated/"):
            body = self.routes[self.path.removeprefix("/truncated")]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])  # then the connection closes
            self.close_connection = True
            return
        body = self.routes.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path_factory):
    """A server on 127.0.0.1 with SST-2.zip and rt-polaritydata.tar.gz built from the fixtures."""
    source = tmp_path_factory.mktemp("source")
    routes = {
        "/glue/SST-2.zip": corpus_fixtures.zip_of(corpus_fixtures.sst2_files(source, n_train=60)),
        "/pabo/rt-polaritydata.tar.gz": corpus_fixtures.tar_gz_of(corpus_fixtures.polarity_files(source)),
        "/amaas/aclImdb_v1.tar.gz": corpus_fixtures.tar_gz_of(corpus_fixtures.imdb_folder(source, n=30)),
    }
    routes["/broken/SST-2.zip"] = routes["/glue/SST-2.zip"][:-200]
    handler = type("Handler", (_Handler,), {"routes": routes, "requests": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.routes, httpd.requests = routes, handler.requests
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_fetch_downloads_checks_unpacks_and_then_reuses(server, tmp_path):
    archive = Archive(f"{server.base}/glue/SST-2.zip", _sha256(server.routes["/glue/SST-2.zip"]), "SST-2")
    root = fetch("sst2", tmp_path / "cache", progress=False, archive=archive)
    assert root == tmp_path / "cache" and (root / "SST-2" / "train.tsv").is_file()
    splits = load_corpus("sst2", root)
    assert sorted(splits) == ["dev", "train"]
    assert splits["train"][0] == corpus_fixtures.binary_sentences(60, 1)[0]
    assert not [p.name for p in root.iterdir() if p.name.startswith(".")], "a staging folder was left"
    fetch("sst2", root, progress=False, archive=archive)
    assert server.requests == ["/glue/SST-2.zip"], f"downloaded again: {server.requests}"


def test_fetch_polarity_tar_gz_with_an_md5_and_imdb_without_a_hash(server, tmp_path):
    data = server.routes["/pabo/rt-polaritydata.tar.gz"]
    md5 = "md5:" + hashlib.md5(data).hexdigest()
    root = fetch(
        "polarity",
        tmp_path,
        progress=False,
        archive=Archive(f"{server.base}/pabo/rt-polaritydata.tar.gz", md5, "RT"),
    )
    texts, labels = load_corpus("polarity", root)["all"]
    assert "the plot \u2026 well , it drags ." in texts and set(labels.tolist()) == {0, 1}
    root = fetch(
        "imdb",
        tmp_path,
        progress=False,
        archive=Archive(f"{server.base}/amaas/aclImdb_v1.tar.gz", None, "IMDB"),
    )
    assert sorted(load_corpus("imdb", root)) == ["test", "train"]


def test_fetch_refuses_a_wrong_checksum_and_keeps_nothing(server, tmp_path):
    archive = Archive(f"{server.base}/glue/SST-2.zip", "sha256:" + "0" * 64, "SST-2")
    with pytest.raises(DownloadError, match="does not have the expected checksum sha256:0000"):
        fetch("sst2", tmp_path, progress=False, archive=archive)
    assert not (tmp_path / "SST-2").exists()
    assert not list((tmp_path / "downloads").glob("*")), "a file with the wrong checksum was kept"


def test_fetch_reports_a_404(server, tmp_path):
    with pytest.raises(
        DownloadError, match=r"server answered 404 for http://127\.0\.0\.1:\d+/gone/SST-2.zip"
    ):
        fetch(
            "sst2", tmp_path, progress=False, archive=Archive(f"{server.base}/gone/SST-2.zip", None, "SST-2")
        )


def test_fetch_reports_no_network(tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DownloadError, match="no network connection"):
        fetch(
            "sst2", tmp_path, progress=False, archive=Archive(f"http://127.0.0.1:{port}/SST-2.zip", None, "x")
        )


def test_fetch_reports_a_download_cut_short(server, tmp_path):
    url = f"{server.base}/truncated/glue/SST-2.zip"
    with pytest.raises(DownloadError, match="stopped before the end"):
        fetch("sst2", tmp_path, progress=False, archive=Archive(url, None, "SST-2"))
    assert not (tmp_path / "SST-2").exists() and not list((tmp_path / "downloads").glob("*.zip"))


def test_fetch_deletes_a_truncated_archive_it_cannot_unpack(server, tmp_path):
    archive = Archive(f"{server.base}/broken/SST-2.zip", None, "SST-2")
    with pytest.raises(DownloadError, match="could not be unpacked.*probably truncated"):
        fetch("sst2", tmp_path, progress=False, archive=archive)
    assert not (tmp_path / "downloads" / "SST-2.zip").exists(), "the damaged archive was kept"
    assert not (tmp_path / "SST-2").exists()


def test_fetch_rejects_an_unknown_corpus(tmp_path):
    with pytest.raises(ValueError, match="unknown corpus 'sst5'"):
        fetch("sst5", tmp_path)


def test_data_home_prefers_the_argument_then_nn4nlp_data_then_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("NN4NLP_DATA", str(tmp_path / "env"))
    assert data_home(tmp_path / "arg") == tmp_path / "arg"
    assert data_home() == tmp_path / "env"
    monkeypatch.delenv("NN4NLP_DATA")
    platformdirs = pytest.importorskip("platformdirs")
    assert data_home() == Path(platformdirs.user_cache_dir("nn4nlp"))


def test_a_missing_pooch_gives_a_message_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pooch", None)
    with pytest.raises(DownloadError, match=r"pip install 'nn4nlp-course\[data\]'"):
        fetch("polarity", tmp_path, progress=False)


def test_canonical_archives_have_published_hashes():
    for name, archive in ARCHIVES.items():
        assert archive.url.startswith("https://"), name
        algorithm, _, digest = archive.known_hash.partition(":")
        assert len(digest) == {"sha256": 64, "md5": 32}[algorithm], name


def test_importing_nnlib_data_does_not_import_pooch():
    code = "import sys, nnlib.data; print('pooch' in sys.modules, 'platformdirs' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"], out


def test_load_corpus_reads_each_layout_and_names_a_missing_file(tmp_path):
    root = corpus_fixtures.all_corpora(tmp_path)
    assert {name: sorted(load_corpus(name, root)) for name in ("sst2", "polarity", "imdb")} == {
        "sst2": ["dev", "train"],
        "polarity": ["all"],
        "imdb": ["test", "train"],
    }
    (root / "SST-2" / "dev.tsv").unlink()
    with pytest.raises(FileNotFoundError, match=r"dev\.tsv"):
        load_corpus("sst2", root)
    with pytest.raises(ValueError, match="unknown corpus 'yelp'"):
        load_corpus("yelp", root)
