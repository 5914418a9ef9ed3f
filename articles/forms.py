"""Form pieces shared by the desk's admin screens."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _


def term_picker(vocabulary, label) -> forms.ModelMultipleChoiceField:
    """Pick terms from a closed vocabulary. Nobody types new terms here; editors add them to the list."""
    return forms.ModelMultipleChoiceField(
        vocabulary.objects.all(),
        label=label,
        required=False,
        widget=FilteredSelectMultiple(label, is_stacked=False),
        help_text=_("Pick from the list. A missing term? Ask an editor to add it to the vocabulary."),
    )
