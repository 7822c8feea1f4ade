"""FMT033: a turn whose role the provider does not accept."""
from __future__ import annotations

from typing import Iterator

from pydantic import Field, field_validator

from ftdata.checks.base import CheckOptions, RecordCheck
from ftdata.checks.format.unsupported_format import known_formats
from ftdata.model import ROLES, Finding, Record, Severity


class UnsupportedRoleOptions(CheckOptions):
    roles: tuple[str, ...] | None = Field(None, description="the canonical roles the provider accepts as turns "
                                                            "(None: every role, the check is off)")
    provider: str = Field("", description="the provider's name, for the messages")
    system_field: str = Field("", description="the top-level field where the provider takes the system prompt, "
                                              "named in the message about a system turn")
    formats: tuple[str, ...] | None = Field(None, description="the input formats the provider accepts: records "
                                                              "in another are unsupported-format's, not reported "
                                                              "turn by turn here (None: every format)")

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, formats: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return known_formats(formats)

    @field_validator("roles")
    @classmethod
    def _canonical(cls, roles: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for r in roles or ():
            if r not in ROLES:  # e.g. Vertex's "model", which every format is normalised to "assistant"
                raise ValueError(f"{r!r} is not a canonical role ({', '.join(ROLES)})")
        return roles


class UnsupportedRole(RecordCheck):
    """A turn has a role the target provider does not accept (off unless a profile sets `roles`).

    What it does: reports every turn whose canonical role (system, user, assistant, tool) is not
    in `roles`, in the chosen and the rejected conversation alike. A system prompt held in a
    top-level field (Bedrock `system`, Vertex `systemInstruction`, ShareGPT `system`) is not a
    turn and is never reported; the same prompt as a message in the turn list is. Roles no
    canonical role matches are unknown-role's.
    Why it matters: the provider rejects the file: Bedrock takes only user and assistant turns
    (the system prompt goes in `system`), Vertex AI only user and model turns.
    Example: `{"messages": [{"role": "system", ...}, {"role": "user", ...}, ...]}` for Bedrock.
    Records in a format the provider does not take at all (`formats`, as unsupported-format has
    it) are left to unsupported-format, which says so once, rather than reported turn by turn.
    Options: `roles` (default none: off), `formats`, `provider` and `system_field` (for the messages).
    """

    code = "FMT033"
    category = "format"
    name = "unsupported-role"
    severity = Severity.ERROR
    # Whether it fires depends on (format, roles) alone, save where a format holds the system
    # prompt either in a top-level field or as a leading turn: there a cached clean sequence can
    # hide a leading system turn. In Bedrock and Vertex records that turn is a schema error
    # already (unknown-role); ShareGPT and Mistral interactions are formats the role-restricting
    # profiles reject (unsupported-format). Cheap, then, at no real cost in recall.
    roles_only = True

    Options = UnsupportedRoleOptions
    options: UnsupportedRoleOptions

    def __init__(self, options: CheckOptions | None = None) -> None:
        super().__init__(options)
        roles = self.options.roles
        self._allowed = None if roles is None else frozenset(roles)
        self._formats = None if self.options.formats is None else frozenset(self.options.formats)

    def check(self, record: Record) -> Iterator[Finding]:
        allowed = self._allowed
        if allowed is None or allowed.issuperset(record.roles) and not record.rejected:
            return
        if self._formats is not None and record.format not in self._formats:
            return
        seen: set[tuple[str, int]] = set()  # a prompt shared by chosen and rejected is reported once
        for turns in (record.messages, record.rejected or ()):
            for i, m in enumerate(turns):
                role = m.role
                if role in allowed or role not in ROLES or (m.pointer, i) in seen:
                    continue
                if role == "system" and m.pointer.count("/") == 1:  # a top-level field, not a turn
                    continue
                seen.add((m.pointer, i))
                yield self.finding(self._message(role), record, m.pointer, m.content)

    def _message(self, role: str) -> str:
        o = self.options
        who = o.provider or "the provider"
        why = f"a {role} turn, but {who} accepts only {_listing(o.roles or ())} turns"
        if role == "system" and o.system_field:
            why += f" (the system prompt goes in the top-level `{o.system_field}` field)"
        return why


def _listing(words: tuple[str, ...]) -> str:
    """The roles as prose: "user", "user and assistant", "system, user and assistant"."""
    if len(words) < 2:
        return words[0] if words else "no"
    return f"{', '.join(words[:-1])} and {words[-1]}"
