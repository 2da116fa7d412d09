"""Exceptions raised by the ``datasets`` package.

Every error names the file involved and says what to do about it.
"""


class DatasetError(OSError):
    """Base class for every error raised while locating, fetching or parsing data."""


class DataFileNotFoundError(DatasetError, FileNotFoundError):
    """A data file is in none of the places searched and was not downloaded."""


class ChecksumError(DatasetError):
    """A downloaded file does not have the expected SHA-256 digest."""


class DataFormatError(DatasetError, ValueError):
    """A data file exists but its contents are malformed (bad magic, truncated, corrupt)."""
