"""Outputs that never clobber (issue 14, defects 2, 6, 7, 9): a device, FIFO or descriptor is
written in place and never replaced, `-o -` is standard output, a link is followed, dedupe's data
and rejects appear together or not at all, kept records keep their bytes in every container, the
rejects file is strict JSON Lines, and every IO error is one sentence naming the path.

Device nodes are made in a temporary folder (never /dev itself), and skipped where not permitted."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from ftdata.curate import atomic
from ftdata.curate.atomic import Output, WriteError, atomic_outputs, atomic_writer
from ftdata.curate.dedupe import dedupe, rejects_path
from independent import chat_record as rec
from independent import cli, needs_datasets, DATASETS, write_jsonl

ROWS = [
    rec("How do I reset my password on the mobile app?", "Open Settings, tap Security, then Reset password."),
    rec("What currencies can I hold in my account?", "Pounds, euros and US dollars, switchable any time in the app."),
    rec("Can I freeze my card if I misplaced it?", "Yes. Tap your card in the app and choose Freeze."),
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _temps(folder: Path) -> list[str]:
    return sorted(p for p in os.listdir(folder) if p.startswith(".ftdata-"))


def _sample(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "in.jsonl", [ROWS[0], ROWS[1], ROWS[0], ROWS[2], ROWS[1]])


def _node(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7), in a temporary folder."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except (PermissionError, AttributeError, OSError) as e:
        pytest.skip(f"cannot make a device node here: {e}")
    return path


def _is_char_device(path: Path) -> bool:
    return stat.S_ISCHR(os.lstat(path).st_mode)


# -- devices, FIFOs, descriptors and standard output are written in place --------------------------------
def test_a_null_device_stays_a_device_for_every_command(tmp_path: Path) -> None:
    null, null2 = _node(tmp_path, "null", 3), _node(tmp_path, "null2", 3)
    src = _sample(tmp_path)
    before = _digest(src)
    code, out, err = cli("lint", src, "--isolated", "--jobs", "1", "-o", null)
    assert code in (0, 1) and out == "", err
    code, _, err = cli("lint", src, "--isolated", "--jobs", "1", "--fix", "--fix-output", null)
    assert code in (0, 1) and "wrote" in err
    code, _, err = cli("dedupe", src, "-o", null, "--rejects", null2)
    assert code == 0, err
    code, _, err = cli("dedupe", src, "-o", null, "--rejects", null)  # both discarded
    assert code == 0, err
    assert _is_char_device(null) and _is_char_device(null2)
    assert _digest(src) == before and _temps(tmp_path) == []


def test_a_full_device_is_exit_2_naming_it(tmp_path: Path) -> None:
    full = _node(tmp_path, "full", 7)
    src = _sample(tmp_path)
    code, out, err = cli("lint", src, "--isolated", "--jobs", "1", "-o", full)
    assert code == 2 and err.startswith("ftdata: error: cannot write") and str(full) in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    code, _, err = cli("dedupe", src, "-o", tmp_path / "o.jsonl", "--rejects", full)
    assert code == 2 and str(full) in err and len(err.splitlines()) == 1
    code, _, err = cli("lint", src, "--isolated", "--jobs", "1", "--fix", "--fix-output", full, "-o", tmp_path / "r.txt")
    assert code == 2 and err.splitlines()[-1] == f"ftdata: error: cannot write {str(full)!r}: no space left on device"
    assert not (tmp_path / "o.jsonl").exists()  # the data is not committed without its rejects
    assert _is_char_device(full) and _temps(tmp_path) == []


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    src = _sample(tmp_path)
    code, _, err = cli("lint", src, "--isolated", "--jobs", "1", "--format", "json", "-o", fifo)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert code in (0, 1), err
    assert got and json.loads(got[0])["summary"]["examples"] == 5
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and _temps(tmp_path) == []


def test_a_link_to_a_descriptor_writes_standard_output(tmp_path: Path) -> None:
    """As /dev/stdout is: the link stays a link, the report comes out of the process's stdout."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    if not os.path.exists("/proc/self/fd/1"):
        pytest.skip("no /proc")
    src = _sample(tmp_path)
    run = subprocess.run([sys.executable, "-m", "ftdata.cli", "lint", str(src), "--isolated", "--jobs", "1",
                          "--format", "json", "-o", str(link)], capture_output=True, check=False)
    assert run.returncode in (0, 1), run.stderr
    assert json.loads(run.stdout)["summary"]["examples"] == 5
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1" and _temps(tmp_path) == []


def test_dash_is_standard_output_for_dedupe_and_fix(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    code, out, err = cli("dedupe", src, "-o", "-", "--rejects", tmp_path / "r.jsonl")
    assert code == 0, err
    assert [json.loads(x) for x in out.splitlines()] == ROWS
    assert "kept 3 of 5 records in standard output" in err  # the summary stays off the data
    assert [json.loads(x)["record_index"] for x in (tmp_path / "r.jsonl").read_text().splitlines()] == [2, 4]
    code, out, err = cli("dedupe", src, "-o", "-")
    assert code == 2 and "--rejects" in err and out == "" and len(err.splitlines()) == 1
    code, out, err = cli("dedupe", src, "-o", tmp_path / "x.jsonl", "--rejects", tmp_path / "." / "x.jsonl")
    assert code == 2 and "both go to" in err and not (tmp_path / "x.jsonl").exists()
    code, out, err = cli("lint", src, "--isolated", "--jobs", "1", "--fix", "--fix-output", "-",
                         "-o", tmp_path / "report.json", "--format", "json")
    assert code in (0, 1), err
    assert [json.loads(x) for x in out.splitlines()] == [ROWS[0], ROWS[1], ROWS[0], ROWS[2], ROWS[1]]
    code, out, err = cli("lint", src, "--isolated", "--fix", "--fix-output", "-")
    assert code == 2 and out == "" and "-o PATH" in err


# -- regular files: replaced atomically, through links, keeping the mode ------------------------------
def test_a_link_to_a_file_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "data" / "out.jsonl"
    real.parent.mkdir()
    real.write_bytes(b"old\n")
    real.chmod(0o640)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real)
    src = _sample(tmp_path)
    dedupe(str(src), str(link))
    assert link.is_symlink() and len(real.read_bytes().splitlines()) == 3
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the mode of the file replaced
    assert _temps(tmp_path) == [] and _temps(real.parent) == []


def test_the_mode_of_a_replaced_file_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_bytes(b"old")
    out.chmod(0o600)
    with atomic_writer(str(out)) as f:
        f.write(b"new")
    assert out.read_bytes() == b"new" and stat.S_IMODE(out.stat().st_mode) == 0o600


# -- dedupe's pair: data first, rejects last, never one without the other ------------------------------
def _old_pair(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"old data\n")
    Path(rejects_path(str(out))).write_bytes(b"old rejects\n")
    return out, b"old data\n", b"old rejects\n"


def test_a_failure_between_the_renames_leaves_the_old_pair(tmp_path: Path, monkeypatch: Any) -> None:
    src = _sample(tmp_path)
    out, data, rejected = _old_pair(tmp_path)
    commit = Output.commit
    calls: list[str] = []

    def failing(self: Output, keep_backup: bool = False) -> None:
        calls.append(self.path)
        if len(calls) == 2:  # the data is in place; the rejects rename fails
            raise OSError(28, "No space left on device")
        commit(self, keep_backup)

    monkeypatch.setattr(Output, "commit", failing)
    with pytest.raises(OSError):
        dedupe(str(src), str(out))
    assert calls == [str(out), rejects_path(str(out))]  # the data first, the rejects last
    assert out.read_bytes() == data and Path(rejects_path(str(out))).read_bytes() == rejected
    assert _temps(tmp_path) == []
    out.unlink()
    Path(rejects_path(str(out))).unlink()
    calls.clear()
    with pytest.raises(OSError):
        dedupe(str(src), str(out))
    assert not out.exists() and not Path(rejects_path(str(out))).exists() and _temps(tmp_path) == []


def test_a_failure_while_writing_leaves_no_temporary_file(tmp_path: Path, monkeypatch: Any) -> None:
    src = _sample(tmp_path)
    out, data, rejected = _old_pair(tmp_path)
    write = Output.write

    def failing(self: Output, chunk: bytes) -> None:
        if self.path.endswith(".rejects.jsonl"):
            raise WriteError(self.path, OSError(28, "No space left on device"))
        write(self, chunk)

    monkeypatch.setattr(Output, "write", failing)
    with pytest.raises(WriteError, match="rejects.jsonl"):
        dedupe(str(src), str(out))
    assert out.read_bytes() == data and Path(rejects_path(str(out))).read_bytes() == rejected
    assert _temps(tmp_path) == []


SLOW_DEDUPE = """
import sys, time
from ftdata.curate.atomic import Output
write = Output.write
def slow(self, data):
    time.sleep(0.002)
    write(self, data)
Output.write = slow
from ftdata.cli import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_real_interrupt_leaves_the_old_pair_or_the_new_one(tmp_path: Path, signum: int) -> None:
    """dedupe in a subprocess (its writes slowed so that the signal lands mid-write), interrupted as
    soon as its temporary files appear: the old pair stays, whole, and no temporary file is left."""
    rows = [rec(f"Question number {i} about the account?", f"Answer number {i}, with some words.") for i in range(400)]
    src = write_jsonl(tmp_path / "in.jsonl", rows + rows[:100])
    before = _digest(src)
    out, data, rejected = _old_pair(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_DEDUPE, "dedupe", str(src), "-o", str(out), "--exact-only"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = False
    for _ in range(60000):  # until the temporary files appear (or the run ends)
        if proc.poll() is not None:
            break
        if len(_temps(tmp_path)) >= 2:
            seen = True
            proc.send_signal(signum)
            break
        time.sleep(0.001)
    proc.wait(timeout=120)
    assert seen, proc.stderr.read() if proc.stderr else ""
    assert proc.returncode != 0
    assert out.read_bytes() == data and Path(rejects_path(str(out))).read_bytes() == rejected
    assert _temps(tmp_path) == [] and _digest(src) == before


def test_signals_during_the_commit_wait_for_it(tmp_path: Path, monkeypatch: Any) -> None:
    """A SIGINT between the two renames is held until both are done: the new pair, whole."""
    src = _sample(tmp_path)
    out, _, _ = _old_pair(tmp_path)
    commit = Output.commit

    def interrupted(self: Output, keep_backup: bool = False) -> None:
        commit(self, keep_backup)
        if keep_backup:  # after the data's rename
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(Output, "commit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        dedupe(str(src), str(out))
    kept = out.read_bytes().splitlines()
    rejected = Path(rejects_path(str(out))).read_bytes().splitlines()
    assert len(kept) == 3 and [json.loads(x)["record_index"] for x in rejected] == [2, 4]
    assert _temps(tmp_path) == []


# -- kept bytes and strict rejects ----------------------------------------------------------------
def _element(text: str, answer: str) -> bytes:
    return json.dumps({"instruction": text, "input": "", "output": answer}, ensure_ascii=False).encode()


HOSTILE = [  # (element bytes, separator before the next): invalid UTF-8, a lone surrogate, CRLF, odd spacing
    (b'{"instruction": "Translate \xff\xfe this", "input": "", "output": "Caf\xc3 broken"}', b" ,\r\n\t"),
    (b'{"instruction":"Lone \\ud800 surrogate","input":"","output":"kept \\u00e9 as written"}', b",  "),
    (b'{\r\n    "instruction": "Summarise the refund policy.",\r\n    "input": "",\r\n    '
     b'"output": "Thirty days, with a receipt."\r\n  }', b",\r\n  "),
]


def _array(elements: list[bytes], seps: list[bytes], bom: bool = True) -> bytes:
    body = b"".join(e + (s if i < len(elements) - 1 else b"") for i, (e, s) in enumerate(zip(elements, seps)))
    return (b"\xef\xbb\xbf" if bom else b"") + b"[\r\n  " + body + b"\r\n]\r\n"


def test_kept_records_of_a_json_array_keep_their_bytes(tmp_path: Path) -> None:
    elements = [e for e, _ in HOSTILE] * 2  # each a second time: the copies go
    seps = [s for _, s in HOSTILE] * 2
    src = tmp_path / "in.json"
    src.write_bytes(_array(elements, seps))
    before = _digest(src)
    result = dedupe(str(src), str(tmp_path / "out.json"))
    assert sorted(d.record_index for d in result.dropped) == [3, 4, 5]
    assert (tmp_path / "out.json").read_bytes() == _array(elements[:3], seps[:3])
    assert _digest(src) == before
    rejects = _strict_lines(Path(rejects_path(str(tmp_path / "out.json"))))
    assert [r["record_index"] for r in rejects] == [3, 4, 5]
    assert [r["escaped"] for r in rejects] == [True, True, False]  # invalid UTF-8, a lone surrogate, clean
    assert [base64.b64decode(r["raw_base64"]) for r in rejects[:2]] == elements[3:5]  # the exact bytes
    assert rejects[2]["record"] == json.loads(elements[5]) and "raw_base64" not in rejects[2]


def test_dropping_first_and_last_elements_keeps_the_rest_byte_for_byte(tmp_path: Path) -> None:
    a, b, c = (_element(f"Question {i}?", f"Answer {i}.") for i in range(3))
    src = tmp_path / "in.json"
    src.write_bytes(b"[" + a + b",\n" + b + b" , " + a + b",\n\n" + c + b",\n" + c + b"]")
    dedupe(str(src), str(tmp_path / "o.json"), keep="first")
    assert (tmp_path / "o.json").read_bytes() == b"[" + a + b",\n" + b + b",\n\n" + c + b"]"
    only = tmp_path / "one.json"
    only.write_bytes(b"[\n  " + a + b",\n  " + a + b"\n]\n")
    dedupe(str(only), str(tmp_path / "o1.json"))
    assert (tmp_path / "o1.json").read_bytes() == b"[\n  " + a + b"\n]\n"


def test_a_gzipped_array_keeps_its_bytes(tmp_path: Path) -> None:
    elements = [e for e, _ in HOSTILE] + [HOSTILE[0][0]]
    seps = [s for _, s in HOSTILE] + [b""]
    src = tmp_path / "in.json.gz"
    src.write_bytes(gzip.compress(_array(elements, seps)))
    dedupe(str(src), str(tmp_path / "out.json.gz"))
    assert gzip.decompress((tmp_path / "out.json.gz").read_bytes()) == _array(elements[:3], seps[:3])


def _strict_lines(path: Path) -> list[dict[str, Any]]:
    """Every line parsed as strict JSON: UTF-8, no NaN or infinity, no lone surrogate."""
    def refuse(name: str) -> None:
        raise ValueError(name)

    out = []
    for raw in path.read_bytes().splitlines():
        value = json.loads(raw.decode("utf-8", "strict"), parse_constant=refuse)
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in json.dumps(value, ensure_ascii=False))
        out.append(value)
    return out


def test_rejects_of_json_lines_are_strict_and_recoverable(tmp_path: Path) -> None:
    lines = [b'{"messages": [{"role": "user", "content": "Caf\xe9?"}, {"role": "assistant", "content": "Oui."}]}',
             b'{"messages": [{"role": "user", "content": "Pi?"}, {"role": "assistant", "content": "\\ud83d"}], '
             b'"n": NaN}',
             b'{"messages": [{"role": "user", "content": "Plain?"}, {"role": "assistant", "content": "Yes."}]}']
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\r\n".join(lines + lines) + b"\r\n")
    before = _digest(src)
    out = tmp_path / "o.jsonl"
    result = dedupe(str(src), str(out))
    assert result.records == 6 and result.kept + len(result.dropped) == 6
    assert out.read_bytes() == b"\r\n".join(lines) + b"\r\n"  # kept lines byte for byte, CRLF included
    rejects = _strict_lines(Path(rejects_path(str(out))))
    assert [r["record_index"] for r in rejects] == [3, 4, 5] and [r["line"] for r in rejects] == [4, 5, 6]
    assert [r["escaped"] for r in rejects] == [True, True, False]
    assert [base64.b64decode(r["raw_base64"]) for r in rejects[:2]] == lines[:2]
    assert rejects[0]["record"]["messages"][0]["content"] == "Caf\ufffd?"  # as lint reads it
    assert rejects[2]["record"] == json.loads(lines[2]) and "raw_base64" not in rejects[2]
    assert _digest(src) == before


# -- IO errors: exit 2, one sentence naming the path ---------------------------------------------
def test_an_output_folder_that_is_a_file_is_named(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    (tmp_path / "afile").write_bytes(b"x")
    for args in (("dedupe", src, "-o", tmp_path / "afile" / "o.jsonl"),
                 ("lint", src, "--isolated", "-o", tmp_path / "afile" / "r.txt"),
                 ("lint", src, "--isolated", "--fix", "--fix-output", tmp_path / "afile" / "o.jsonl")):
        code, out, err = cli(*args)
        assert code == 2 and "afile" in err and "is not a folder" in err and len(err.splitlines()) == 1, err


def test_unwritable_and_unreadable_paths_are_named(tmp_path: Path, monkeypatch: Any) -> None:
    src = _sample(tmp_path)

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(tmp_path / ".ftdata-x.tmp"))

    with monkeypatch.context() as m:
        m.setattr(atomic.tempfile, "mkstemp", denied)
        code, _, err = cli("dedupe", src, "-o", tmp_path / "o.jsonl")
    assert code == 2 and err == f"ftdata: error: cannot write {str(tmp_path / 'o.jsonl')!r}: permission denied\n"
    from ftdata.curate import dedupe as module

    def unreadable(path: str) -> Any:
        raise PermissionError(13, "Permission denied", path)

    with monkeypatch.context() as m:
        m.setattr(module, "open_binary", unreadable)
        code, _, err = cli("dedupe", src, "-o", tmp_path / "o.jsonl")
    assert code == 2 and str(src) in err and "ermission denied" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "o.jsonl").exists() and _temps(tmp_path) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads and writes regardless")
def test_permissions_are_named(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = cli("dedupe", src, "-o", locked / "o.jsonl")
        assert code == 2 and "o.jsonl" in err and len(err.splitlines()) == 1
    finally:
        locked.chmod(0o700)


# -- the writer on its own -----------------------------------------------------------------------
def test_outputs_commit_in_order_and_undo_on_failure(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"old a")
    with pytest.raises(RuntimeError):
        with atomic_outputs(str(a), str(b)) as (oa, ob):
            oa.write(b"new a")
            raise RuntimeError("boom")
    assert a.read_bytes() == b"old a" and not b.exists() and _temps(tmp_path) == []
    with atomic_outputs(str(a), str(b)) as (oa, ob):
        oa.write(b"new a")
        ob.write(b"new b")
    assert (a.read_bytes(), b.read_bytes()) == (b"new a", b"new b") and _temps(tmp_path) == []


@needs_datasets
def test_real_arrays_come_back_byte_for_byte(tmp_path: Path) -> None:
    """Real JSON arrays with nothing to drop are copied exactly (the old writer re-indented them)."""
    for name in ("code_alpaca/code_alpaca_2k.json", "lima/lima.json"):
        src = DATASETS / name
        if not src.is_file():
            continue
        result = dedupe(str(src), str(tmp_path / "o.json"))
        if not result.dropped:
            assert (tmp_path / "o.json").read_bytes() == src.read_bytes()


# -- --fix keeps the bytes of what needs no fix, in arrays too --------------------------------------
def test_fix_keeps_unfixed_array_elements_byte_for_byte(tmp_path: Path) -> None:
    from ftdata.curate.fix import fix_file

    def pretty(obj: dict[str, str]) -> bytes:  # an element of an array indented by four
        return json.dumps(obj, indent=4, ensure_ascii=False).replace("\n", "\n    ").encode()

    needs = {"instruction": "Name a colour. ", "input": "", "output": "Blue."}
    clean = b'{"instruction":"Odd  spacing kept", "input": "", "output":"caf\\u00e9 \\ud83d\\ude00"}'
    src = tmp_path / "in.json"
    src.write_bytes(b"\xef\xbb\xbf[\n    " + pretty(needs) + b",\n    " + clean + b"\n]")
    before = _digest(src)
    summary = fix_file(str(src), str(tmp_path / "out.json"))
    assert list(summary.fixed) == [0] and summary.bom
    fixed = {**needs, "instruction": "Name a colour."}
    assert (tmp_path / "out.json").read_bytes() == b"[\n    " + pretty(fixed) + b",\n    " + clean + b"\n]"
    assert _digest(src) == before


def test_a_closed_pipe_cuts_dedupe_short_and_commits_nothing(tmp_path: Path) -> None:
    rows = [rec(f"Question number {i} about the account?", f"Answer number {i}, with some words.") for i in range(3000)]
    src = write_jsonl(tmp_path / "in.jsonl", rows + rows[:10])
    proc = subprocess.Popen([sys.executable, "-m", "ftdata.cli", "dedupe", str(src), "-o", "-", "--rejects",
                             str(tmp_path / "r.jsonl"), "--exact-only"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 2 and "standard output was closed" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "r.jsonl").exists() and _temps(tmp_path) == []


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 13, 64, 1000])
def test_array_pieces_read_on_where_the_window_cuts_an_escape_or_a_literal(chunk: int) -> None:
    """A window (1 MiB by default) ending inside `\\u4e2d`, `true` or a number made dedupe and --fix
    refuse a valid array (Python's json.dump writes Chinese as escapes) that lint reads fine."""
    import io

    from ftdata.curate.pieces import json_pieces

    data = json.dumps([{"a": "\u4e2d\u6587" * 3, "flag": True, "n": 12345.678, "x": None, "f": False}] * 12,
                      indent=2).encode()
    pieces = list(json_pieces(io.BytesIO(data), chunk))
    assert b"".join(p.gap + (p.value or b"") for p in pieces) == data
    assert [json.loads(p.value) for p in pieces if p.value is not None] == json.loads(data)


def test_fix_keeps_the_numbers_of_a_compact_record_as_written(tmp_path: Path) -> None:
    """A fixed JSON Lines record is written by orjson when it round-trips: 1e-7 stays 1e-7
    (json.dumps wrote 1e-07 and 1e-05)."""
    src = tmp_path / "fx.jsonl"
    src.write_text('{"instruction":"Say hi","input":"<noinput>","output":"Hi there.","score":1e-7,"w":0.00001}\n',
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, _ = cli("lint", src, "--isolated", "--fix", "--fix-output", out)
    assert code in (0, 1)
    fixed = out.read_text(encoding="utf-8")
    assert "<noinput>" not in fixed and "1e-07" not in fixed and "1e-05" not in fixed
    assert json.loads(fixed)["score"] == 1e-7
