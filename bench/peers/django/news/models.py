from django.db import models


class Tag(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)

    def __str__(self):
        return self.name


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    standfirst = models.TextField()
    body = models.TextField()
    published = models.DateField(db_index=True)
    tags = models.ManyToManyField(Tag, related_name="articles")

    class Meta:
        ordering = ["-published", "-pk"]

    def __str__(self):
        return self.title
