"""Forms of the inspections pages: the list's filters and an inspection's own form."""

from __future__ import annotations

from django import forms
from django.conf import settings

from recreg.core.forms import GovukDateField, GovukForm
from recreg.frameworks.models import Framework
from recreg.inspections.models import Inspection, InspectionKind, InspectionState
from recreg.organisations.models import Organisation

ANY = [("", "Any")]


class InspectionFilterForm(GovukForm):
    """Filters of the inspections list; a value it does not know is an error, not a guess."""

    state = forms.ChoiceField(label="State", required=False, choices=ANY + InspectionState.choices)
    kind = forms.ChoiceField(label="Kind", required=False, choices=ANY + InspectionKind.choices)
    force = forms.ChoiceField(label="Force in scope", required=False)

    def __init__(self, *args, forces=(), show_state=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].choices = ANY + [(f.slug, f.name) for f in forces]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = f"Choose a {field.label.lower()} from the list"
        if not show_state:
            del self.fields["state"]


class InspectionForm(GovukForm):
    """An inspection's fields as an inspectorate editor enters them."""

    title = forms.CharField(label="Title", max_length=400, help_text="As on the report")
    kind = forms.ChoiceField(label="Kind", choices=InspectionKind.choices, widget=forms.RadioSelect)
    programme = forms.ModelChoiceField(
        label="Programme",
        queryset=Framework.objects.all(),
        required=False,
        empty_label="None",
        help_text="The assessment programme it belongs to, such as PEEL, if any",
    )
    lead_inspectorate = forms.ModelChoiceField(
        label="Lead inspectorate",
        queryset=Organisation.objects.inspectorates(),
        empty_label="Choose an inspectorate",
    )
    partner_inspectorates = forms.ModelMultipleChoiceField(
        label="Partner inspectorates",
        queryset=Organisation.objects.inspectorates(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a joint inspection: the other inspectorates taking part",
    )
    forces_in_scope = forms.ModelMultipleChoiceField(
        label="Forces in scope",
        queryset=Organisation.objects.forces(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    fieldwork_start = GovukDateField(label="Fieldwork started", required=False)
    fieldwork_end = GovukDateField(label="Fieldwork ended", required=False)
    published_on = GovukDateField(label="Publication date", required=False)
    report_url = forms.URLField(
        label="Link to the report",
        required=False,
        max_length=500,
        help_text="The web address of the published report",
    )
    state = forms.ChoiceField(
        label="State",
        choices=InspectionState.choices,
        widget=forms.RadioSelect,
        initial=InspectionState.PLANNED,
    )

    FIELD_ORDER = (
        "title",
        "kind",
        "programme",
        "lead_inspectorate",
        "partner_inspectorates",
        "forces_in_scope",
        "fieldwork_start",
        "fieldwork_end",
        "published_on",
        "report_url",
        "state",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_url"].widget.attrs.update({"spellcheck": "false"})
        if not self.is_bound and not self.initial.get("lead_inspectorate"):
            police = Organisation.objects.filter(slug=settings.POLICE_INSPECTORATE_SLUG).first()
            if police is not None:
                self.initial["lead_inspectorate"] = police.pk

    @classmethod
    def initial_for(cls, inspection: Inspection) -> dict:
        """The form's starting values for an existing inspection."""
        return {
            "title": inspection.title,
            "kind": inspection.kind,
            "programme": inspection.programme_id,
            "lead_inspectorate": inspection.lead_inspectorate_id,
            "partner_inspectorates": [o.pk for o in inspection.partner_inspectorates.all()],
            "forces_in_scope": [o.pk for o in inspection.forces_in_scope.all()],
            "fieldwork_start": inspection.fieldwork_start,
            "fieldwork_end": inspection.fieldwork_end,
            "published_on": inspection.published_on,
            "report_url": inspection.report_url,
            "state": inspection.state,
        }

    def service_data(self) -> dict:
        """The cleaned values as the inspection services take them."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.FIELD_ORDER}
        values["report_url"] = values["report_url"] or ""
        values["partner_inspectorates"] = list(values["partner_inspectorates"] or [])
        values["forces_in_scope"] = list(values["forces_in_scope"] or [])
        return values
