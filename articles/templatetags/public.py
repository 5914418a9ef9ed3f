"""The one public template still on the Django engine: the sitemap's XML (django.contrib.sitemaps renders
it). The public pages are Jinja2 templates (articles.public.templating)."""

from django import template

from articles.public import templating

register = template.Library()
register.simple_tag(templating.sitemap_entries)
