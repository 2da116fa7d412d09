"""A save killed mid-write leaves a temporary; the next save to the same path removes it.

The crash is real: a child process starts ``nn.save`` and SIGKILLs itself halfway through
writing.  Nothing but that target's temporaries of dead processes is ever removed.
"""

import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import nn
from autograd_core._tempfiles import remove_stale_temporaries, temporary_beside

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="stale temporaries are found by PID")

CRASHING_SAVE = textwrap.dedent("""
    import os, signal, sys
    import numpy
    import autograd_core as ag
    from autograd_core import nn

    path, value = sys.argv[1], float(sys.argv[2])

    def half_written_then_killed(f, **arrays):
        f.write(b"PK\\x03\\x04 half of a zip")
        f.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    numpy.savez = half_written_then_killed
    nn.save({"w": ag.tensor([value])}, path)
""")


def _crash_while_saving(path, value, suffix=".npz"):
    done = subprocess.run([sys.executable, "-c", CRASHING_SAVE, str(path), str(value)],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    return _temporaries(path)


def _temporaries(path):
    return sorted(p.name for p in Path(path).parent.iterdir() if ".tmp-" in p.name)


def _dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _host():
    import re
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname())[:32] or "host"


def test_a_killed_save_leaves_the_real_file_and_the_next_save_removes_its_temporary(tmp_path):
    path = tmp_path / "model.npz"
    nn.save({"w": ag.tensor([1.0])}, path)
    stale = _crash_while_saving(path, 2.0)
    assert len(stale) == 1 and stale[0].startswith(".model.npz.tmp-")  # names its target
    np.testing.assert_array_equal(nn.load(path)["w"].numpy(), [1.0])  # never half-written

    nn.save({"w": ag.tensor([3.0])}, path)
    assert _temporaries(path) == []
    np.testing.assert_array_equal(nn.load(path)["w"].numpy(), [3.0])


def test_a_killed_first_save_leaves_no_file_and_the_next_save_cleans_up(tmp_path):
    path = tmp_path / "first.npz"
    assert len(_crash_while_saving(path, 2.0)) == 1 and not path.exists()
    nn.save({"w": ag.tensor([4.0])}, path)
    assert _temporaries(path) == [] and path.exists()


def test_the_safetensors_writer_cleans_up_the_same_way(tmp_path):
    from autograd_core.nn.serialization import _write_atomically  # the .safetensors path's

    path = tmp_path / "m.safetensors"
    fd, name = temporary_beside(path, ".safetensors")
    os.close(fd)
    dead = Path(name).with_name(Path(name).name.replace(f".{os.getpid()}.", f".{_dead_pid()}."))
    os.replace(name, dead)
    _write_atomically(path, ".safetensors", lambda f: f.write(b"bytes"))
    assert _temporaries(path) == [] and path.read_bytes() == b"bytes"


def test_only_dead_writers_temporaries_of_this_target_and_host_are_removed(tmp_path):
    target = tmp_path / "model.npz"
    target.write_bytes(b"the user's real file")
    dead, host = _dead_pid(), _host()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        names = {
            "stale": f".model.npz.tmp-{host}.{dead}.abcd_123.npz",
            "live process": f".model.npz.tmp-{host}.{live.pid}.abcd_123.npz",
            "this process": f".model.npz.tmp-{host}.{os.getpid()}.abcd_123.npz",
            "other host": f".model.npz.tmp-elsewhere.{dead}.abcd_123.npz",
            "other target": f".model2.npz.tmp-{host}.{dead}.abcd_123.npz",
            "other suffix": f".model.npz.tmp-{host}.{dead}.abcd_123.txt",
            "not our pattern": f".model.npz.tmp-{host}.{dead}.notes.npz",
            "old format": ".tmp-abcd_123.npz",
            "backup": "model.npz.bak",
        }
        for name in names.values():
            (tmp_path / name).write_bytes(b"x")
        removed = remove_stale_temporaries(target, ".npz")
        assert [Path(p).name for p in removed] == [names["stale"]]
        left = {p.name for p in tmp_path.iterdir()}
        assert left == {"model.npz", *names.values()} - {names["stale"]}
        assert target.read_bytes() == b"the user's real file"
    finally:
        live.kill()
        live.wait()


def test_a_directory_named_like_a_temporary_is_not_removed(tmp_path):
    target = tmp_path / "model.npz"
    odd = tmp_path / f".model.npz.tmp-{_host()}.{_dead_pid()}.abcd_123.npz"
    odd.mkdir()
    assert remove_stale_temporaries(target, ".npz") == [] and odd.is_dir()


def test_a_very_long_target_name_still_gets_a_temporary_and_cleanup(tmp_path):
    path = tmp_path / ("m" * 200 + ".npz")
    nn.save({"w": ag.tensor([1.0])}, path)
    fd, name = temporary_beside(path, ".npz")
    os.close(fd)
    dead = Path(name).with_name(Path(name).name.replace(f".{os.getpid()}.", f".{_dead_pid()}."))
    os.replace(name, dead)
    nn.save({"w": ag.tensor([2.0])}, path)
    assert _temporaries(path) == []
    np.testing.assert_array_equal(nn.load(path)["w"].numpy(), [2.0])


def test_a_killed_download_part_file_is_removed_by_the_next_download(tmp_path):
    from autograd_core.datasets import download
    from autograd_core.datasets._files import sha256_of

    source = tmp_path / "src.bin"
    source.write_bytes(b"data")
    dest = tmp_path / "out" / "file.bin"
    dest.parent.mkdir()
    fd, name = temporary_beside(dest, ".part")
    os.close(fd)
    dead = Path(name).with_name(Path(name).name.replace(f".{os.getpid()}.", f".{_dead_pid()}."))
    os.replace(name, dead)
    download(source.as_uri(), dest, sha256_of(source))
    assert sorted(p.name for p in dest.parent.iterdir()) == ["file.bin"]
