from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("<str:reference>/", views.CaseDetailView.as_view(), name="detail"),
]
