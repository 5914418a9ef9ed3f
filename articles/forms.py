"""Form pieces shared by the desk's admin screens."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.validators import MaxValueValidator
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


class SharePreviewForm(forms.Form):
    """Who an outside preview link is for, and for how many days: NEWSDESK_PREVIEW_MAX_DAYS at most."""

    audience = forms.CharField(
        label=_("Shared with"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. the trial's lead doctor, to check the figures")}
        ),
    )
    days = forms.IntegerField(label=_("Days valid"), min_value=1)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "preview-%s")
        super().__init__(*args, **kwargs)
        most = settings.NEWSDESK_PREVIEW_MAX_DAYS
        days = self.fields["days"]
        days.max_value = most
        days.validators.append(MaxValueValidator(most))
        days.widget.attrs["max"] = most
        days.initial = min(settings.NEWSDESK_PREVIEW_DAYS, most)
