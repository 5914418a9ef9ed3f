from django.urls import path
from news import views

urlpatterns = [
    path("news/", views.index, name="index"),
    path("news/<slug:slug>/", views.detail, name="detail"),
]
