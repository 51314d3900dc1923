"""Forms of the register's pages: the filters of the register, and a finding's own form.

The forms only read what was typed; the service functions decide what is allowed, and their
errors are put back on these forms' fields.
"""

from __future__ import annotations

from django import forms

from recreg.core.forms import GovukForm, mark_field_error
from recreg.findings.deadlines import HELP as DEADLINE_HELP
from recreg.findings.filters import SORT_LABELS
from recreg.findings.models import (
    AddresseeScope,
    Finding,
    FindingKind,
    FindingState,
    ResponseState,
    Theme,
)
from recreg.frameworks.models import QuestionArea
from recreg.inspections.models import InspectionKind
from recreg.organisations.models import Organisation

ANY = [("", "Any")]


class SearchInput(forms.TextInput):
    input_type = "search"


class RegisterFilterForm(GovukForm):
    """The register's search box, filters and sort, as one GET form.

    It never rejects anything itself: FindingFilters reads the parameters and its errors are
    added here, so the page and the API agree on what a parameter means.
    """

    q = forms.CharField(
        label="Search the register",
        required=False,
        help_text="Words from the text or reference of a finding",
        widget=SearchInput(attrs={"aria-describedby": "id_q-hint", "spellcheck": "false"}),
    )
    force = forms.CharField(label="Force", required=False, widget=forms.Select)
    inspection = forms.CharField(required=False, widget=forms.HiddenInput)
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
    sort = forms.CharField(
        label="Sort by",
        required=False,
        widget=forms.Select(choices=list(SORT_LABELS.items())),
    )

    def __init__(self, *args, forces=(), areas=(), themes=(), show_stage=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].widget.choices = ANY + [(f.slug, f.name) for f in forces]
        self.fields["theme"].widget.choices = ANY + [(t.slug, t.name) for t in themes]
        groups: dict[str, list[tuple[str, str]]] = {}
        for area in areas:
            groups.setdefault(area.framework, []).append((str(area.pk), area.name))
        self.fields["area"].widget.choices = ANY + list(groups.items())
        if not show_stage:
            del self.fields["stage"]
            # Overdue is measured against target dates, which the public does not see.
            del self.fields["overdue"]

    def add_filter_errors(self, errors: dict[str, str]) -> None:
        """Show the filters' own errors on their fields."""
        for name, message in errors.items():
            target = name if name in self.fields else None
            self.add_error(target, message)
            if target is not None:
                mark_field_error(self, target)


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Finding) -> str:
        text = obj.text if len(obj.text) <= 80 else obj.text[:77] + "…"
        return f"{obj.title}: {text}"


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: QuestionArea) -> str:
        return f"{obj.framework.short_name}: {obj.name}"


class FindingForm(GovukForm):
    """A finding's fields as an inspectorate editor enters them."""

    kind = forms.ChoiceField(label="Kind", choices=FindingKind.choices, widget=forms.RadioSelect)
    parent = ParentChoiceField(
        label="Cause of concern it belongs to",
        queryset=Finding.objects.none(),
        required=False,
        empty_label="None",
        help_text="Only for a recommendation made under a cause of concern in this inspection",
    )
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=60,
        help_text="The label as printed in the report, for example ‘AFI 3’ or ‘Recommendation 2’",
    )
    text = forms.CharField(
        label="Text", widget=forms.Textarea(attrs={"rows": 6}), help_text="As written in the report"
    )
    question_area = AreaChoiceField(
        label="Question area",
        queryset=QuestionArea.objects.none(),
        required=False,
        empty_label="None",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    addressee_scope = forms.ChoiceField(
        label="Addressed to",
        choices=AddresseeScope.choices,
        widget=forms.RadioSelect,
        initial=AddresseeScope.FORCES,
    )
    forces = forms.ModelMultipleChoiceField(
        label="Forces",
        queryset=Organisation.objects.forces(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="If it is addressed to named forces: select all that apply",
    )
    national_body = forms.ModelChoiceField(
        label="National body",
        queryset=Organisation.objects.national_bodies(),
        required=False,
        empty_label="Choose a national body",
        help_text="If it is addressed to a national body",
    )
    deadline_text = forms.CharField(
        label="Deadline", required=False, max_length=200, help_text=DEADLINE_HELP
    )
    state = forms.ChoiceField(
        label="Stage",
        choices=FindingState.choices,
        widget=forms.RadioSelect,
        initial=FindingState.DRAFT,
    )

    def __init__(self, *args, inspection, parents, all_forces_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        areas = QuestionArea.objects.select_related("framework")
        if inspection.programme_id:
            areas = areas.filter(framework_id=inspection.programme_id)
            self.fields["question_area"].help_text = f"A question area of {inspection.programme}"
        self.fields["question_area"].queryset = areas
        self.fields["addressee_scope"].choices = [
            (
                value,
                f"All territorial forces ({all_forces_count})" if value == "all_forces" else label,
            )
            for value, label in AddresseeScope.choices
        ]

    @classmethod
    def initial_for_new(cls, inspection) -> dict:
        """Starting values for a new finding: a thematic's go to all forces, a force
        inspection's to the forces it inspected."""
        if inspection.kind == InspectionKind.THEMATIC:
            return {"addressee_scope": AddresseeScope.ALL_FORCES}
        return {
            "addressee_scope": AddresseeScope.FORCES,
            "forces": list(inspection.forces_in_scope.values_list("pk", flat=True)),
        }

    @classmethod
    def initial_for(cls, finding: Finding) -> dict:
        """The form's starting values for an existing finding."""
        addressees = list(finding.addressees.all())
        return {
            "kind": finding.kind,
            "parent": finding.parent_id,
            "reference": finding.reference,
            "text": finding.text,
            "question_area": finding.question_area_id,
            "themes": [t.pk for t in finding.themes.all()],
            "addressee_scope": finding.addressee_scope,
            "forces": [o.pk for o in addressees if o.is_force],
            "national_body": next((o.pk for o in addressees if not o.is_force), None),
            "deadline_text": finding.deadline_text,
            "state": finding.state,
        }

    def service_data(self) -> dict:
        """The cleaned values as the finding services take them."""
        data = self.cleaned_data
        scope = data["addressee_scope"]
        if scope == AddresseeScope.FORCES:
            addressees = list(data.get("forces") or [])
        elif scope == AddresseeScope.NATIONAL_BODY:
            addressees = [data["national_body"]] if data.get("national_body") else []
        else:
            addressees = []
        return {
            "kind": data["kind"],
            "parent": data.get("parent"),
            "reference": data.get("reference", ""),
            "text": data["text"],
            "question_area": data.get("question_area"),
            "themes": list(data.get("themes") or []),
            "addressee_scope": scope,
            "addressees": addressees,
            "deadline_text": data.get("deadline_text", ""),
            "state": data["state"],
        }

    def error_field_map(self) -> dict[str, str]:
        """Where the services' error keys show on this form."""
        scope = self.cleaned_data.get("addressee_scope") or self.data.get("addressee_scope")
        target = "national_body" if scope == AddresseeScope.NATIONAL_BODY else "forces"
        return {"addressees": target, "deadline_date": "deadline_text"}


class DeleteFindingForm(GovukForm):
    """Nothing to fill in: the POST itself is the confirmation."""
