"""The catalog admin: for staff in the "Catalog editors" group (see migration 0002).

Split by concern: `base` (framework scoping, locked versions), `framework` (versions and
their actions), `framework_views` (pages behind those actions), `parts` (domains down to
options), `vocabulary` (the Risk Map terms and mapping schemes) and `forms`.
"""

from scorecard.admin import framework, parts, vocabulary

__all__ = ["framework", "parts", "vocabulary"]
