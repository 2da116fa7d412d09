"""The SHA-256 digests pinned in the package are those of the real files
(``SHA256SUMS`` beside the shared data, computed from the published originals)."""

from __future__ import annotations

from autograd_core.datasets import mnist
from autograd_core.datasets.california_housing import CALIFORNIA_HOUSING_FILE


def _pinned():
    table = {CALIFORNIA_HOUSING_FILE.path: CALIFORNIA_HOUSING_FILE.sha256}
    for folder, files in (("mnist", mnist.MNIST_FILES),
                          ("fashion-mnist", mnist.FASHION_MNIST_FILES)):
        table.update({f"{folder}/{name}": digest for name, digest in files.items()})
    return table


def test_pinned_digests_match_the_shared_sha256sums(real_data):
    sums = real_data("SHA256SUMS") / "SHA256SUMS"
    published = {}
    for line in sums.read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        published[name.lstrip("*")] = digest
    pinned = _pinned()
    assert len(pinned) == 9
    for path, digest in pinned.items():
        assert published.get(path) == digest, path
