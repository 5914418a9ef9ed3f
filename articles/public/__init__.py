"""The public site: pages, feeds, sitemaps and search. Readers see only `Article.objects.public()`."""
