"""FMT009: a compressed file that breaks off or is corrupt."""
from ftdata.checks.base import ReadRule
from ftdata.model import Severity


class BrokenCompression(ReadRule):
    """A gzip file's stream ends early (a cut download or copy) or its data is corrupt.

    What it does: lints the records read before the damage as usual and reports, at the line
    where the stream broke, how many bytes of data were read and what the decompressor said.
    Why it matters: the records after the damage are missing, so the file is not the dataset it
    was meant to be; uploading it trains on part of the data (or fails on the provider's side).
    Example: `train.jsonl.gz` cut at half its size: 10,000 records read, then this finding.
    Data decoded from a corrupt stream before the check fails can be garbage: findings on the
    lines just before this one may be the damage's doing.
    Options: none.
    """

    code = "FMT009"
    name = "broken-compression"
    severity = Severity.ERROR
    kind = "broken-compression"
