"""Corrupt data files get a DataFormatError naming the file (and the line, or both sizes).

Each file is written byte by byte here; nothing is read from the shared data folder.
"""

import gzip
import os
import struct

import numpy as np
import pytest

from autograd_core.datasets import (DataFormatError, load_california_housing,
                                    load_fashion_mnist, load_iris, load_mnist, read_idx)


@pytest.fixture(autouse=True)
def _no_shared_data(monkeypatch, tmp_path):
    monkeypatch.delenv("AUTOGRAD_CORE_DATA", raising=False)
    monkeypatch.setenv("AUTOGRAD_CORE_CACHE", str(tmp_path / "cache"))


def idx_bytes(magic, shape, payload=b""):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in shape) + payload


def _write(path, content, gz):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(content) if gz else content)
    return path


# -- IDX: declared dimensions against the file --------------------------------------------

@pytest.mark.parametrize("gz", [False, True])
def test_idx_header_claiming_billions_of_images_is_refused_before_allocating(tmp_path, gz):
    path = _write(tmp_path / "huge-idx3-ubyte", idx_bytes(2051, (4_000_000_000, 28, 28),
                                                           bytes(4000)), gz)
    with pytest.raises(DataFormatError) as info:  # not MemoryError: nothing is allocated
        read_idx(path)
    message = str(info.value)
    assert str(path) in message and "3136000000016" in message  # declared bytes
    assert str(os.path.getsize(path)) in message  # the file's size


def test_truncated_uncompressed_idx_names_both_sizes(tmp_path):
    path = _write(tmp_path / "t-idx3-ubyte", idx_bytes(2051, (3, 2, 2), bytes(10)), False)
    with pytest.raises(DataFormatError, match=r"truncated.* 28 bytes .* 26 bytes"):
        read_idx(path)


def test_padded_uncompressed_idx_names_both_sizes(tmp_path):
    path = _write(tmp_path / "p-idx1-ubyte", idx_bytes(2049, (3,), bytes(5)), False)
    with pytest.raises(DataFormatError, match=r"trailing bytes.* 11 bytes .* 13 bytes"):
        read_idx(path)


def test_truncated_gzip_stream_says_truncated_and_names_the_file(tmp_path):
    whole = gzip.compress(idx_bytes(2051, (50, 28, 28), bytes(range(256)) * 154))
    path = tmp_path / "cut-idx3-ubyte.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataFormatError, match=r"cut-idx3-ubyte.gz: truncated gzip"):
        read_idx(path)


# -- MNIST / Fashion-MNIST: what the files must hold ----------------------------------------

def _mnist_folder(root, folder, *, side=28, n_images=(3, 2), n_labels=(3, 2), labels=None):
    for split, n_img, n_lab in zip(("train", "t10k"), n_images, n_labels):
        _write(root / folder / f"{split}-images-idx3-ubyte.gz",
               idx_bytes(2051, (n_img, side, side), bytes(n_img * side * side)), True)
        values = bytes(labels if labels is not None else [i % 10 for i in range(n_lab)])
        _write(root / folder / f"{split}-labels-idx1-ubyte.gz", idx_bytes(2049, (n_lab,), values),
               True)


LOADERS = [(load_mnist, "mnist", "MNIST"), (load_fashion_mnist, "fashion-mnist", "Fashion-MNIST")]


@pytest.mark.parametrize("load, folder, name", LOADERS)
def test_well_formed_small_files_load(tmp_path, load, folder, name):
    _mnist_folder(tmp_path, folder)
    (X, y), (X_test, y_test) = load(data_dir=tmp_path)
    assert X.shape == (3, 28, 28) and y.tolist() == [0, 1, 2] and X_test.shape == (2, 28, 28)


@pytest.mark.parametrize("load, folder, name", LOADERS)
def test_images_that_are_not_28x28_are_refused(tmp_path, load, folder, name):
    _mnist_folder(tmp_path, folder, side=27)
    with pytest.raises(DataFormatError, match=rf"{name}: .*train-images.*\(3, 27, 27\).*28 x 28"):
        load(data_dir=tmp_path)


@pytest.mark.parametrize("load, folder, name", LOADERS)
def test_label_and_image_counts_must_agree(tmp_path, load, folder, name):
    _mnist_folder(tmp_path, folder, n_images=(3, 2), n_labels=(4, 2))
    with pytest.raises(DataFormatError, match=rf"{name} train: .* 3 images but .* 4 labels"):
        load(data_dir=tmp_path)


@pytest.mark.parametrize("load, folder, name", LOADERS)
def test_labels_outside_0_to_9_are_refused(tmp_path, load, folder, name):
    _mnist_folder(tmp_path, folder, labels=[1, 12, 3])
    with pytest.raises(DataFormatError, match=rf"{name}: .*train-labels.* 12 .*0 to 9"):
        load(data_dir=tmp_path)


# -- CSV files: name the file and the line ---------------------------------------------------

CAL_ROW = "-122.23,37.88,41.0,880.0,129.0,322.0,126.0,8.3252,452600.0"


def _california(root, lines):
    path = root / "california-housing" / "statlib" / "cal_housing.data"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("bad, problem", [
    ("-122.23,37.88,41.0,880.0,129.0,322.0,126.0,8.3252", "8 columns, expected 9"),
    ("-122.23,37.88,41.0,880.0,129.0,322.0,126.0,8.3252,452600.0,1", "10 columns, expected 9"),
    ("-122.23,37.88,forty,880.0,129.0,322.0,126.0,8.3252,452600.0", "column 3 'forty'"),
    ("-122.23,37.88,nan,880.0,129.0,322.0,126.0,8.3252,452600.0", "column 3 'nan'"),
])
def test_california_bad_row_names_the_file_and_the_line(tmp_path, bad, problem):
    path = _california(tmp_path, [CAL_ROW] * 4 + [bad] + [CAL_ROW] * 2)
    with pytest.raises(DataFormatError) as info:
        load_california_housing(data_dir=tmp_path)
    assert f"{path}, line 5: " in str(info.value) and problem in str(info.value)


def _iris_csv(root, rows, header="3,4,setosa,versicolor,virginica"):
    path = root / "iris" / "iris.csv"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


IRIS_ROWS = ["5.1,3.5,1.4,0.2,0", "7.0,3.2,4.7,1.4,1", "6.3,3.3,6.0,2.5,2"]


def test_iris_csv_well_formed_small_file_loads(tmp_path):
    _iris_csv(tmp_path, IRIS_ROWS)
    X, y = load_iris(data_dir=tmp_path, return_X_y=True)
    np.testing.assert_array_equal(y, [0, 1, 2])
    assert X.shape == (3, 4)


@pytest.mark.parametrize("line, problem", [
    ("7.0,3.2,4.7,1", "4 columns, expected 5"),
    ("7.0,3.2,4.7,1.4,1,9", "6 columns, expected 5"),
    ("7.0,3.2,,1.4,1", "column 3 ''"),
    ("7.0,3.2,4.7,1.4,versicolor", "column 5 'versicolor'"),
    ("7.0,3.2,4.7,1.4,7", "class 7"),
    ("7.0,3.2,4.7,1.4,1.5", "class 1.5"),
])
def test_iris_csv_bad_row_names_the_file_and_the_line(tmp_path, line, problem):
    path = _iris_csv(tmp_path, [IRIS_ROWS[0], line, IRIS_ROWS[2]])
    with pytest.raises(DataFormatError) as info:
        load_iris(data_dir=tmp_path)
    assert f"{path}, line 3: " in str(info.value) and problem in str(info.value)


@pytest.mark.parametrize("header", ["", "three,4,setosa,versicolor,virginica", "3"])
def test_iris_csv_bad_header_names_line_1(tmp_path, header):
    path = _iris_csv(tmp_path, IRIS_ROWS, header=header)
    with pytest.raises(DataFormatError, match=f"{path}, line 1: "):
        load_iris(data_dir=tmp_path)


def test_iris_csv_row_count_must_match_the_header(tmp_path):
    path = _iris_csv(tmp_path, IRIS_ROWS[:2])
    with pytest.raises(DataFormatError, match=f"{path}: header declares 3 rows, found 2"):
        load_iris(data_dir=tmp_path)


@pytest.mark.parametrize("line, problem", [
    ("7.0,3.2,4.7,one,Iris-versicolor", "column 4 'one'"),
    ("7.0,3.2,4.7,Iris-versicolor", "4 columns, expected 5"),
    ("7.0,3.2,4.7,1.4,Iris-rosea", "class 'Iris-rosea'"),
])
def test_iris_uci_bad_row_names_the_file_and_the_line(tmp_path, line, problem):
    path = tmp_path / "iris" / "iris.data"
    path.parent.mkdir(parents=True)
    path.write_text("5.1,3.5,1.4,0.2,Iris-setosa\n" + line + "\n")
    with pytest.raises(DataFormatError) as info:
        load_iris(data_dir=tmp_path)
    assert f"{path}, line 2: " in str(info.value) and problem in str(info.value)
