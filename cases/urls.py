from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("<str:reference>/", views.CaseDetailView.as_view(), name="detail"),
]
