"""Select boxes are built in Python rather than one template per option (the register's filters
have about 100 options): the HTML must be byte for byte what Django's own templates give."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from recreg.core.forms import GovukFormRenderer

CHOICES = [
    ("", "Any"),
    ("a&b", "Avon & Somerset <Police>"),
    ("quote", 'Say "hello"'),
    (mark_safe("safe"), mark_safe("<b>kept</b>")),
    ("Framework & co", [("1", "Area one"), ("2", "Area <two>")]),
    (3, "A number"),
    ("lazy", gettext_lazy("A lazy & translated <label>")),
    (mark_safe("lazy-safe"), mark_safe(gettext_lazy("<i>lazy and safe</i>"))),  # noqa: S308
]


class Form(forms.Form):
    one = forms.CharField(required=False, widget=forms.Select(choices=CHOICES))
    many = forms.MultipleChoiceField(
        required=False,
        choices=[(str(v), str(v)) for v in range(4)],
        widget=forms.SelectMultiple(attrs={"class": "govuk-select", "data-x": True}),
    )
    off = forms.CharField(
        required=False,
        widget=forms.Select(choices=CHOICES, attrs={"disabled": False, "aria-describedby": "h"}),
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"one": "a&b", "many": ["1", "3"]}, {"one": "2", "off": "quote"}, {"one": "3"}],
)
def test_select_html_is_what_djangos_templates_give(data):
    fast = Form(data, renderer=GovukFormRenderer())
    slow = Form(data, renderer=DjangoTemplates())
    for name in ("one", "many", "off"):
        assert str(fast[name]) == str(slow[name])
    assert "<option" in str(fast["one"]) and "optgroup" in str(fast["one"])


def test_a_widget_with_its_own_option_template_is_rendered_by_its_templates():
    class Own(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class OwnForm(forms.Form):
        one = forms.CharField(required=False, widget=Own(choices=[("a", "A")]))

    fast = OwnForm(renderer=GovukFormRenderer())
    slow = OwnForm(renderer=DjangoTemplates())
    assert str(fast["one"]) == str(slow["one"])
