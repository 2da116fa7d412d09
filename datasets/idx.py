"""Reader for the IDX file format used by MNIST and Fashion-MNIST.

An IDX file starts with a 4-byte magic number ``0x00 0x00 <dtype> <ndim>``,
then ``ndim`` big-endian uint32 sizes, then the values in C order, big-endian.
Files may be gzip-compressed; compression is detected from the content, not
the file name.
"""

from __future__ import annotations

import gzip
import math
import os
import zlib

import numpy as np

from ._errors import DataFormatError

IDX_DTYPES: dict[int, np.dtype] = {
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
_CHUNK = 1 << 20  # bytes decompressed per read
# deflate expands at most 1032:1 (RFC 1951's longest match from a 258-byte code), so a
# gzip file of n bytes holds at most this many times n bytes of data
_MAX_DEFLATE_RATIO = 1032


def _is_gzip(path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == _GZIP_MAGIC


def _corrupt(name, exc):
    problem = "truncated gzip stream" if isinstance(exc, EOFError) else "corrupt gzip stream"
    return DataFormatError(
        f"{name}: {problem} ({exc}). Delete the file and download it again."
    )


def _check_declared_size(name, shape, dtype, declared, file_size, compressed):
    """Refuse a header whose sizes the file cannot hold, before anything is allocated."""
    what = f"header declares shape {shape} of {dtype.name}: {declared} bytes with the header"
    if not compressed and declared != file_size:
        problem = "truncated" if declared > file_size else "has trailing bytes"
        raise DataFormatError(f"{name}: {problem}: {what}, but the file is {file_size} bytes. "
                              "Delete the file and download it again.")
    if compressed and declared > _MAX_DEFLATE_RATIO * file_size:
        raise DataFormatError(
            f"{name}: truncated or corrupt: {what}, more than a gzip file of {file_size} "
            f"bytes can hold (at most {_MAX_DEFLATE_RATIO * file_size} bytes decompressed). "
            "Delete the file and download it again.")


def read_idx(path, expected_magic: int | None = None, *, dtype=None,
             scale: float = 1.0) -> np.ndarray:
    """Read an IDX file, gzipped or not.

    The values are decompressed straight into the returned array, so reading
    never holds a second copy of the data.  With ``dtype`` the values are
    converted (times ``scale``) chunk by chunk as they are read, so a float copy
    of the images never coexists with the file's uint8 values.

    Parameters
    ----------
    path : path-like
        The ``*-idx?-ubyte`` or ``*-idx?-ubyte.gz`` file.
    expected_magic : int, optional
        If given, the magic number the file must have (2051 for images,
        2049 for labels).
    dtype : numpy dtype, optional
        Return this dtype instead of the file's (e.g. ``float32``).
    scale : float
        Multiply the values by this while converting (only with ``dtype``;
        ``1 / 255`` maps pixels to [0, 1]).

    Returns
    -------
    numpy.ndarray
        Shape ``(d0, d1, ...)`` as declared in the header, native byte order
        (or ``dtype``), writable.

    Raises
    ------
    DataFormatError
        Bad magic number, unknown dtype code, corrupt gzip, or a byte count
        that does not match the declared sizes.  The message names the file.
    """
    name = os.fspath(path)
    compressed = _is_gzip(path)
    try:
        with (gzip.open if compressed else open)(path, "rb") as f:
            sizes = os.path.getsize(path), compressed
            return _read_idx_stream(f, name, expected_magic, dtype, scale, sizes)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise _corrupt(name, exc) from exc


def _read_idx_stream(f, name, expected_magic, out_dtype=None, scale=1.0, sizes=None):
    head = f.read(4)  # buffered reads return all n bytes unless the file ends
    if len(head) < 4:
        raise DataFormatError(f"{name}: {len(head)} bytes, too short for an IDX header")
    magic = int.from_bytes(head, "big")
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
    dims = f.read(4 * ndim)
    if len(dims) < 4 * ndim:
        raise DataFormatError(
            f"{name}: truncated header: needs {header} bytes for {ndim} dimensions, "
            f"file has {4 + len(dims)}"
        )
    shape = tuple(int.from_bytes(dims[4 * i: 4 * i + 4], "big") for i in range(ndim))
    dtype = IDX_DTYPES[code]
    expected = header + math.prod(shape) * dtype.itemsize
    if sizes is not None:
        _check_declared_size(name, shape, dtype, expected, *sizes)
    if out_dtype is None:
        data = np.empty(shape, dtype=dtype)
        got, total = _read_into(f, data), data.nbytes
    else:
        data = np.empty(shape, dtype=out_dtype)
        got, total = _read_converted(f, data, dtype, scale), data.size * dtype.itemsize
    trailing = f.read(1)
    if got < total or trailing:
        size = header + got + len(trailing) + (len(f.read()) if trailing else 0)
        problem = "truncated" if got < total else "has trailing bytes"
        raise DataFormatError(
            f"{name}: {problem}: header declares shape {shape} of {dtype.name}: {expected} "
            f"bytes with the header, but the {'decompressed ' if sizes and sizes[1] else ''}data "
            f"is {size} bytes. "
            f"Delete the file and download it again."
        )
    if out_dtype is not None:
        return data
    native = dtype.newbyteorder("=")
    return data if native == dtype else data.astype(native)


def _read_into(f, data):
    """Fill ``data``'s bytes from ``f``; return how many bytes were read."""
    view = memoryview(data).cast("B") if data.size else memoryview(b"")
    got = 0
    while got < len(view):  # in chunks: gzip's readinto decompresses into a temporary
        n = f.readinto(view[got:got + _CHUNK])
        if not n:
            break
        got += n
    return got


def _read_converted(f, out, file_dtype, scale):
    """Fill ``out`` with ``f``'s values (``file_dtype``) times ``scale``; return bytes read."""
    flat = out.reshape(-1)
    step = max(1, _CHUNK // file_dtype.itemsize)
    buffer = np.empty(step, dtype=file_dtype)
    done = got = 0
    while done < flat.size:
        count = min(step, flat.size - done)
        n = _read_into(f, buffer[:count])
        got += n
        whole = n // file_dtype.itemsize
        np.multiply(buffer[:whole], scale, out=flat[done:done + whole], casting="unsafe")
        done += whole
        if n < count * file_dtype.itemsize:
            break
    return got


def read_idx_images(path, dtype=None) -> np.ndarray:
    """Read an IDX image file (magic 2051).

    Parameters
    ----------
    path : path-like
    dtype : float dtype, optional
        Return pixels scaled to [0, 1] in this dtype (converted while reading)
        instead of uint8 values 0-255.

    Returns
    -------
    numpy.ndarray of uint8 (or ``dtype``), shape (n, rows, cols)
    """
    if dtype is None:
        return read_idx(path, expected_magic=IMAGES_MAGIC)
    return read_idx(path, expected_magic=IMAGES_MAGIC, dtype=dtype, scale=1.0 / 255.0)


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
