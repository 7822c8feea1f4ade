"""Atomic output: write to a temporary file beside the target, then rename over it."""
from __future__ import annotations

import gzip
import os
import tempfile
from contextlib import contextmanager
from typing import IO, Iterable, Iterator


@contextmanager
def atomic_writer(path: str) -> Iterator[IO[bytes]]:
    """A binary file that appears at `path` only once fully written (gzip when the name ends in
    .gz); on error the target is untouched and the temporary file removed."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".ftdata-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as raw:
            if path.endswith(".gz"):
                with gzip.GzipFile(fileobj=raw, mode="wb") as gz:
                    yield gz  # type: ignore[misc]
            else:
                yield raw
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a normal file follows the umask
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def check_target(output: str, inputs: Iterable[str]) -> None:
    """Raise ValueError unless `output` can be written without touching any of `inputs` (the
    same file under another name or through a link counts): a writable path in an existing folder."""
    for path in inputs:
        if path != "-" and same_file(path, output):
            raise ValueError(f"refusing to overwrite the input: output {output!r} is the input file {path!r}")
    if os.path.isdir(output):
        raise ValueError(f"cannot write {output!r}: it is a directory")
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise ValueError(f"cannot write {output!r}: the folder {folder!r} does not exist")


def same_file(a: str, b: str) -> bool:
    """Do two paths name one existing file?"""
    try:
        return os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
