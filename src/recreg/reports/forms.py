"""Forms of the reports pages. They read what was typed; the services decide what is allowed,
and their errors are put back on these forms' fields (recreg.core.forms.add_service_errors)."""

from __future__ import annotations

from django import forms

from recreg.core.forms import WIDGET_CLASSES, GovukDateField, GovukForm
from recreg.reports.models import DEFAULT_SECTIONS, SECTIONS, PaperFormat, PccResponse
from recreg.reports.services import TEMPLATE_FIELDS

REAL_DATE = "Enter a real date, like 31/03/2025"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PaperRequestForm(GovukForm):
    organisation = OrganisationChoiceField(
        queryset=None,
        to_field_name="slug",
        label="Force or PCC office",
        empty_label="Choose…",
        error_messages={
            "required": "Choose the force or PCC office the paper is for",
            "invalid_choice": "Choose the force or PCC office the paper is for",
        },
    )
    meeting_date = GovukDateField(
        label="Date of the meeting",
        error_messages={"required": "Enter the date of the meeting", "invalid": REAL_DATE},
    )
    since = GovukDateField(
        label="Date of the previous meeting",
        help_text="The paper covers what happened after this date. For example, 31/03/2025",
        error_messages={"required": "Enter the date of the previous meeting", "invalid": REAL_DATE},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=PaperFormat.choices,
        initial=PaperFormat.DOCX,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Word, PDF or a web page"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("kind", "name")


POSITIONS = [("", "Leave out")] + [(str(n), f"Section {n}") for n in range(1, len(SECTIONS) + 1)]
TEXTAREAS = {"purpose", "recommendation", "intro"}
LABELS = {
    "committee": "Committee",
    "title": "Title of the paper",
    "agenda_item": "Agenda item",
    "purpose": "Purpose",
    "recommendation": "Recommendation",
    "intro": "Introduction",
    "contact_name": "Contact officer's name",
    "contact_role": "Contact officer's role",
    "contact_email": "Contact officer's email address",
    "contact_phone": "Contact officer's telephone number",
}
HELP = {
    "committee": "Leave blank for “Police and Crime Panel” (PCC offices) or “Joint Audit "
    "Committee” (forces).",
    "title": "Leave blank for “Inspections of {force}: findings and progress”.",
    "intro": "Separate paragraphs with a blank line. You may write {force}, {organisation}, "
    "{committee}, {since} and {meeting}: the paper puts in the names and dates.",
    "contact_name": "Leave the contact officer blank to name whoever makes the paper.",
}


class TemplateForm(GovukForm):
    """The wording fields, then one position per section."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in TEMPLATE_FIELDS.items():
            widget = forms.Textarea(attrs={"rows": 4}) if name in TEXTAREAS else None
            field = forms.CharField(
                label=LABELS[name],
                required=False,
                max_length=limit,
                help_text=HELP.get(name, ""),
                **({"widget": widget} if widget else {}),
            )
            if name == "contact_email":
                field.widget.input_type = "email"
            self.fields[name] = field
        for key, heading in SECTIONS.items():
            self.fields[f"order_{key}"] = forms.ChoiceField(
                label=heading, choices=POSITIONS, required=False
            )
        # GovukFormMixin styles the widgets it finds at construction; these came after.
        self._style()

    def _style(self):
        for field in self.fields.values():
            for widget_class, css in WIDGET_CLASSES.items():
                if isinstance(field.widget, widget_class):
                    classes = field.widget.attrs.get("class", "")
                    if css not in classes.split():
                        field.widget.attrs["class"] = f"{css} {classes}".strip()
                    break

    def section_fields(self):
        return [self[f"order_{key}"] for key in SECTIONS]

    def wording_fields_names(self) -> list[str]:
        return list(TEMPLATE_FIELDS)

    def wording_fields(self):
        return [self[name] for name in TEMPLATE_FIELDS]

    def ordered_sections(self) -> list[str]:
        """The chosen sections in their chosen order (ties are the service's to refuse)."""
        chosen = [
            (int(self.cleaned_data[f"order_{key}"]), key)
            for key in SECTIONS
            if self.cleaned_data.get(f"order_{key}")
        ]
        order = [key for _, key in sorted(chosen)]
        positions = [n for n, _ in chosen]
        if len(set(positions)) != len(positions):
            # Two sections in one place: let the service say so, with both still chosen.
            return order + order[:1]
        return order


def template_initial(template) -> dict:
    """The form's starting values from a saved template (or the defaults)."""
    initial = {name: getattr(template, name, "") if template else "" for name in TEMPLATE_FIELDS}
    sections = template.sections if template else DEFAULT_SECTIONS
    for key in SECTIONS:
        initial[f"order_{key}"] = str(sections.index(key) + 1) if key in sections else ""
    return initial


class PccResponseForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    intro = forms.CharField(
        label="Introduction", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    conclusion = forms.CharField(
        label="Conclusion", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, response: PccResponse, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            label = item.finding.reference or item.finding.get_kind_display()
            self.fields[f"item_{item.pk}_position"] = forms.CharField(
                label=f"{label}: the force's position",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
            )
            self.fields[f"item_{item.pk}_comment"] = forms.CharField(
                label=f"{label}: the Commissioner's comment",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
            )

    def item_rows(self):
        return [
            (item, self[f"item_{item.pk}_position"], self[f"item_{item.pk}_comment"])
            for item in self.items
        ]

    def item_texts(self) -> dict[int, dict[str, str]]:
        return {
            item.pk: {
                "position": self.cleaned_data.get(f"item_{item.pk}_position", ""),
                "comment": self.cleaned_data.get(f"item_{item.pk}_comment", ""),
            }
            for item in self.items
        }


class PublishForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    published_url = forms.CharField(
        label="Web address of the published response",
        help_text="For example, https://www.example-pcc.org.uk/hmicfrs-responses",
        error_messages={"required": "Enter the web address the response is published at"},
        widget=forms.TextInput(attrs={"type": "url", "spellcheck": "false"}),
    )
    published_on = GovukDateField(
        label="Date it was published",
        error_messages={"required": "Enter the date it was published", "invalid": REAL_DATE},
    )
