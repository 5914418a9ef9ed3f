"""The references an article rests on, in its form: each filled in by hand or from a pasted DOI, PMID,
RIS record or BibTeX entry (and from the lookup service, where one is configured)."""

from django import forms
from django.contrib import admin
from django.db.models import Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.desk.inlines import EditedWithTheArticle
from articles.models import Reference
from articles.references import MAX_PASTE_CHARS, look_up, lookup_configured, read_pasted


class ReferenceForm(forms.ModelForm):
    pasted = forms.CharField(
        label=_("Paste a DOI, PMID, RIS or BibTeX"),
        required=False,
        max_length=MAX_PASTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 2, "class": "reference-paste", "spellcheck": "false"}),
        help_text=_("The empty fields below are filled from it when you save."),
    )

    class Meta:
        model = Reference
        fields = ["pasted", "position", "kind", "title", "authors", "venue", "year", "volume", "issue",
                  "pages", "doi", "pmid", "registry_id", "url"]  # fmt: skip
        widgets = {
            "authors": forms.Textarea(attrs={"rows": 3}),
            "position": forms.NumberInput(attrs={"class": "vSmallField", "min": 0}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False  # a paste may bring it: `clean` asks for it after
        self.fields["position"].required = False
        if self.instance.pk is None:  # left empty, a new reference goes last
            self.initial.pop("position", None)
            self.fields["position"].initial = None
        if lookup_configured():
            self.fields["pasted"].help_text = _(
                "The empty fields below are filled from it when you save; a DOI or PMID alone is looked up."
            )

    def clean_position(self):
        position = self.cleaned_data.get("position")
        if position is not None:
            return position
        if self.instance.pk is not None:
            return self.instance.position
        last = Reference.objects.filter(article_id=self.instance.article_id).aggregate(n=Max("position"))["n"]
        return 0 if last is None else last + 1  # left empty: after the references already there

    def clean(self):
        data = super().clean()
        pasted = read_pasted(data.get("pasted", ""))
        if pasted.problem:
            self.add_error("pasted", pasted.problem)
            return data
        found, problem = look_up(pasted)
        if problem:
            self.add_error("pasted", problem)
        for key, value in {**pasted.values, **found}.items():
            empty = data.get(key) in (None, "") or (key == "kind" and key not in self.changed_data)
            if key in self.fields and key not in self._errors and empty:
                data[key] = value
        if not (data.get("title") or "").strip() and "pasted" not in self._errors:
            self.add_error(
                "title",
                gettext("Give the work's title, or paste its DOI, PMID, RIS record or BibTeX entry.")
                if not pasted.values
                else gettext("The paste gave no title: type it in, or paste the RIS or BibTeX record."),
            )
        return data


class ReferenceInline(EditedWithTheArticle, admin.StackedInline):
    """An article's references, in the order readers see them. Who may edit the article may edit them."""

    model = Reference
    form = ReferenceForm
    extra = 0
    classes = ["references"]
    fieldsets = [
        (None, {"fields": ["pasted", ("kind", "position"), "title", "authors", "venue"]}),
        (None, {"fields": [("year", "volume", "issue", "pages"), ("doi", "pmid"), ("registry_id", "url")]}),
    ]
