"""The newsroom's own pages in the admin: editors write them; saving one live runs the page gates."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, Resolver404, resolve
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.desk.autosave import DropsDraftOnSave
from articles.models import Page


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "summary", "body", "footer_position", "is_live"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        try:
            match = resolve(f"/{slug}/")
        except (Resolver404, NoReverseMatch):
            match = None
        if match is not None and match.view_name != "articles:page":
            raise ValidationError(
                gettext(
                    "/%(slug)s/ is already an address of the site. Choose another, such as “%(slug)s-us”."
                )
                % {"slug": slug}
            )
        return slug

    def _post_clean(self):
        super()._post_clean()
        self.gate_problems = None
        if not self.errors:
            self.gate_problems = services.page_problems(self.instance)
            if self.gate_problems and self.instance.is_live:
                for problem in self.gate_problems:
                    self.add_error("is_live", problem)


@admin.register(Page)
class PageAdmin(DropsDraftOnSave, admin.ModelAdmin):
    form = PageForm
    list_display = ["title", "address", "footer_position", "is_live", "updated_at"]
    list_filter = ["is_live"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (_("On the site"), {"fields": ["footer_position", "is_live", "went_live_at", "updated_at"]}),
    ]
    readonly_fields = ["went_live_at", "updated_at"]

    @admin.display(description=_("address"))
    def address(self, page):
        if page.is_public:
            return format_html('<a href="{}">{}</a>', page.get_absolute_url(), page.get_absolute_url())
        return page.get_absolute_url()

    def has_delete_permission(self, request, obj=None):
        # One readers have seen is taken offline instead: its address then answers 410 (articles.signals).
        return super().has_delete_permission(request, obj) and (obj is None or obj.went_live_at is None)

    def save_model(self, request, obj, form, change):
        services.save_page(obj, problems=form.gate_problems)  # the gates have read this text once
