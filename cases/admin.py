from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "label", "age_band", "sex", "treatment_year", "privacy_status", "updated_at"]
    list_filter = ["privacy_status", "age_band", "sex", "diseases", "therapies"]
    search_fields = ["reference", "label"]
    autocomplete_fields = ["articles"]
    readonly_fields = ["reference", "privacy_status", "cleared_by", "cleared_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["reference", "label", "articles"]}),
        (
            _("Anonymised facts"),
            {
                "fields": [
                    "age_band",
                    "sex",
                    "diseases",
                    "therapies",
                    "treatment_year",
                    "follow_up",
                    "outcome",
                ]
            },
        ),
        (_("Story"), {"fields": ["narrative"]}),
        (_("Privacy"), {"fields": ["privacy_status", "cleared_by", "cleared_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("diseases", "therapies")
