"""Download the real sentiment corpora into a cache folder, once.

>>> root = fetch("sst2")                     # doctest: +SKIP
>>> splits = load_corpus("sst2", root)       # doctest: +SKIP

:func:`fetch` downloads an archive from its canonical public address with
`pooch <https://www.fatiando.org/pooch>`_ (checksum, progress bar, a temporary
file renamed into place only when complete), unpacks it into the layout the
archive has (``SST-2/train.tsv``, ``rt-polaritydata/rt-polarity.pos``,
``aclImdb/train/pos/...``), and returns the folder. Nothing is downloaded when
the files are already there. The folder is ``$NN4NLP_DATA`` when that is set,
otherwise the per-user cache folder (``platformdirs.user_cache_dir("nn4nlp")``).

pooch and platformdirs are optional (``pip install 'nn4nlp-course[data]'``) and
imported only here, when a download is needed; every failure (no network, a
404, a wrong checksum, a truncated archive, a missing package) raises
:class:`DownloadError` with a message saying what happened.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from nnlib.data.corpora import CORPUS_FILES


@dataclass(frozen=True)
class Archive:
    url: str
    known_hash: str | None  # "sha256:..." or "md5:..."; None skips the check
    what: str


# Hashes as published by other data loaders (the GLUE zip's and IMDB's SHA-256 by
# TensorFlow Datasets and several DataDeps.jl registrations, the polarity archive's
# MD5 by torchtext-style loaders); the course could not download the files itself.
ARCHIVES = {
    "sst2": Archive(
        "https://dl.fbaipublicfiles.com/glue/data/SST-2.zip",
        "sha256:d67e16fb55739c1b32cdce9877596db1c127dc322d93c082281f64057c16deaa",
        "GLUE's SST-2 (Stanford Sentiment Treebank, two classes), 7.4 MB",
    ),
    "polarity": Archive(
        "https://www.cs.cornell.edu/people/pabo/movie-review-data/rt-polaritydata.tar.gz",
        "md5:50c1c2c047b4225e148e97aa7708c34e",
        "Pang and Lee's sentence polarity data v1.0, 0.5 MB",
    ),
    "imdb": Archive(
        "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        "sha256:c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
        "the Large Movie Review Dataset (IMDB), 84 MB",
    ),
}


class DownloadError(RuntimeError):
    """A corpus could not be downloaded or unpacked; the message says why."""


def data_home(root=None):
    """The folder corpora live in: ``root``, else ``$NN4NLP_DATA``, else the per-user cache folder."""
    if root is None:
        root = os.environ.get("NN4NLP_DATA") or _user_cache_dir()
    return Path(root).expanduser()


def _user_cache_dir():
    try:
        import platformdirs
    except ImportError:
        raise DownloadError(_missing_packages("platformdirs")) from None
    return platformdirs.user_cache_dir("nn4nlp")


def _missing_packages(name):
    return (
        f"downloading a corpus needs the optional package {name}: "
        "pip install 'nn4nlp-course[data]' (or pip install pooch platformdirs), "
        "or set NN4NLP_DATA to a folder that already holds the files."
    )


def is_present(name, root=None):
    """Whether every file corpus ``name`` needs is under ``root`` (see :func:`data_home`)."""
    home = data_home(root)
    return all((home / relative).exists() for relative in CORPUS_FILES[name])


def fetch(name, root=None, *, progress=True, archive=None):
    """Download and unpack corpus ``name`` (``"sst2"``, ``"polarity"`` or ``"imdb"``) unless present.

    Returns the folder that holds its layout. ``archive`` replaces the
    canonical :class:`Archive` (used by the tests, with a local server).
    """
    if name not in ARCHIVES:
        raise ValueError(f"fetch: unknown corpus {name!r}; expected one of {sorted(ARCHIVES)}.")
    home = data_home(root)
    if is_present(name, home):
        return home
    archive = archive or ARCHIVES[name]
    try:
        import pooch
        import requests
    except ImportError:
        raise DownloadError(_missing_packages("pooch")) from None
    home.mkdir(parents=True, exist_ok=True)
    file_name = Path(urlparse(archive.url).path).name
    try:
        path = pooch.retrieve(
            archive.url, known_hash=archive.known_hash, fname=file_name, path=home / "downloads",
            progressbar=progress,
        )  # fmt: skip
    except requests.exceptions.HTTPError as error:
        status = error.response.status_code if error.response is not None else "an error"
        raise DownloadError(
            f"could not download {archive.what}: the server answered {status} for {archive.url}."
        ) from None
    except requests.exceptions.ChunkedEncodingError:
        raise DownloadError(
            f"could not download {archive.what} from {archive.url}: the download stopped before the end. "
            "Nothing was kept; try again."
        ) from None
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
        cause = f"{type(error).__name__}; no network connection?"
        raise DownloadError(f"could not download {archive.what} from {archive.url} ({cause}).") from None
    except ValueError as error:
        if "hash" not in str(error).lower():
            raise
        raise DownloadError(
            f"the downloaded {file_name} does not have the expected checksum {archive.known_hash}: "
            "the download was damaged or the file on the server has changed. Nothing was kept; try again later."
        ) from None
    _unpack(pooch, Path(path), home, name, archive)
    return home


def _unpack(pooch, path, home, name, archive):
    """Unpack into a temporary folder next to the result, then move its entries into place."""
    unpacker = pooch.Unzip if path.suffix == ".zip" else pooch.Untar
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=home))
    try:
        unpacker(extract_dir=str(staging))(str(path), "download", None)
        for entry in staging.iterdir():
            target = home / entry.name
            if target.exists():
                shutil.rmtree(target) if target.is_dir() else target.unlink()
            os.replace(entry, target)
    except Exception as error:
        path.unlink(missing_ok=True)  # a damaged archive must not be reused
        raise DownloadError(
            f"{path.name} from {archive.url} could not be unpacked ({type(error).__name__}: {error}); "
            "the archive is probably truncated. It was deleted: run the cell again to download it anew."
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not is_present(name, home):
        missing = [f for f in CORPUS_FILES[name] if not (home / f).exists()]
        raise DownloadError(f"{path.name} unpacked, but {missing} are missing from {str(home)!r}.")
