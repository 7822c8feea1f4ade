"""The bytes of a JSON array's elements, as they are in the file, for curation to copy unchanged.

The readers (ftdata.io) decode text, replacing invalid UTF-8 with U+FFFD, and give values; a
curation command that keeps a record must copy its bytes instead. Decoding as Latin-1 gives one
character per byte, so the positions Python's JSON decoder reports are byte offsets, and the
structure it finds is the one the readers find (every byte of a multi-byte or invalid UTF-8
sequence is 0x80 or above: never JSON syntax). The window grows as the readers' does, so memory
follows the largest element, not the file.
"""
from __future__ import annotations

import json
from typing import IO, Iterator, NamedTuple

from ftdata.io import BOM
from ftdata.io.json_values import CUT

_WHITESPACE = " \t\r\n"


class Piece(NamedTuple):
    """An element's bytes and the bytes before it since the previous element (the opening `[`
    and a byte-order mark before the first, `,` and whitespace between); the last piece has
    `value` None and `gap` the rest of the file (`]`, a final newline)."""

    gap: bytes
    value: bytes | None
    line: int  # 1-based line of the element's first byte (of the gap's, for the last piece)


def json_pieces(stream: IO[bytes], chunk: int = 1 << 20) -> Iterator[Piece]:
    """Pieces of a top-level JSON array, or of a file of JSON values one after another, in order:
    gap + value + gap + value + ... + last gap is the file. Raises ValueError ("line N is not valid
    JSON (why)") where the readers report invalid JSON: a curation command refuses such a file."""
    decoder = json.JSONDecoder()
    buf = ""
    gap = 0  # start in buf of the bytes not yet given out
    pos = 0
    line = 1  # line of buf[gap]
    eof = False

    def more() -> bool:
        nonlocal buf, gap, pos, eof
        data = stream.read(chunk)
        if not data:
            eof = True
            return False
        buf, pos, gap = buf[gap:] + data.decode("latin-1"), pos - gap, 0
        return True

    def skip_ws() -> None:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in _WHITESPACE:
                pos += 1
            if pos < len(buf) or eof or not more():
                return

    more()
    if buf.startswith(BOM.decode("latin-1")):
        pos = len(BOM)
    skip_ws()
    in_array = buf.startswith("[", pos)
    pos += in_array
    expect_value = True
    while True:
        skip_ws()
        if pos >= len(buf):
            break
        if in_array and buf[pos] == "]":
            pos += 1
            skip_ws()
            if pos < len(buf):
                raise ValueError(f"line {line + buf.count(chr(10), gap, pos)} is not valid JSON (data after the end "
                                 "of the top-level array)")
            break
        if in_array and not expect_value:
            if buf[pos] != ",":
                raise ValueError(f"line {line + buf.count(chr(10), gap, pos)} is not valid JSON (expected ',' or ']' "
                                 f"between array elements, found {buf[pos]!r})")
            pos += 1
            expect_value = True
            continue
        while True:  # the window's end may cut a number, a literal or an escape: read on, as the lint reader does
            try:
                end = decoder.raw_decode(buf, pos)[1]
                if end < len(buf) - CUT or eof or not more():
                    break
            except json.JSONDecodeError as e:
                truncated = e.pos >= len(buf) - CUT or e.msg.startswith("Unterminated string")
                if truncated and not eof and more():
                    continue
                raise ValueError(f"line {line + buf.count(chr(10), gap, e.pos)} is not valid JSON ({e.msg})") from None
            except (RecursionError, ValueError) as e:
                raise ValueError(f"line {line + buf.count(chr(10), gap, pos)} is not valid JSON (cannot be read: "
                                 f"{e})") from None
        start_line = line + buf.count("\n", gap, pos)
        yield Piece(buf[gap:pos].encode("latin-1"), buf[pos:end].encode("latin-1"), start_line)
        line = start_line + buf.count("\n", pos, end)
        gap = pos = end
        expect_value = False
    while more():
        pass
    yield Piece(buf[gap:].encode("latin-1"), None, line)
