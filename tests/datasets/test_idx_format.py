"""IDX parser on files the tests write byte by byte, including corrupt ones."""

import gzip
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_core.datasets import DataFormatError, read_idx, read_idx_images, read_idx_labels, write_idx


def idx_bytes(magic, shape, payload):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in shape) + payload


def write(path, content, gz=False):
    path.write_bytes(gzip.compress(content) if gz else content)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_images_and_labels_parse(tmp_path, gz):
    pixels = np.arange(2 * 3 * 4, dtype=np.uint8)
    suffix = ".gz" if gz else ""
    images = write(tmp_path / f"img-idx3-ubyte{suffix}",
                   idx_bytes(2051, (2, 3, 4), pixels.tobytes()), gz)
    labels = write(tmp_path / f"lab-idx1-ubyte{suffix}", idx_bytes(2049, (3,), bytes([7, 0, 9])), gz)

    X = read_idx_images(images)
    y = read_idx_labels(labels)

    assert X.shape == (2, 3, 4) and X.dtype == np.uint8
    assert X[1, 2, 3] == 23 and X[0, 0, 1] == 1  # C order
    assert y.dtype == np.int64 and y.tolist() == [7, 0, 9]
    assert X.flags.writeable


def test_gzip_detected_from_content_not_name(tmp_path):
    path = write(tmp_path / "labels-no-suffix", idx_bytes(2049, (2,), b"\x01\x02"), gz=True)
    assert read_idx_labels(path).tolist() == [1, 2]


def test_general_idx_big_endian_int32(tmp_path):
    values = np.array([[1, -2], [70000, 3]], dtype=">i4")
    path = write(tmp_path / "ints.idx", idx_bytes(0x0C02, (2, 2), values.tobytes()))
    out = read_idx(path)
    assert out.tolist() == [[1, -2], [70000, 3]]
    assert out.dtype == np.dtype(np.int32)  # native byte order


def test_bad_magic_names_file(tmp_path):
    path = write(tmp_path / "labels-idx1-ubyte", idx_bytes(2051, (1, 1, 1), b"\x00"))
    with pytest.raises(DataFormatError, match="labels-idx1-ubyte.*magic.*2051.*2049"):
        read_idx_labels(path)


def test_not_idx_at_all(tmp_path):
    path = write(tmp_path / "notes.txt", b"hello world, not idx")
    with pytest.raises(DataFormatError, match="notes.txt.*magic"):
        read_idx(path)


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_payload_names_file(tmp_path, gz):
    content = idx_bytes(2051, (10, 28, 28), bytes(10 * 28 * 28 - 5))
    path = write(tmp_path / "short-idx3-ubyte.gz", content, gz)
    with pytest.raises(DataFormatError, match=r"short-idx3-ubyte\.gz.*truncated.*\(10, 28, 28\)"):
        read_idx_images(path)


def test_truncated_header(tmp_path):
    path = write(tmp_path / "hdr", struct.pack(">I", 2051) + struct.pack(">I", 5))
    with pytest.raises(DataFormatError, match="hdr.*truncated header"):
        read_idx_images(path)


def test_trailing_bytes_rejected(tmp_path):
    path = write(tmp_path / "long", idx_bytes(2049, (2,), b"\x01\x02\x03"))
    with pytest.raises(DataFormatError, match="long.*trailing"):
        read_idx_labels(path)


def test_corrupt_gzip_names_file(tmp_path):
    good = gzip.compress(idx_bytes(2049, (100,), bytes(range(100))))
    corrupt = bytearray(good)
    corrupt[20:30] = b"\xff" * 10  # damage the deflate stream
    path = tmp_path / "bad-labels.gz"
    path.write_bytes(bytes(corrupt))
    with pytest.raises(DataFormatError, match="bad-labels.gz.*gzip"):
        read_idx_labels(path)


def test_cut_off_gzip_names_file(tmp_path):
    good = gzip.compress(idx_bytes(2049, (1000,), bytes(1000)))
    path = tmp_path / "cut.gz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(DataFormatError, match="cut.gz.*gzip"):
        read_idx_labels(path)


@settings(max_examples=25, deadline=None)
@given(
    array=hnp.arrays(
        dtype=st.sampled_from([np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]),
        shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4),
    ),
    gz=st.booleans(),
)
def test_write_read_round_trip(tmp_path_factory, array, gz):
    path = tmp_path_factory.mktemp("idx") / ("a.idx.gz" if gz else "a.idx")
    write_idx(path, array)
    out = read_idx(path)
    assert out.shape == array.shape and out.dtype == array.dtype
    np.testing.assert_array_equal(out, array)


@pytest.mark.parametrize("gz", [False, True])
def test_images_converted_to_float_while_reading(tmp_path, gz, monkeypatch):
    from autograd_core.datasets import idx as idx

    monkeypatch.setattr(idx, "_CHUNK", 7)  # many chunks, and ones that end mid-image
    pixels = np.arange(3 * 5 * 4, dtype=np.uint8) * 4
    path = write(tmp_path / "img", idx_bytes(2051, (3, 5, 4), pixels.tobytes()), gz)
    X = read_idx_images(path, dtype="float32")
    assert X.shape == (3, 5, 4) and X.dtype == np.float32 and X.flags.writeable
    np.testing.assert_array_equal(X.ravel(), (pixels / 255.0).astype(np.float32))
    assert X.max() <= 1.0
    # the same checks as the uint8 path: a short or long payload names the file
    short = write(tmp_path / "short", idx_bytes(2051, (3, 5, 4), pixels.tobytes()[:-9]), gz)
    with pytest.raises(DataFormatError, match=r"short: truncated"):
        read_idx_images(short, dtype="float32")
    long = write(tmp_path / "long", idx_bytes(2051, (3, 5, 4), pixels.tobytes() + b"\0"), gz)
    with pytest.raises(DataFormatError, match=r"long: has trailing bytes"):
        read_idx_images(long, dtype="float32")


def test_general_idx_converted_with_scale(tmp_path):
    values = np.array([[-3, 70000], [5, -1]], dtype=">i4")
    path = write(tmp_path / "ints", idx_bytes(0x0C02, (2, 2), values.tobytes()), False)
    out = read_idx(path, dtype=np.float64, scale=0.5)
    np.testing.assert_array_equal(out, [[-1.5, 35000.0], [2.5, -0.5]])
