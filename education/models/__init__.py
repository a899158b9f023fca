"""Education's models, one module per concern. Everything is importable from here."""

from .context import (
    NEEDS_THRESHOLD,
    THRESHOLD_LIMITS,
    ContextRule,
    ContextRuleQuerySet,
    HiddenExplanation,
    RuleCondition,
)
from .topics import (
    MARKDOWN_FIELDS,
    SECTION_FIELDS,
    WITHIN_LIMIT,
    BodySystem,
    Depth,
    Reference,
    Section,
    Topic,
    TopicQuerySet,
    TopicVersion,
    TopicVersionQuerySet,
    VersionStatus,
    next_number,
)

__all__ = [
    "MARKDOWN_FIELDS",
    "NEEDS_THRESHOLD",
    "SECTION_FIELDS",
    "THRESHOLD_LIMITS",
    "WITHIN_LIMIT",
    "BodySystem",
    "ContextRule",
    "ContextRuleQuerySet",
    "Depth",
    "HiddenExplanation",
    "Reference",
    "RuleCondition",
    "Section",
    "Topic",
    "TopicQuerySet",
    "TopicVersion",
    "TopicVersionQuerySet",
    "VersionStatus",
    "next_number",
]
