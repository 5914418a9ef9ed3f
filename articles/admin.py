from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Article, DiseaseTag, TherapyTag


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status_badge", "author", "published_at", "tag_names", "updated_at"]
    list_filter = ["status", "diseases", "therapies", "author"]
    list_select_related = ["author"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "byline", "author"]}),
        (_("Tags"), {"fields": ["diseases", "therapies"]}),
        (_("Hero image"), {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
        (_("Source"), {"fields": ["source_publisher", "source_url", "source_date"], "classes": ["collapse"]}),
        (_("Publication"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("diseases", "therapies")

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, article):
        return format_html(
            '<span class="status-badge status-{}">{}</span>', article.status, article.get_status_display()
        )

    @admin.display(description=_("tags"))
    def tag_names(self, article):
        return ", ".join(tag.name for tag in [*article.diseases.all(), *article.therapies.all()])

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class VocabularyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "synonym_list", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "synonyms", "abbreviations", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    @admin.display(description=_("synonyms and abbreviations"))
    def synonym_list(self, term):
        return ", ".join([*term.abbreviations, *term.synonyms])


@admin.register(DiseaseTag)
class DiseaseTagAdmin(VocabularyTermAdmin):
    pass


@admin.register(TherapyTag)
class TherapyTagAdmin(VocabularyTermAdmin):
    pass
