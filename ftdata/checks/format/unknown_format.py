"""FMT006: a record that matches no known fine-tuning format."""
from ftdata.checks.base import ReadRule
from ftdata.formats.aliases import suggest
from ftdata.model import Severity


class UnknownFormat(ReadRule):
    """A record is an object but has none of the keys that identify a fine-tuning format.

    What it does: reports the record with the keys it has and, when they look like a prompt and
    an answer (`question`/`answer`, `query`/`reply`, ...) or a preference pair (`pos_resp`/
    `neg_resp`, ...), the renames that make it a format ftdata and the trainers read. Formats
    are detected per record from their keys (`messages`, `conversations`, `instruction`/`output`,
    `prompt`/`completion`, `chosen`/`rejected`, `contents`, `text`, ...); `--input-format` forces one.
    Why it matters: a trainer cannot tell what to train on, and rejects or mis-reads the record.
    Example: `{"question": "...", "answer": "..."}` -> as prompt/completion: rename 'question'
    to 'prompt', 'answer' to 'completion'.
    Options: none.
    """

    code = "FMT006"
    name = "unknown-format"
    severity = Severity.ERROR
    kind = "unknown-format"
    one_cause = True  # records' key sets differ; a file of them has no format (ftdata.collapse)

    def message(self, detail: str) -> str:
        return f"record matches no known format (keys: {detail}){suggest(detail.split(', '))}"
