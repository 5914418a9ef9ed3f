"""Each member of staff's own choice: how readers see them, and whether they have a public page."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from articles.models import StaffProfile


class MyPageForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ["public_name", "credentials", "shows_page"]


def my_page(request):
    """Signed-in staff edit their own public profile; nobody else's."""
    profile, _created = StaffProfile.objects.get_or_create(user=request.user)
    form = MyPageForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("Saved. Readers see your page.")
            if profile.shows_page
            else _("Saved. You have no public page."),
        )
        return redirect("admin_my_page")
    context = {
        **admin.site.each_context(request),
        "title": _("My public page"),
        "form": form,
        "profile": profile,
    }
    return TemplateResponse(request, "admin/my_page.html", context)
