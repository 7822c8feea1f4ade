"""Outputs that never clobber: a new file appears whole or not at all, and what is not a file stays.

A target that is a regular file (or does not exist yet) is written to a temporary file beside it,
synced, and renamed over it, so a reader sees the old file or the new one, never half of one; the
mode of a file it replaces is kept, and a symbolic link is followed: the file it names is
replaced and the link kept (as shell redirection, cp and tee write through a link). A target that
exists and is not a regular file (/dev/null, /dev/full, a FIFO, /dev/stdout or another
/dev/fd/N) is written in place and never replaced: renaming over it would turn a device into a
file. "-" is standard output. Several outputs that belong together (dedupe's data and rejects)
are committed data first, rejects last, with SIGINT, SIGTERM and SIGHUP held off between the
renames and a failure there undoing the earlier ones (see `atomic_outputs`). Temporary files are
named .ftdata-*.tmp and removed on any failure or signal.
"""
from __future__ import annotations

import gzip
import os
import signal
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager
from typing import IO, Any, Iterable, Iterator

STDOUT = "-"
_PREFIX, _SUFFIX = ".ftdata-", ".tmp"
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class WriteError(OSError):
    """Writing an output failed: str() is one sentence naming the output (not a temporary file)."""

    def __init__(self, path: str, cause: BaseException) -> None:
        why = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
        super().__init__(getattr(cause, "errno", None), why, path)
        self.sentence = f"cannot write {describe(path)}: {why[:1].lower()}{why[1:]}"

    def __str__(self) -> str:
        return self.sentence


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP while outputs were being written: raised so that temporary files go."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


def describe(path: str) -> str:
    return "standard output" if path == STDOUT else repr(path)


class Output:
    """One output: `write` to it, then `finish` and `commit` (or `discard` on failure)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.in_place = path == STDOUT or _not_a_file(path)
        self.target = path if self.in_place else os.path.realpath(path)  # through a symbolic link
        self._raw: IO[bytes] | None = None
        self._stream: IO[bytes] | None = None  # what is written: _raw, or a gzip layer over it
        self._tmp: str | None = None
        self._backup: str | None = None  # the replaced file, kept until the whole set is committed
        self._created = False  # the commit made a file where none was

    def open(self) -> IO[bytes]:
        try:
            if self.in_place:
                self._raw = _open_in_place(self.path)
            else:
                with _signals_held():  # a signal between creating the file and naming it here would orphan it
                    fd, self._tmp = tempfile.mkstemp(prefix=_PREFIX, suffix=_SUFFIX, dir=os.path.dirname(self.target))
                    self._raw = os.fdopen(fd, "wb")
        except OSError as e:
            raise WriteError(self.path, e) from None
        gz = self.path.endswith(".gz") and self.path != STDOUT
        self._stream = gzip.GzipFile(fileobj=self._raw, mode="wb") if gz else self._raw  # type: ignore[assignment]
        return self._stream  # type: ignore[return-value]

    def write(self, data: bytes) -> None:
        """Write, naming the output in any error (a full disk, a closed pipe stays BrokenPipeError)."""
        try:
            self._stream.write(data)  # type: ignore[union-attr]
        except BrokenPipeError:
            raise
        except OSError as e:
            raise WriteError(self.path, e) from None

    def finish(self) -> None:
        """Everything written reaches the disk (or the device): gzip trailer, flush, fsync."""
        try:
            if self._stream is not self._raw:
                self._stream.close()  # type: ignore[union-attr]  # the gzip trailer; the file stays open
            raw = self._raw
            assert raw is not None
            raw.flush()
            if self._tmp is not None:
                os.fsync(raw.fileno())
                raw.close()
                os.chmod(self._tmp, _mode(self.target))
            elif raw not in (sys.stdout.buffer, sys.stderr.buffer):
                raw.close()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise WriteError(self.path, e) from None

    def commit(self, keep_backup: bool = False) -> None:
        """Rename the temporary file over the target and sync the folder; `keep_backup` keeps the
        replaced file (hard-linked) so that `rollback` can put it back."""
        if self._tmp is None:
            return
        try:
            if keep_backup and os.path.lexists(self.target):
                self._backup = _backup(self.target)
            self._created = not os.path.lexists(self.target)
            os.replace(self._tmp, self.target)
            self._tmp = None
            _sync_folder(self.target)
        except OSError as e:
            raise WriteError(self.path, e) from None

    def rollback(self) -> None:
        """Undo a commit: the replaced file back, or the new file gone if there was none."""
        try:
            if self._backup is not None:
                os.replace(self._backup, self.target)
                self._backup = None
            elif self._created:
                os.unlink(self.target)
            _sync_folder(self.target)
        except OSError:
            pass

    def discard(self) -> None:
        """Remove what is left: the temporary file and any backup; close an in-place stream."""
        for name in ("_tmp", "_backup"):
            path = getattr(self, name)
            if path is not None:
                try:
                    os.unlink(path)
                except OSError:
                    pass
                setattr(self, name, None)
        raw = self._raw
        if raw is not None and raw not in (sys.stdout.buffer, sys.stderr.buffer) and not raw.closed:
            try:
                raw.close()
            except OSError:
                pass


@contextmanager
def atomic_outputs(*paths: str) -> Iterator[tuple[Output, ...]]:
    """Outputs that appear together: each written through its Output, then committed in the
    order given (the data first, the rejects last). Signals are held off during the commit, and a
    failure there puts back the files already replaced, so a run leaves the old set or the new."""
    outputs = tuple(Output(p) for p in paths)
    done: list[Output] = []
    with _signals_raise():
        try:
            for o in outputs:
                o.open()
            yield outputs
            for o in outputs:
                o.finish()
            with _signals_held():
                try:
                    for i, o in enumerate(outputs):
                        o.commit(keep_backup=i < len(outputs) - 1)
                        done.append(o)
                except BaseException:
                    for o in reversed(done):
                        o.rollback()
                    raise
        finally:  # before a signal ends the process
            for o in outputs:
                o.discard()


@contextmanager
def atomic_writer(path: str) -> Iterator[IO[bytes]]:
    """A binary stream whose content appears at `path` only once fully written (gzip when the name
    ends in .gz); on error the target is untouched and the temporary file removed. See the module
    docstring for "-", devices, FIFOs and links."""
    with atomic_outputs(path) as (output,):
        yield output._stream  # type: ignore[misc]


def check_target(output: str, inputs: Iterable[str]) -> None:
    """Raise ValueError unless `output` can be written without touching any of `inputs` (the
    same file under another name or through a link counts): standard output, a device or FIFO,
    or a path in an existing folder."""
    if output == STDOUT:
        return
    if output == "":
        raise ValueError("an output path is empty: give a path, or - for standard output")
    for path in inputs:
        if path != "-" and same_file(path, output) and not is_device(output):
            raise ValueError(f"refusing to overwrite the input: output {output!r} is the input file {path!r}")
    if os.path.isdir(output):
        raise ValueError(f"cannot write {output!r}: it is a directory")
    if os.path.exists(output):
        return
    folder = os.path.dirname(os.path.realpath(output))
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ValueError(f"cannot write {output!r}: {folder!r} is not a folder")
    if not os.path.isdir(folder):
        raise ValueError(f"cannot write {output!r}: the folder {folder!r} does not exist")


def same_file(a: str, b: str) -> bool:
    """Do two paths name one existing file?"""
    try:
        return os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def in_place(path: str) -> bool:
    """Is `path` written in place (standard output, a device, a FIFO, a descriptor) rather than
    replaced by a new file?"""
    return path == STDOUT or _not_a_file(path)


def _not_a_file(path: str) -> bool:
    """An existing target that is not a regular file, or a name of an open descriptor
    (/dev/stdout, /dev/fd/N, /proc/self/fd/N), which is written in place even when it is a file."""
    if _names_descriptor(path):
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:  # missing, or a dangling link: a new file
        return False


def is_device(path: str) -> bool:
    """A character or block device (/dev/null): writing it clobbers nothing."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode)


def _names_descriptor(path: str) -> bool:
    """Does `path`, or a link it goes through, lie in /proc or /dev/fd (an open descriptor)?"""
    p = os.path.abspath(path)
    for _ in range(40):
        if p.startswith(("/proc/", "/dev/fd/")):
            return True
        if not os.path.islink(p):
            return False
        p = os.path.normpath(os.path.join(os.path.dirname(p), os.readlink(p)))
    return False


def _open_in_place(path: str) -> IO[bytes]:
    """The target itself: our standard output or error when it is that, else opened for writing."""
    if path == STDOUT:
        return sys.stdout.buffer
    try:
        st = os.stat(path)
        for stream in (sys.stdout, sys.stderr):
            fd = stream.fileno()
            other = os.fstat(fd)
            if (st.st_dev, st.st_ino) == (other.st_dev, other.st_ino) and _names_descriptor(path):
                stream.flush()
                return stream.buffer
    except (OSError, ValueError, AttributeError):  # no such stream (pythonw, a test harness)
        pass
    return open(path, "wb")


def _mode(target: str) -> int:
    """The permission bits of the file replaced, else those of a new file under the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _backup(target: str) -> str:
    """A hard link to the file about to be replaced, beside it (a copy where links are not allowed)."""
    fd, backup = tempfile.mkstemp(prefix=_PREFIX, suffix=_SUFFIX, dir=os.path.dirname(target))
    os.close(fd)
    os.unlink(backup)
    try:
        os.link(target, backup)
    except OSError:
        import shutil

        shutil.copy2(target, backup)
    return backup


def _sync_folder(target: str) -> None:
    """Make a rename durable: fsync the folder (not possible on every system: skipped there)."""
    try:
        fd = os.open(os.path.dirname(target) or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def _signals_raise() -> Iterator[None]:
    """While outputs are written, SIGTERM and SIGHUP raise Interrupted (as SIGINT raises
    KeyboardInterrupt), so that the temporary files are removed on the way out; the process
    then ends by the signal, as it would have."""
    if not _main_thread():
        yield
        return
    old: dict[int, Any] = {}
    for signum in _SIGNALS:
        if signum != signal.SIGINT and signal.getsignal(signum) is signal.SIG_DFL:
            old[signum] = signal.signal(signum, _raise)
    try:
        yield
    except Interrupted as e:
        for signum, handler in old.items():
            signal.signal(signum, handler)
        old.clear()
        os.kill(os.getpid(), e.signum)  # the default action: ends the process by the signal
        raise
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)


def _raise(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Signals that arrive during a commit wait until it is over, then act as they would have."""
    if not _main_thread():
        yield
        return
    pending: list[int] = []
    old = {s: signal.signal(s, lambda signum, frame: pending.append(signum))
           for s in _SIGNALS if signal.getsignal(s) is not None}  # None: a handler not set from Python
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        for s in pending[:1]:
            os.kill(os.getpid(), s)  # delivered now, by whatever handled it before
