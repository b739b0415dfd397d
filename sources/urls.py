from django.urls import path

from . import views, views_entities
from .entity_kinds import KINDS

app_name = "sources"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("api/search", views.api_search, name="api_search"),
    path("api/sources/<slug:slug>", views.api_source, name="api_source"),
    path("search.csv", views.search_csv, name="search_csv"),
    path("search.atom", views.search_atom, name="search_atom"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("sources/<slug:slug>/", views.source_detail, name="detail"),
    path("sources/<slug:slug>/cite.bib", views.source_citation, {"fmt": "bib"}, name="cite_bib"),
    path("sources/<slug:slug>/cite.ris", views.source_citation, {"fmt": "ris"}, name="cite_ris"),
] + [
    route
    for kind in KINDS
    for route in (
        path(f"{kind.word}/", views_entities.entity_list, {"kind_word": kind.word}, name=f"{kind.word}_list"),
        path(f"{kind.word}/<slug:slug>/", views_entities.entity_detail, {"kind_word": kind.word},
             name=f"{kind.word}_detail"),
        path(f"api/{kind.word}/<slug:slug>", views_entities.entity_api, {"kind_word": kind.word},
             name=f"{kind.word}_api"),
    )
]
