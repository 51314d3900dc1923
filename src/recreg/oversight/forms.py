"""Forms of the oversight pages. They read what was typed; the services decide what is allowed
and their errors are put back on these forms' fields."""

from __future__ import annotations

import csv
import io

from django import forms

from recreg.core.forms import GovukDateField, GovukForm
from recreg.frameworks.models import Framework
from recreg.organisations.models import Organisation
from recreg.oversight.models import (
    GradeValue,
    IndicatorKind,
    MonitoringStage,
    ReturnTemplate,
    Severity,
)
from recreg.oversight.risk import COMPARISONS, DEFAULT_WEIGHTS
from recreg.oversight.services import IndicatorSpec, grade_field_name

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class GradeEntryForm(GovukForm):
    """One select per thing the framework grades, offering only its scale's grades."""

    published_on = GovukDateField(
        label="Date the grades were published",
        required=False,
        help_text="Leave blank until the report is published: until then only the "
        "inspectorate sees these grades. For example, 14/03/2024",
    )
    inspection = forms.TypedChoiceField(
        label="Inspection report", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, framework, targets, inspections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        self.fields["inspection"].choices = [("", "None")] + [(i.pk, i.title) for i in inspections]
        for target in targets:
            allowed = target.allowed(framework)
            field = forms.ChoiceField(
                label=target.name,
                required=False,
                choices=[("", "No grade")] + [(v, GradeValue(v).label) for v in allowed],
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )
            self.fields[grade_field_name(target)] = field
        # Re-run the Design System classes for the fields added above.
        for name in self.fields:
            widget = self.fields[name].widget
            if isinstance(widget, forms.Select) and "govuk-select" not in widget.attrs.get(
                "class", ""
            ):
                widget.attrs["class"] = "govuk-select"

    def grade_fields(self):
        """The bound grade fields, in the framework's order."""
        return [(t, self[grade_field_name(t)]) for t in self.targets]

    def grades(self) -> dict:
        """The chosen grades keyed as the service wants them."""
        return {t.key: self.cleaned_data.get(grade_field_name(t)) or "" for t in self.targets}


class GradeImportForm(GovukForm):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Columns: force, framework, level, area, grade, published_on. "
        "Nothing is imported unless every row is right.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file must be CSV saved as UTF-8 (in Excel: CSV UTF-8)"
            ) from None


class RoundForm(GovukForm):
    year = forms.IntegerField(
        label="Year", min_value=2000, max_value=2100, widget=forms.NumberInput
    )
    tranche_number = forms.TypedChoiceField(
        label="Tranche",
        coerce=int,
        choices=[(1, "Tranche 1"), (2, "Tranche 2"), (3, "Tranche 3")],
        widget=forms.RadioSelect,
    )
    starts_on = GovukDateField(label="Tranche starts")
    ends_on = GovukDateField(label="Tranche ends")
    meets_on = GovukDateField(label="Decision meeting")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-4", "inputmode": "numeric"}
        )
        self.fields["year"].error_messages.update(
            {"required": "Enter the year", "invalid": "Enter a year like 2024"}
        )


class DecisionForm(GovukForm):
    status = forms.CharField(
        label="Status as recorded",
        max_length=60,
        help_text="The word used at the time, for example Scan, Engage, or Engaged in 2018/19",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
        error_messages={"required": "Enter the status as it was recorded, for example Engage"},
    )
    stage = forms.ChoiceField(
        label="Stage it means today",
        required=False,
        choices=[("", "Work it out from the status")] + MonitoringStage.choices,
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reasons for the decision"},
    )
    causes_of_concern = forms.TypedMultipleChoiceField(
        label="Causes of concern it rests on",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    decided_by = forms.CharField(
        label="Decided by",
        max_length=200,
        help_text="The person or group, for example the National Oversight Group",
        error_messages={"required": "Enter who decided"},
    )
    decided_on = GovukDateField(label="Date of the decision")

    def __init__(self, *args, concerns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.concerns = {c.pk: c for c in concerns}
        self.fields["causes_of_concern"].choices = [
            (c.pk, f"{c.title}: {c.text[:120]}") for c in concerns
        ]
        if not concerns:
            self.fields["causes_of_concern"].help_text = "The force has no causes of concern."

    def service_data(self) -> dict:
        """The cleaned data as the service's keyword arguments."""
        data = dict(self.cleaned_data)
        data["causes_of_concern"] = [self.concerns[pk] for pk in data["causes_of_concern"]]
        return data


def _lines(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("|")])
    return rows


class TemplateForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200)
    indicators = forms.CharField(
        label="Indicators",
        help_text="One a line: code | name | type | unit. Types: number, percentage, yes_no, "
        "text. For example: calls-999-answered-10s | 999 calls answered within 10 seconds | "
        "percentage | %",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, revising: ReturnTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if revising is not None:
            del self.fields["name"]

    def clean_indicators(self):
        specs = []
        for number, cells in enumerate(_lines(self.cleaned_data["indicators"]), start=1):
            if len(cells) not in (3, 4):
                raise forms.ValidationError(
                    f"Line {number}: write code | name | type | unit (the unit may be left off)"
                )
            code, name, kind = cells[:3]
            specs.append(IndicatorSpec(code, name, kind, cells[3] if len(cells) == 4 else ""))
        return specs

    @staticmethod
    def lines_for(template: ReturnTemplate) -> str:
        """A template's indicators as the lines this form reads."""
        return "\n".join(
            " | ".join([i.code, i.name, i.kind, i.unit]).rstrip(" |")
            for i in template.indicators.all()
        )


class WindowForm(GovukForm):
    template = forms.TypedChoiceField(label="Template", coerce=int)
    name = forms.CharField(label="Name", max_length=100, help_text="For example, Spring 2025")
    opens_on = GovukDateField(label="Opens")
    due_on = GovukDateField(label="Due")

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {t.pk: t for t in templates}
        self.fields["template"].choices = [(t.pk, str(t)) for t in templates]

    def service_data(self) -> dict:
        """The cleaned data as the service's keyword arguments."""
        data = dict(self.cleaned_data)
        data["template"] = self.templates.get(data["template"])
        return data


class ReturnForm(GovukForm):
    """One box per indicator, typed by the service, not here, so drafts can be half-filled."""

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            hint = {
                IndicatorKind.NUMBER: "A number",
                IndicatorKind.PERCENTAGE: "A percentage from 0 to 100",
                IndicatorKind.YES_NO: "Yes or no",
                IndicatorKind.TEXT: "Up to 2,000 characters",
            }[indicator.kind]
            if indicator.unit and indicator.kind == IndicatorKind.NUMBER:
                hint += f", in {indicator.unit}"
            if indicator.kind == IndicatorKind.TEXT:
                widget = forms.Textarea(attrs={"rows": 3})
            elif indicator.kind == IndicatorKind.YES_NO:
                widget = forms.RadioSelect(choices=[("yes", "Yes"), ("no", "No")])
            else:
                widget = forms.TextInput(
                    attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}
                )
            self.fields[indicator.code] = forms.CharField(
                label=indicator.name, required=False, help_text=hint, widget=widget
            )
            if isinstance(widget, forms.RadioSelect):
                self.fields[indicator.code].widget.attrs["class"] = "govuk-radios__input"
            elif isinstance(widget, forms.Textarea):
                self.fields[indicator.code].widget.attrs["class"] = "govuk-textarea"

    def values(self) -> dict[str, str]:
        """What was typed, by indicator code."""
        return {i.code: self.cleaned_data.get(i.code, "") for i in self.indicators}


class NoteForm(GovukForm):
    question_area = forms.TypedChoiceField(label="Question area", coerce=int)
    noted_on = GovukDateField(label="Date")
    severity = forms.TypedChoiceField(
        label="Severity",
        coerce=int,
        choices=Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a severity: low, medium or high"},
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the note"},
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {a.pk: a for a in areas}
        groups: dict[str, list] = {}
        for area in areas:
            groups.setdefault(area.framework.short_name, []).append((area.pk, area.name))
        self.fields["question_area"].choices = [("", "Choose a question area")] + list(
            groups.items()
        )
        self.fields["question_area"].error_messages["required"] = (
            "Choose the question area the note is about"
        )

    def service_data(self) -> dict:
        """The cleaned data as the service's keyword arguments."""
        data = dict(self.cleaned_data)
        data["question_area"] = self.areas.get(data["question_area"])
        return data


NUMBER_SETTINGS = {
    "trend_declined_points": "Points when the grade has declined",
    "open_points": "Points per open finding (times the kind's weight)",
    "overdue_points": "Extra points per overdue finding (times the kind's weight)",
    "red_points": "Extra points per finding rated red (times the kind's weight)",
    "age_points_per_year": "Points per year since the area was last graded",
    "age_cap_years": "Years counted at most",
    "note_window_days": "Days of liaison notes counted",
}
NESTED_SETTINGS = {
    "grade_points": {value: f"Points for {label}" for value, label in GradeValue.choices} | {},
    "finding_weights": {
        "cause_of_concern": "Weight of a cause of concern",
        "recommendation": "Weight of a recommendation",
        "area_for_improvement": "Weight of an area for improvement",
    },
    "note_points": {
        "low": "Points per low-severity note",
        "medium": "Points per medium-severity note",
        "high": "Points per high-severity note",
    },
}
NESTED_SETTINGS["grade_points"].pop(GradeValue.NOT_GRADED)


class RiskConfigForm(GovukForm):
    """Every weight as a number box, the thresholds as lines of text."""

    thresholds = forms.CharField(
        label="Data return thresholds",
        required=False,
        help_text="One a line: indicator code, comparison (above, below, is_yes, is_no), "
        "value, question area slug, points. For example: "
        "calls-999-answered-10s, below, 85, responding-to-the-public, 3",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label="Why are you changing the model?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the weights are changing"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for group, labels in NESTED_SETTINGS.items():
            for key, label in labels.items():
                fields[f"{group}__{key}"] = forms.DecimalField(
                    label=label, min_value=0, decimal_places=2, max_digits=8
                )
        for key, label in NUMBER_SETTINGS.items():
            fields[key] = forms.DecimalField(
                label=label, min_value=0, decimal_places=2, max_digits=8
            )
        for name, field in fields.items():
            field.widget = forms.TextInput(
                attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"}
            )
            field.error_messages.update(
                {
                    "required": f"Enter a number for “{field.label}”",
                    "invalid": f"“{field.label}” must be a number",
                    "min_value": f"“{field.label}” must be 0 or more",
                }
            )
            self.fields[name] = field
        # Thresholds and the reason come last on the page.
        self.order_fields([*fields, "thresholds", "reason"])

    @staticmethod
    def initial_for(weights: dict) -> dict:
        """The form's starting values from a version's weights."""
        initial: dict = {}
        for group, labels in NESTED_SETTINGS.items():
            for key in labels:
                initial[f"{group}__{key}"] = weights.get(group, {}).get(
                    key, DEFAULT_WEIGHTS[group][key]
                )
        for key in NUMBER_SETTINGS:
            initial[key] = weights.get(key, DEFAULT_WEIGHTS[key])
        initial["thresholds"] = "\n".join(
            ", ".join(
                str(x)
                for x in (
                    t["indicator"],
                    t["comparison"],
                    "" if t.get("value") is None else f"{t['value']:g}",
                    t["area"],
                    f"{t['points']:g}",
                )
            )
            for t in weights.get("thresholds", [])
        )
        return initial

    def clean_thresholds(self):
        rows = []
        text = self.cleaned_data.get("thresholds", "")
        reader = csv.reader(io.StringIO(text))
        for number, cells in enumerate(reader, start=1):
            cells = [c.strip() for c in cells]
            if not any(cells):
                continue
            if len(cells) != 5:
                raise forms.ValidationError(
                    f"Line {number}: write indicator, comparison, value, area, points"
                )
            indicator, comparison, value, area, points = cells
            if comparison not in COMPARISONS:
                raise forms.ValidationError(
                    f"Line {number}: the comparison must be above, below, is_yes or is_no"
                )
            rows.append(
                {
                    "indicator": indicator,
                    "comparison": comparison,
                    "value": value or None,
                    "area": area,
                    "points": points,
                }
            )
        return rows

    def weights(self) -> dict:
        """The weights as the risk model stores them."""
        data = self.cleaned_data
        weights: dict = {}
        for group, labels in NESTED_SETTINGS.items():
            weights[group] = {key: float(data[f"{group}__{key}"]) for key in labels}
        for key in NUMBER_SETTINGS:
            weights[key] = float(data[key])
        weights["thresholds"] = data.get("thresholds", [])
        return weights

    def nested_fields(self):
        """The grouped weight fields, for the page's fieldsets."""
        titles = {
            "grade_points": "Points for the latest grade",
            "finding_weights": "Weights of kinds of finding",
            "note_points": "Points for liaison notes",
        }
        return [
            (titles[group], [self[f"{group}__{key}"] for key in labels])
            for group, labels in NESTED_SETTINGS.items()
        ]

    def number_fields(self):
        """The single weight fields."""
        return [self[key] for key in NUMBER_SETTINGS]


# Service error keys ("grade_points.good") to this form's field names.
def risk_error_map() -> dict[str, str]:
    """Service error keys mapped to the configuration form's fields."""
    mapping = {}
    for group, labels in NESTED_SETTINGS.items():
        for key in labels:
            mapping[f"{group}.{key}"] = f"{group}__{key}"
    return mapping


class RiskChooserForm(GovukForm):
    framework = forms.ChoiceField(label="Framework")
    force = forms.ChoiceField(label="Force")

    def __init__(self, *args, frameworks=(), forces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [(f.slug, f.name) for f in frameworks]
        self.fields["force"].choices = [(f.slug, f.name) for f in forces]


class PlanStartForm(GovukForm):
    tranche = forms.TypedChoiceField(label="Tranche", coerce=int)
    framework = forms.ChoiceField(label="Framework")

    def __init__(self, *args, tranches=(), frameworks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].choices = [(t.pk, str(t)) for t in tranches]
        self.fields["framework"].choices = [(f.slug, f.name) for f in frameworks]
        self.fields["tranche"].error_messages["required"] = "Choose a tranche"


class PlanChoiceForm(GovukForm):
    """Which forces, which core areas, and how many more areas the model chooses per force."""

    forces = forms.TypedMultipleChoiceField(
        label="Forces to inspect in this tranche",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one force"},
    )
    core_areas = forms.TypedMultipleChoiceField(
        label="Core areas (every force is inspected on these)",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extra_area_count = forms.IntegerField(
        label="How many more areas per force, chosen by the risk model",
        min_value=0,
        max_value=20,
        initial=2,
        error_messages={
            "required": "Enter how many more areas per force",
            "invalid": "Enter a whole number, like 2",
            "min_value": "Enter 0 or more",
            "max_value": "Enter 20 or fewer",
        },
    )

    def __init__(self, *args, forces=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.force_objects = {f.pk: f for f in forces}
        self.area_objects = {a.pk: a for a in areas}
        self.fields["forces"].choices = [(f.pk, f.name) for f in forces]
        self.fields["core_areas"].choices = [(a.pk, a.name) for a in areas]
        self.fields["extra_area_count"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
        )


def frameworks_for_choice():
    """Frameworks, newest first, for choosers."""
    return list(Framework.objects.order_by("-start_year", "name"))


def forces_for_choice():
    """Every police force, by name, for choosers."""
    return list(Organisation.objects.forces().order_by("name"))


class PlanReviewForm(GovukForm):
    """Per force, the areas to inspect beyond the core ones (the model's choice ticked), and
    the reason for any change to that choice."""

    note = forms.CharField(
        label="Note about this plan (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, forces=(), rankings=None, core_ids=frozenset(), extra=0, **kwargs):
        from recreg.oversight.services import model_choice

        super().__init__(*args, **kwargs)
        self.forces = list(forces)
        self.core_ids = set(core_ids)
        rankings = rankings or {}
        for force in self.forces:
            ranking = rankings[force.pk]
            picked = model_choice(ranking, self.core_ids, extra)
            self.fields[f"areas_{force.pk}"] = forms.TypedMultipleChoiceField(
                label=f"Areas to inspect at {force.name}",
                coerce=int,
                required=False,
                choices=[(a.pk, a.name) for a in ranking if a.pk not in self.core_ids],
                initial=[a.pk for a in ranking if a.pk in picked and a.pk not in self.core_ids],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
            )
            self.fields[f"reason_{force.pk}"] = forms.CharField(
                label=f"Why are you changing the model’s choice for {force.name}?",
                required=False,
                help_text="Needed only if you tick or untick areas the model chose",
                widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
            )

    def selections(self) -> dict[int, set[int]]:
        """The chosen areas per force, core areas included."""
        return {
            f.pk: set(self.cleaned_data.get(f"areas_{f.pk}") or []) | self.core_ids
            for f in self.forces
        }

    def reasons(self) -> dict[int, str]:
        """The reason given per force."""
        return {f.pk: self.cleaned_data.get(f"reason_{f.pk}", "") for f in self.forces}
