"""Forms for uploading a report, reviewing what was found in it, and bulk import."""

from __future__ import annotations

from django import forms

from recreg.core.forms import GovukForm
from recreg.findings.deadlines import HELP as DEADLINE_HELP
from recreg.findings.deadlines import DeadlineError, parse_deadline
from recreg.findings.models import AddresseeScope, FindingKind
from recreg.frameworks.models import QuestionArea
from recreg.intake.extract import MAX_BYTES

ACCEPT = ".pdf,.docx,.html,.htm,.md,.markdown,.txt"


class UploadForm(GovukForm):
    file = forms.FileField(
        label="Report document",
        help_text="PDF, Word (.docx), HTML, Markdown or plain text, up to "
        f"{MAX_BYTES // 1024 // 1024} MB",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": "Choose the report document to upload",
            "empty": "The file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; it must be no more than "
                f"{MAX_BYTES // 1024 // 1024} MB"
            )
        return upload


class ReviewItemForm(GovukForm):
    include = forms.BooleanField(label="Import this finding", required=False)
    kind = forms.ChoiceField(label="Kind", choices=FindingKind.choices)
    reference = forms.CharField(label="Reference as printed", required=False, max_length=60)
    text = forms.CharField(label="Text", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    addressee_scope = forms.ChoiceField(label="Addressed to", choices=AddresseeScope.choices)
    addressees = forms.CharField(
        label="Forces or national body",
        required=False,
        max_length=1000,
        help_text="Names separated by commas; leave blank for all forces",
    )
    deadline_text = forms.CharField(
        label="Deadline", required=False, max_length=200, help_text=DEADLINE_HELP
    )
    question_area = forms.ModelChoiceField(
        label="Question area", queryset=QuestionArea.objects.none(), required=False
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, inspection=None, own_tracking=False, **kwargs):
        super().__init__(*args, **kwargs)
        if inspection is not None and inspection.programme_id:
            self.fields["question_area"].queryset = QuestionArea.objects.filter(
                framework_id=inspection.programme_id
            )
        else:
            del self.fields["question_area"]
        if own_tracking:
            # Own tracking always means the importer's own force.
            del self.fields["addressee_scope"]
            del self.fields["addressees"]

    def clean(self):
        data = super().clean()
        if not data.get("include"):
            return data
        if not (data.get("text") or "").strip():
            self.add_error("text", "Enter the text of the finding")
        try:
            parse_deadline(data.get("deadline_text") or "")
        except DeadlineError as exc:
            self.add_error("deadline_text", str(exc))
        return data

    def item(self, original: dict | None) -> dict:
        """The reviewed item, keeping what the form does not show (source, extracted area)."""
        data = self.cleaned_data
        item = dict(original or {"source": {}, "area": "", "existing": None})
        item.update(
            include=bool(data.get("include")),
            kind=data.get("kind"),
            reference=data.get("reference") or "",
            text=(data.get("text") or "").strip(),
            deadline_text=(data.get("deadline_text") or "").strip(),
            parent=data.get("parent"),
        )
        if "addressee_scope" in self.fields:
            item["addressee_scope"] = data.get("addressee_scope")
            item["addressees"] = data.get("addressees") or ""
        if "question_area" in self.fields:
            area = data.get("question_area")
            item["question_area"] = area.pk if area else None
        return item


class BaseReviewFormSet(forms.BaseFormSet):
    def __init__(self, *args, inspection=None, own_tracking=False, **kwargs):
        self.inspection = inspection
        self.own_tracking = own_tracking
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"inspection": self.inspection, "own_tracking": self.own_tracking}


ReviewFormSet = forms.formset_factory(
    ReviewItemForm, formset=BaseReviewFormSet, extra=0, max_num=1000, validate_max=True
)


def initial_for(item: dict) -> dict:
    """Form initial data for a stored item."""
    return {
        "include": item.get("include", True),
        "kind": item.get("kind"),
        "reference": item.get("reference", ""),
        "text": item.get("text", ""),
        "addressee_scope": item.get("addressee_scope", AddresseeScope.FORCES),
        "addressees": item.get("addressees", ""),
        "deadline_text": item.get("deadline_text", ""),
        "question_area": item.get("question_area"),
        "parent": item.get("parent"),
    }


class BulkImportForm(GovukForm):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[
            ("inspections", "Inspections"),
            ("findings", "Findings"),
            ("responses", "Responses (owners, RAG, latest update)"),
            ("grades", "Grades"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file holds"},
    )
    file = forms.FileField(
        label="Spreadsheet",
        help_text="CSV or Excel (.xlsx), laid out as the template for that kind",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "required": "Choose the spreadsheet to import",
            "empty": "The file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be no more than {MAX_BYTES // 1024 // 1024} MB"
            )
        return upload
