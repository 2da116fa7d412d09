"""Locating data files and the atomic, checksum-verified download path."""

import hashlib
import os

import pytest

from autograd_core.datasets import ChecksumError, DataFileNotFoundError, DatasetError, cache_dir, download
from autograd_core.datasets._files import RemoteFile, fetch, locate
from autograd_core.datasets import load_california_housing, load_fashion_mnist, load_mnist


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def mirror(tmp_path):
    """A local mirror folder served through a file:// URL."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "thing.bin").write_bytes(b"payload " * 1000)
    return folder


def leftovers(folder):
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def test_cache_dir_resolution(monkeypatch, tmp_path):
    monkeypatch.setenv("AUTOGRAD_CORE_CACHE", str(tmp_path / "explicit"))
    assert cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("AUTOGRAD_CORE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "autograd_core"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "autograd_core"


def test_search_order_data_dir_then_env_then_cache(monkeypatch, tmp_path, isolated_data_env):
    rel = "set/file.txt"
    places = {name: tmp_path / name for name in ("explicit", "env")}
    places["cache"] = isolated_data_env
    for folder in places.values():
        (folder / "set").mkdir(parents=True)
        (folder / rel).write_text("x")
    monkeypatch.setenv("AUTOGRAD_CORE_DATA", str(places["env"]))

    assert locate([rel], places["explicit"]) == places["explicit"] / rel
    assert locate([rel]) == places["env"] / rel
    monkeypatch.delenv("AUTOGRAD_CORE_DATA")
    assert locate([rel]) == places["cache"] / rel


def test_missing_file_error_lists_every_place_and_the_fixes(monkeypatch, tmp_path):
    monkeypatch.setenv("AUTOGRAD_CORE_DATA", str(tmp_path / "envdir"))
    with pytest.raises(DataFileNotFoundError) as info:
        load_mnist(data_dir=tmp_path / "given")
    message = str(info.value)
    assert "mnist/train-images-idx3-ubyte.gz" in message
    assert str(tmp_path / "given" / "mnist" / "train-images-idx3-ubyte.gz") in message
    assert str(tmp_path / "envdir" / "mnist" / "train-images-idx3-ubyte.gz") in message
    assert str(tmp_path / "cache" / "mnist" / "train-images-idx3-ubyte.gz") in message
    for fix in ("AUTOGRAD_CORE_DATA", "data_dir", "download=True"):
        assert fix in message
    assert isinstance(info.value, FileNotFoundError)


def test_download_with_right_checksum(mirror, tmp_path):
    dest = tmp_path / "cache" / "sub" / "thing.bin"
    content = (mirror / "thing.bin").read_bytes()
    out = download((mirror / "thing.bin").as_uri(), dest, sha256(content))
    assert out == dest and dest.read_bytes() == content
    assert leftovers(dest.parent) == ["thing.bin"]


def test_download_with_wrong_checksum_leaves_nothing(mirror, tmp_path):
    dest = tmp_path / "cache" / "sub" / "thing.bin"
    with pytest.raises(ChecksumError, match="thing.bin.*expected 0{64}"):
        download((mirror / "thing.bin").as_uri(), dest, "0" * 64)
    assert not dest.exists()
    assert leftovers(dest.parent) == []


def test_download_of_missing_url_leaves_nothing(mirror, tmp_path):
    dest = tmp_path / "cache" / "gone.bin"
    with pytest.raises(DatasetError, match="gone.bin"):
        download((mirror / "gone.bin").as_uri(), dest, "0" * 64)
    assert leftovers(dest.parent) == []


def test_wrong_checksum_does_not_replace_existing_file(mirror, tmp_path):
    dest = tmp_path / "cache" / "thing.bin"
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"old")
    with pytest.raises(ChecksumError):
        download((mirror / "thing.bin").as_uri(), dest, "f" * 64)
    assert dest.read_bytes() == b"old"
    assert leftovers(dest.parent) == ["thing.bin"]


def test_fetch_downloads_into_cache_only_when_asked(mirror, isolated_data_env):
    content = (mirror / "thing.bin").read_bytes()
    remote = RemoteFile("set/thing.bin", sha256(content))
    with pytest.raises(DataFileNotFoundError, match="download=True"):
        fetch(remote, base_url=mirror.as_uri(), dataset="Test")
    path = fetch(remote, download_missing=True, base_url=mirror.as_uri() + "/", dataset="Test")
    assert path == isolated_data_env / "set" / "thing.bin"
    assert path.read_bytes() == content
    # Found locally the second time, even with a mirror that no longer works.
    assert fetch(remote, base_url="file:///nonexistent", dataset="Test") == path


def test_fetch_downloads_into_explicit_data_dir(mirror, tmp_path):
    content = (mirror / "thing.bin").read_bytes()
    remote = RemoteFile("set/thing.bin", sha256(content))
    path = fetch(remote, tmp_path / "mine", download_missing=True, base_url=mirror.as_uri(),
                 dataset="Test")
    assert path == tmp_path / "mine" / "set" / "thing.bin"


IDX_NAMES = ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
             "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]


@pytest.mark.parametrize("load,folder", [(load_mnist, "mnist"),
                                         (load_fashion_mnist, "fashion-mnist")])
def test_idx_download_from_file_mirror(real_data, tmp_path, load, folder):
    """The real files pass the built-in SHA-256 check and land in data_dir."""
    root = real_data(*(f"{folder}/{n}" for n in IDX_NAMES))
    target = tmp_path / "downloaded"
    (_, y_train), (X_test, _) = load(target, download=True, mirror=(root / folder).as_uri())
    assert y_train.shape == (60000,) and X_test.shape == (10000, 28, 28)
    assert sorted(os.listdir(target / folder)) == IDX_NAMES


def test_california_download_from_file_mirror(real_data, isolated_data_env):
    root = real_data("california-housing/statlib/cal_housing.data")
    X, _ = load_california_housing(download=True, return_X_y=True,
                                   mirror=(root / "california-housing/statlib").as_uri())
    assert X.shape == (20640, 8)
    assert os.listdir(isolated_data_env / "california-housing/statlib") == ["cal_housing.data"]


def test_load_mnist_download_rejects_files_with_other_checksums(tmp_path):
    fake_mirror = tmp_path / "fake"
    fake_mirror.mkdir()
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"):
        (fake_mirror / name).write_bytes(b"not the real file")
    with pytest.raises(ChecksumError, match="train-images-idx3-ubyte.gz"):
        load_mnist(tmp_path / "data", download=True, mirror=fake_mirror.as_uri())
    assert leftovers(tmp_path / "data") == ["mnist"]  # the folder, and nothing in it
