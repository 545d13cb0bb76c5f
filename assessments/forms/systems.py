"""The AI system form: the describing fields of a system, for editing and for proposals.

Choices come from the caller (selectors/systems.py): the organisation's members as owners,
the published catalogs' terms and personas. Ids already stored on the system but named by
no catalog now stay ticked and are labelled as such, so saving does not drop them.
"""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator

from assessments.limits import SYSTEM_TEXT
from assessments.models.systems import TERM_LIST_FIELDS
from assessments.selectors.systems import FIELD_LABELS, STALE, SystemVocabulary
from scorecard.catalog import autonomy

URL_MAX = 500
NOT_STATED_CHOICE = ("", "Not stated")
# Its own code: the field would replace an "invalid" message with its generic one.
WEB_ADDRESS = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address starting with http:// or https://.",
    code="not_web",
)
HELP = {
    "lifecycle_stages": "The stages the system is in now.",
    "components": "The parts of a system (in the Risk Map's terms) this one is built from.",
    "actor_access": "How far a threat actor can reach into the system.",
    "impact_types": "The kinds of harm the system could cause.",
    "personas": "The roles your organisation holds for this system.",
}


def autonomy_choices() -> list[tuple[str, str]]:
    levels = [(str(x.number), f"{x.code} {x.name}: {x.meaning}") for x in autonomy.LEVELS]
    return [NOT_STATED_CHOICE, *levels]


def _term_field(name: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=FIELD_LABELS[name],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=HELP[name],
        error_messages={
            "invalid_choice": "%(value)s is not a term of any published catalog; nothing was saved."
        },
    )


def _url_field(name: str) -> forms.URLField:
    return forms.URLField(
        label=f"{FIELD_LABELS[name]} URL",
        required=False,
        max_length=URL_MAX,
        assume_scheme="https",
        validators=[WEB_ADDRESS],
    )


class SystemForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    owner = forms.ChoiceField(
        label="Owner",
        required=False,
        help_text="A member of this organisation, accountable for the system.",
        error_messages={"invalid_choice": "The owner must be a member of this organisation."},
    )
    description = forms.CharField(
        required=False, max_length=SYSTEM_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    purpose = forms.CharField(
        label="Business purpose",
        required=False,
        max_length=SYSTEM_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lifecycle_stages = _term_field("lifecycle_stages")
    components = _term_field("components")
    actor_access = _term_field("actor_access")
    impact_types = _term_field("impact_types")
    autonomy_level = forms.ChoiceField(
        label="Autonomy level",
        required=False,
        choices=autonomy_choices,
        widget=forms.RadioSelect,
        help_text="How far the system acts without a person checking each step.",
    )
    personas = _term_field("personas")
    repository_url = _url_field("repository_url")
    model_card_url = _url_field("model_card_url")

    def __init__(self, *args, vocab: SystemVocabulary, members, stored: dict | None = None, **kw):
        super().__init__(*args, **kw)
        self.fields["owner"].choices = [("", "Nobody named"), *members]
        for name in TERM_LIST_FIELDS:
            self.fields[name].choices = self._choices(vocab, name, (stored or {}).get(name))

    @staticmethod
    def _choices(vocab: SystemVocabulary, name: str, stored) -> list:
        terms = vocab.terms[name]
        known = {t.id for t in terms}
        stale = [(i, f"{i} ({STALE})") for i in stored or [] if i not in known]
        if not any(t.group for t in terms):
            return [(t.id, t.name) for t in terms] + stale
        # Components grouped under their category, in catalog order of first appearance.
        groups: dict[str, list] = {}
        for term in terms:
            groups.setdefault(term.group, []).append((term.id, term.name))
        choices = [(group or "Other", items) for group, items in groups.items()]
        return choices + ([(STALE.capitalize(), stale)] if stale else [])

    @staticmethod
    def initial_for(record: dict) -> dict:
        initial = {k: v for k, v in record.items() if k != "owner_id"}
        initial["owner"] = record.get("owner_id") or ""
        level = record.get("autonomy_level")
        initial["autonomy_level"] = "" if level is None else str(level)
        return initial

    def record(self) -> dict:
        """The cleaned data as a system record (RECORD_FIELDS)."""
        data = dict(self.cleaned_data)
        data.pop("note", None)
        level = data.pop("autonomy_level")
        data["autonomy_level"] = int(level) if level not in (None, "") else None
        data["owner_id"] = data.pop("owner") or None
        return data


class ProposalForm(SystemForm):
    note = forms.CharField(
        label="Note to the owners",
        required=False,
        max_length=SYSTEM_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why this change: the owners read it before deciding.",
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label="Why it is declined",
        max_length=SYSTEM_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the proposal is declined."},
    )
