"""The one place that knows every check. Explicit imports: no scanning, no metaclasses."""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ftdata.checks.base import Check, DatasetCheck, LeakageCheck, ReadRule, RecordCheck, SchemaRule
from ftdata.checks.content.empty_input_marker import EmptyInputMarker
from ftdata.checks.content.encoding_damage import EncodingDamage
from ftdata.checks.content.knowledge_injection import KnowledgeInjection
from ftdata.checks.content.leaked_scaffolding import LeakedScaffolding
from ftdata.checks.content.personal_data import PersonalData
from ftdata.checks.content.placeholder import Placeholder
from ftdata.checks.content.refusal import Refusal
from ftdata.checks.content.repetition import Repetition
from ftdata.checks.content.repeated_json_item import RepeatedJsonItem
from ftdata.checks.content.empty_json_field import EmptyJsonField
from ftdata.checks.content.secret import Secret
from ftdata.checks.content.special_token import SpecialToken
from ftdata.checks.content.truncated_answer import TruncatedAnswer
from ftdata.checks.content.unseen_context import UnseenContext
from ftdata.checks.format.blank_line import BlankLine
from ftdata.checks.format.broken_compression import BrokenCompression
from ftdata.checks.format.byte_order_mark import ByteOrderMark
from ftdata.checks.format.consecutive_same_role import ConsecutiveSameRole
from ftdata.checks.format.empty_conversation import EmptyConversation
from ftdata.checks.format.empty_turn import EmptyTurn
from ftdata.checks.format.identical_preference import IdenticalPreference
from ftdata.checks.format.invalid_json import InvalidJson
from ftdata.checks.format.invalid_tool_arguments import InvalidToolArguments
from ftdata.checks.format.invalid_tool_schema import InvalidToolSchema
from ftdata.checks.format.invalid_utf8 import InvalidUtf8
from ftdata.checks.format.invalid_weight import InvalidWeight
from ftdata.checks.format.last_turn_not_assistant import LastTurnNotAssistant
from ftdata.checks.format.missing_key import MissingKey
from ftdata.checks.format.missing_system_message import MissingSystemMessage
from ftdata.checks.format.missing_tool_description import MissingToolDescription
from ftdata.checks.format.mixed_formats import MixedFormats
from ftdata.checks.format.multiple_system import MultipleSystem
from ftdata.checks.format.no_assistant_turn import NoAssistantTurn
from ftdata.checks.format.no_trainable_turn import NoTrainableTurn
from ftdata.checks.format.no_user_turn import NoUserTurn
from ftdata.checks.format.not_an_object import NotAnObject
from ftdata.checks.format.orphan_tool_result import OrphanToolResult
from ftdata.checks.format.record_too_large import RecordTooLarge
from ftdata.checks.format.renamed_keys import RenamedKeys
from ftdata.checks.format.schema_violation import SchemaViolation
from ftdata.checks.format.system_not_first import SystemNotFirst
from ftdata.checks.format.unknown_format import UnknownFormat
from ftdata.checks.format.unknown_key import UnknownKey
from ftdata.checks.format.unknown_role import UnknownRole
from ftdata.checks.format.unsupported_format import UnsupportedFormat
from ftdata.checks.format.unsupported_role import UnsupportedRole
from ftdata.checks.format.wrong_type import WrongType
from ftdata.checks.balance.label_imbalance import LabelImbalance
from ftdata.checks.balance.rare_label import RareLabel
from ftdata.checks.balance.tool_call_imbalance import ToolCallImbalance
from ftdata.checks.balance.unseen_eval_label import UnseenEvalLabel
from ftdata.checks.duplicates.conflicting_label import ConflictingLabel
from ftdata.checks.duplicates.conflicting_output import ConflictingOutput
from ftdata.checks.duplicates.conflicting_tool_call import ConflictingToolCall
from ftdata.checks.duplicates.exact_duplicate import ExactDuplicate
from ftdata.checks.duplicates.near_duplicate import NearDuplicate
from ftdata.checks.duplicates.normalized_duplicate import NormalizedDuplicate
from ftdata.checks.duplicates.repeated_output import RepeatedOutput
from ftdata.checks.leakage.eval_duplicate import EvalDuplicate
from ftdata.checks.leakage.eval_near_duplicate import EvalNearDuplicate
from ftdata.checks.length.length_outlier import LengthOutlier
from ftdata.checks.length.over_token_limit import OverTokenLimit
from ftdata.checks.style.style_deviation import StyleDeviation
from ftdata.checks.style.style_mixture import StyleMixture
from ftdata.checks.style.system_prompt_variants import SystemPromptVariants
from ftdata.checks.volume.few_examples import FewExamples
from ftdata.checks.volume.below_provider_minimum import BelowProviderMinimum
from ftdata.checks.volume.too_few_examples import TooFewExamples
from ftdata.checks.suppression.unused_record_ignore import UnusedRecordIgnore
from ftdata.checks.suppression.unused_suppression import UnusedSuppression

if TYPE_CHECKING:
    from ftdata.config import Settings


# Order matters for schema rules only: the first that claims an error reports it.
BUILTIN: tuple[type[Check], ...] = (
    InvalidJson, InvalidUtf8, ByteOrderMark, BlankLine, NotAnObject, UnknownFormat, RecordTooLarge, BrokenCompression,
    MissingKey, UnknownKey, WrongType, UnknownRole, EmptyConversation, SchemaViolation,
    EmptyTurn, NoAssistantTurn, LastTurnNotAssistant, SystemNotFirst, MultipleSystem,
    ConsecutiveSameRole, NoUserTurn, InvalidWeight, NoTrainableTurn, InvalidToolArguments,
    OrphanToolResult, InvalidToolSchema, MissingToolDescription, IdenticalPreference, UnsupportedRole,
    MixedFormats, UnsupportedFormat, MissingSystemMessage, RenamedKeys,
    BelowProviderMinimum, TooFewExamples, FewExamples,
    OverTokenLimit, LengthOutlier,
    ExactDuplicate, NormalizedDuplicate, NearDuplicate, ConflictingLabel, ConflictingOutput, RepeatedOutput,
    ConflictingToolCall,
    EvalDuplicate, EvalNearDuplicate,
    LabelImbalance, RareLabel, UnseenEvalLabel, ToolCallImbalance,
    SystemPromptVariants, StyleDeviation, StyleMixture,
    # content
    Placeholder, EmptyInputMarker, Refusal, SpecialToken, LeakedScaffolding, UnseenContext, EncodingDamage, KnowledgeInjection,
    PersonalData, Secret, TruncatedAnswer, Repetition, RepeatedJsonItem, EmptyJsonField,
    # suppression (findings made by ftdata.baseline and ftdata.suppress_ids)
    UnusedSuppression, UnusedRecordIgnore,
)


@functools.cache
def all_checks() -> tuple[type[Check], ...]:
    """BUILTIN, then the plugin checks (ftdata.plugins, ordered by code). Cached: plugins load once
    per process, and find() and rule selection ask often."""
    from ftdata import plugins

    return BUILTIN + plugins.load().classes


def find(code_or_name: str) -> type[Check] | None:
    key = code_or_name.strip()
    for cls in all_checks():
        if key.upper() == cls.code or key.lower() == cls.name:
            return cls
    return None


class Plan:
    """The checks of one run, instantiated with their options and sorted by kind."""

    def __init__(self, settings: Settings, file: str = "") -> None:
        """The checks `settings` selects for `file` (its per-file ignores applied), with options;
        `severity` maps the code of each rule whose severity is overridden to its new severity."""
        from ftdata import plugins
        from ftdata.selection import enabled, file_ignores, severity_of, specificity

        by_code: dict[str, dict[str, Any]] = {}
        for key, opts in settings.checks.items():  # keys may be codes or names, in any case
            found = find(key)
            if found is not None:
                by_code.setdefault(found.code, {}).update(opts)
        select = (*settings.select, *settings.extend_select)
        off_here = file_ignores(file, settings.per_file_ignores, settings.root)  # absolute, whatever select says
        chosen = [cls for cls in all_checks() if enabled(cls, select, settings.ignore)
                  and not any(specificity(cls, s) is not None for s in off_here)]
        self.codes = frozenset(cls.code for cls in chosen)
        self.severity = {cls.code: level for cls in chosen
                         if (level := severity_of(cls, settings.severity)) is not cls.severity}
        checks = plugins.guard([cls(cls.Options(**by_code.get(cls.code, {}))) for cls in chosen])
        self.read = {c.kind: c for c in checks if isinstance(c, ReadRule)}
        self.schema = [c for c in checks if isinstance(c, SchemaRule)]
        self.record = [c for c in checks if isinstance(c, RecordCheck)]
        self.dataset = [c for c in checks if isinstance(c, DatasetCheck)]
        self.leakage = [c for c in checks if isinstance(c, LeakageCheck)]

    @property
    def profiles(self) -> bool:
        """Does some check need the answers' style profiles (ftdata.style)?"""
        return any(c.profiles for c in self.dataset)

    def fingerprints(self, with_eval: bool) -> set[str]:
        """The fingerprint levels the checks ask for ("exact", "near"; empty for none), leakage
        checks included when there are evaluation sets to compare."""
        levels = {c.fingerprints for c in self.dataset} | ({c.fingerprints for c in self.leakage} if with_eval else set())
        return levels - {""}

    def record_checks(self, task: str, roles_only: bool, turn_data_only: bool = False) -> list[RecordCheck]:
        """The record checks for a task, of one kind: roles-only, turn-data-only, or the others."""
        return [c for c in self.record if task in c.tasks and c.roles_only == roles_only
                and c.turn_data_only == turn_data_only]
