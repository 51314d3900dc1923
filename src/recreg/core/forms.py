"""GOV.UK Design System markup for Django forms.

Forms render through templates in templates/forms, so every form gets labels, hints, error
messages and the error summary the way the Design System sets them out.
"""

from __future__ import annotations

from html import escape as html_escape

from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
    forms.widgets.Input: "govuk-input",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _escaped(value) -> str:
    """django.utils.html.escape, to the same characters, without the wrapper that checks each
    call's arguments for lazy strings (str() resolves them): a select box calls it twice an
    option, and the wrapper was most of that cost."""
    return html_escape(str(value))


def _conditionally_escaped(value) -> str:
    """django.utils.html.conditional_escape, likewise: safe strings as they are."""
    as_html = getattr(value, "__html__", None)
    return as_html() if as_html is not None else html_escape(str(value))


def _attrs_html(attrs: dict) -> str:
    """Django's widgets/attrs.html, in Python."""
    return "".join(
        ""
        if value is False
        else f" {_conditionally_escaped(name)}"
        if value is True
        else f' {_conditionally_escaped(name)}="{_escaped(value)}"'
        for name, value in attrs.items()
    )


def select_html(widget: dict) -> str | None:
    """Django's widgets/select.html and select_option.html, in Python, to the same bytes.

    Django renders every <option> through a template of its own: the register's filters have
    about 100 options, which cost more of the page's time than its 50 rows' data. None when a
    widget brings an option template of its own, which is then rendered as usual.
    """
    parts = [
        f'<select name="{_conditionally_escaped(widget["name"])}"{_attrs_html(widget["attrs"])}>'
    ]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_conditionally_escaped(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_escaped(option["value"])}"'
                f"{_attrs_html(option['attrs'])}>{_conditionally_escaped(option['label'])}"
                "</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def rendering_key(form: forms.Form, *depends_on) -> str:
    """What a bound form's fields render from, as a key for Django's {% cache %} tag: the
    fields it has, the data it was given (and so its errors), and whatever else its choices
    come from (`depends_on`, such as the version of kept choices).

    The register's and the force overview's filters render the same for everyone who sends
    the same query: about 1.9 ms a page rendered, 0.04 ms kept (docs/performance.md)."""
    return "|".join([*map(str, depends_on), ",".join(form.fields), form.data.urlencode()])


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)

    def get_template(self, template_name):
        """The project's template if it has one, else Django's own widget template (which the
        project's engine finds only when "django.forms" is an installed app)."""
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._django_forms.get_template(template_name)

    @cached_property
    def _django_forms(self) -> DjangoTemplates:
        return DjangoTemplates()


class GovukFormMixin:
    """Adds the Design System's classes to widgets, and the error classes after validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            for widget_class, css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_class):
                    existing = widget.attrs.get("class", "")
                    widget.attrs["class"] = f"{css} {existing}".strip()
                    break

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            classes = widget.attrs.get("class", "").split()
            for base, error in ERROR_CLASSES.items():
                if base in classes and error not in classes:
                    classes.append(error)
            widget.attrs["class"] = " ".join(classes)
            widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class GovukDateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy or yyyy-mm-dd in one box."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})})


DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%d-%m-%Y"]


class GovukDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", GovukDateInput)
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("error_messages", {"invalid": "Enter a real date, like 31/03/2025"})
        kwargs.setdefault("help_text", "For example, 31/03/2025")
        super().__init__(**kwargs)


def mark_field_error(form: forms.BaseForm, name: str) -> None:
    """Give a field's widget the Design System's error class and link it to its message."""
    widget = form.fields[name].widget
    classes = widget.attrs.get("class", "").split()
    for base, error in ERROR_CLASSES.items():
        if base in classes and error not in classes:
            classes.append(error)
    widget.attrs["class"] = " ".join(classes)
    widget.attrs["aria-describedby"] = f"{form[name].auto_id}-error"


def add_service_errors(form: forms.BaseForm, exc, field_map: dict[str, str] | None = None):
    """Show a service's ValidationError on the form: each message on its field where the form
    has one (after renaming through field_map), otherwise at the top of the error summary."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, messages in exc.message_dict.items():
        name = field_map.get(key, key)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
        # Errors added after cleaning miss the classes full_clean gives, so add them here.
        if target is not None:
            mark_field_error(form, target)
