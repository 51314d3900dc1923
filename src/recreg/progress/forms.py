"""Forms of the progress pages. They read what was typed; the services decide what is allowed,
and their errors are put back on these forms' fields (recreg.core.forms.add_service_errors).

Every form that changes a response carries the version of the response it was opened on, so a
save based on a stale copy is refused.
"""

from __future__ import annotations

from django import forms

from recreg.core.forms import GovukDateField, GovukForm
from recreg.findings.models import RAG, FindingKind, FindingState, ResponseState
from recreg.progress.evidence import MAX_FILES_AT_ONCE, describe_limit
from recreg.progress.models import ClosureDecision

ANY = [("", "Any")]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; the services check what they contain."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        # Empty files are refused by the evidence checks, with the same message as the API.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def files_help() -> str:
    return (
        f"PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or plain text, each smaller than "
        f"{describe_limit()}. You can choose up to {MAX_FILES_AT_ONCE} files."
    )


class VersionedForm(GovukForm):
    """A change to a response, based on the version of it the page showed."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "The form was incomplete: open it again from the response page",
            "invalid": "The form was incomplete: open it again from the response page",
        },
    )


class AllocateForm(VersionedForm):
    owner = forms.TypedChoiceField(
        label="Strategic owner",
        help_text="A chief officer, such as an assistant or deputy chief constable",
        coerce=int,
        empty_value=None,
        required=False,
    )
    tactical_lead = forms.TypedChoiceField(
        label="Tactical lead",
        help_text="The person who leads the work day to day, such as a superintendent",
        coerce=int,
        empty_value=None,
        required=False,
    )
    governance_board = forms.TypedChoiceField(
        label="Governance board",
        help_text="The board that oversees this work",
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, people, boards, **kwargs):
        super().__init__(*args, **kwargs)
        people_choices = [("", "Choose a person")] + [
            (p.pk, f"{p.full_name}{', ' + p.job_title if p.job_title else ''}") for p in people
        ]
        self.fields["owner"].choices = people_choices
        self.fields["tactical_lead"].choices = people_choices
        self.fields["governance_board"].choices = [("", "No board")] + [
            (b.pk, b.name) for b in boards
        ]


class BoardForm(GovukForm):
    name = forms.CharField(
        label="Name of the board",
        help_text="For example, Crime Governance Board",
        max_length=200,
        required=False,
    )


class ReassignForm(GovukForm):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    person = forms.TypedChoiceField(
        label="Person whose work is moving",
        coerce=int,
        empty_value=None,
        required=False,
    )
    new_owner = forms.TypedChoiceField(
        label="New strategic owner",
        help_text="Takes every open response this person owns",
        coerce=int,
        empty_value=None,
        required=False,
    )
    new_tactical_lead = forms.TypedChoiceField(
        label="New tactical lead",
        help_text="Takes every open response this person leads",
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, holders, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choose a person")] + [
            (p.pk, f"{p.full_name} ({p.held} open)") for p in holders
        ]
        choices = [("", "Choose a person")] + [(p.pk, p.full_name) for p in people]
        self.fields["new_owner"].choices = choices
        self.fields["new_tactical_lead"].choices = choices


class UpdateForm(VersionedForm):
    narrative = forms.CharField(
        label="Update",
        help_text="What has been done since the last update, and what happens next",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=RAG.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    percent_complete = forms.CharField(
        label="Percentage complete (optional)",
        help_text="A whole number from 0 to 100",
        required=False,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    corrects = forms.IntegerField(widget=forms.HiddenInput, required=False)
    files = MultipleFileField(label="Evidence (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_help()


class EvidenceForm(VersionedForm):
    files = MultipleFileField(label="Files")
    description = forms.CharField(
        label="What the files show (optional)",
        max_length=300,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_help()


class TargetDateForm(VersionedForm):
    new_date = GovukDateField(label="New target date", required=False)
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Why the date is moving: this is kept with the date's history",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class ProposeClosureForm(VersionedForm):
    statement = forms.CharField(
        label="Closing statement",
        help_text="What was done, and how you know it worked",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    files = MultipleFileField(label="Evidence")

    def __init__(self, *args, has_evidence=False, **kwargs):
        super().__init__(*args, **kwargs)
        hint = files_help()
        if has_evidence:
            hint += " Evidence already attached to this response is included."
        self.fields["files"].help_text = hint


class DecideClosureForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=ClosureDecision.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    superseded_by = forms.IntegerField(
        label="Superseding finding number",
        help_text="If superseded: the number of the finding that replaces this one, "
        "as in its web address (/findings/123/)",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed when closing as not implemented or sending it back",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class ChallengeForm(VersionedForm):
    proposed_text = forms.CharField(
        label="Wording you propose",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    reason = forms.CharField(
        label="Reason",
        help_text="What is inaccurate in the current wording, with the facts",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class DecideChallengeForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept: change the wording"), ("reject", "Reject")],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed when rejecting the challenge",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean_decision(self):
        value = self.cleaned_data.get("decision")
        if not value:
            raise forms.ValidationError("Choose whether to accept or reject the challenge")
        return value


class DischargeForm(VersionedForm):
    reason = forms.CharField(
        label="Reason for discharging",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    override_reason = forms.CharField(
        label="Reason to discharge with recommendations still open",
        help_text="Needed only if some of its recommendations are not closed",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ProgressFilterForm(GovukForm):
    """The register's filters (recreg.findings.filters) for a force's responses, as one GET
    form. It never rejects anything itself: FindingFilters reads the parameters."""

    q = forms.CharField(label="Search", required=False)
    kind = forms.CharField(
        label="Kind", required=False, widget=forms.Select(choices=ANY + FindingKind.choices)
    )
    state = forms.CharField(
        label="Progress",
        required=False,
        widget=forms.Select(choices=ANY + ResponseState.choices),
    )
    stage = forms.CharField(
        label="Stage", required=False, widget=forms.Select(choices=ANY + FindingState.choices)
    )
    area = forms.CharField(label="Question area", required=False, widget=forms.Select)
    theme = forms.CharField(label="Theme", required=False, widget=forms.Select)
    overdue = forms.BooleanField(label="Only overdue", required=False)
    since = GovukDateField(label="Changes since", required=False)

    def __init__(self, *args, areas, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.choices = ANY + [
            (str(a.pk), f"{a.name} ({a.framework_short_name or a.framework})") for a in areas
        ]
        self.fields["theme"].widget.choices = ANY + [(t.slug, t.name) for t in themes]
        self.fields["since"].help_text = "For example, 31/03/2025"

    def add_filter_errors(self, errors: dict[str, str]) -> None:
        """Show FindingFilters' errors on the fields they are about."""
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
