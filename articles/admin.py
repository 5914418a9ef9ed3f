"""Django finds the admin here; the desk's admin lives in articles.desk.admin."""

from articles.desk import admin, pages  # noqa: F401
