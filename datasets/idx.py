"""Reader for the IDX file format used by MNIST and Fashion-MNIST.

An IDX file starts with a 4-byte magic number ``0x00 0x00 <dtype> <ndim>``,
then ``ndim`` big-endian uint32 sizes, then the values in C order, big-endian.
Files may be gzip-compressed; compression is detected from the content, not
the file name.
"""

from __future__ import annotations

import gzip
import os
import zlib

import numpy as np

from ._errors import DataFormatError

IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
IMAGES_MAGIC = 2051  # uint8, 3 dimensions
LABELS_MAGIC = 2049  # uint8, 1 dimension
_GZIP_MAGIC = b"\x1f\x8b"


def _read_bytes(path) -> bytes:
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataFormatError(
            f"{os.fspath(path)}: corrupt gzip stream ({exc}). Delete the file and "
            f"download it again."
        ) from exc


def read_idx(path, expected_magic: int | None = None) -> np.ndarray:
    """Read an IDX file, gzipped or not.

    Parameters
    ----------
    path : path-like
        The ``*-idx?-ubyte`` or ``*-idx?-ubyte.gz`` file.
    expected_magic : int, optional
        If given, the magic number the file must have (2051 for images,
        2049 for labels).

    Returns
    -------
    numpy.ndarray
        Shape ``(d0, d1, ...)`` as declared in the header, native byte order,
        writable.

    Raises
    ------
    DataFormatError
        Bad magic number, unknown dtype code, corrupt gzip, or a byte count
        that does not match the declared sizes.  The message names the file.
    """
    name = os.fspath(path)
    buf = _read_bytes(path)
    if len(buf) < 4:
        raise DataFormatError(f"{name}: {len(buf)} bytes, too short for an IDX header")
    magic = int.from_bytes(buf[:4], "big")
    if expected_magic is not None and magic != expected_magic:
        raise DataFormatError(
            f"{name}: bad magic number {magic} (0x{magic:08x}), expected {expected_magic} "
            f"(0x{expected_magic:08x}); this is not the kind of IDX file expected"
        )
    zero, code, ndim = magic >> 16, (magic >> 8) & 0xFF, magic & 0xFF
    if zero != 0 or code not in IDX_DTYPES:
        raise DataFormatError(
            f"{name}: bad magic number {magic} (0x{magic:08x}); not an IDX file"
        )
    header = 4 + 4 * ndim
    if len(buf) < header:
        raise DataFormatError(
            f"{name}: truncated header: needs {header} bytes for {ndim} dimensions, "
            f"file has {len(buf)}"
        )
    shape = tuple(int.from_bytes(buf[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = IDX_DTYPES[code]
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(buf) != expected:
        problem = "truncated" if len(buf) < expected else "has trailing bytes"
        raise DataFormatError(
            f"{name}: {problem}: header declares shape {shape} of {dtype.name} "
            f"({expected} bytes with header), but the data is {len(buf)} bytes. "
            f"Delete the file and download it again."
        )
    data = np.frombuffer(buf, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="), copy=True)


def read_idx_images(path) -> np.ndarray:
    """Read an IDX image file (magic 2051).

    Returns
    -------
    numpy.ndarray of uint8, shape (n, rows, cols)
    """
    return read_idx(path, expected_magic=IMAGES_MAGIC)


def read_idx_labels(path) -> np.ndarray:
    """Read an IDX label file (magic 2049).

    Returns
    -------
    numpy.ndarray of int64, shape (n,)
    """
    return read_idx(path, expected_magic=LABELS_MAGIC).astype(np.int64)


def write_idx(path, array) -> None:
    """Write ``array`` as an uncompressed IDX file (gzip it if the name ends in ``.gz``).

    Parameters
    ----------
    path : path-like
    array : array_like, shape (d0, ...), dtype among uint8, int8, int16, int32, float32, float64
    """
    array = np.asarray(array)
    codes = {dt.newbyteorder("=").str[1:]: (code, dt) for code, dt in IDX_DTYPES.items()}
    key = array.dtype.newbyteorder("=").str[1:]
    if key not in codes:
        raise ValueError(f"write_idx: dtype {array.dtype} has no IDX code")
    code, dt = codes[key]
    header = bytes([0, 0, code, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape
    )
    payload = header + np.ascontiguousarray(array, dtype=dt).tobytes()
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(payload)
