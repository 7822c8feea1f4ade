"""FMT008: a record too large to parse."""
from ftdata.checks.base import ReadRule
from ftdata.model import Severity


class RecordTooLarge(ReadRule):
    """A record (a JSON Lines line or a `.json` array element) is larger than a record may be.

    What it does: reports each record over `max-record-bytes` (8 MiB by default) with its size,
    skips it unparsed and goes on with the next one; it still counts as a record. A record that
    runs on for 64 times that without ending (a file without newlines, /dev/zero through a pipe)
    stops the reading there, and the finding says so.
    Why it matters: no provider trains on such an example. The largest per-example limit
    (131,072 tokens) holds 8 MiB of text only if its tokens average 64 bytes; real text averages
    about 4. A record this large is a concatenation, a dump or inline binary data, and parsing it
    would cost many times its size in memory.
    Example: a 20 MiB line on line 2 of a JSON Lines file.
    Does not catch: records under the size that are over the token limit (LEN001 does). A
    record with large inline images (base64 data URLs) can exceed 8 MiB and still be accepted by
    a vision fine-tune: raise the bound for such data.
    Options: none of its own; the bound is the setting `max-record-bytes` (bytes: in the
    configuration, `--max-record-bytes 33554432`, `ftdata.lint(path, max_record_bytes=32 << 20)`).
    """

    code = "FMT008"
    name = "record-too-large"
    severity = Severity.ERROR
    kind = "record-too-large"
