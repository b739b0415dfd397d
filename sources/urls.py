from django.urls import path

from . import views

app_name = "sources"

urlpatterns = [
    path("sources/<slug:slug>/", views.source_detail, name="detail"),
]
