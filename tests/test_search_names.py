"""Names in searches, on the seeds: a name typed without quotes finds every article of its
filter, any spelling of a person finds the person's articles, and `exact=1` searches only
the spelling typed (issue 15, the part that rests on the curated names)."""

import pytest

from sources.models import Source

pytestmark = pytest.mark.django_db


def slugs(client, **params):
    response = client.get("/api/search", {"per_page": 50, **params})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["total"] <= 50
    return {hit["slug"] for hit in data["hits"]}


def naming(**relation):
    return set(Source.objects.filter(is_published=True, **relation).values_list("slug", flat=True))


@pytest.mark.parametrize("typed, organisation", [
    ("Hizb ut-Tahrir", "Hizb ut-Tahrir"),
    ("Hizb ut Tahrir", "Hizb ut-Tahrir"),
    ("Islamic Renaissance Party of Tajikistan", "Islamic Renaissance Party of Tajikistan"),
    ("IRPT", "Islamic Renaissance Party of Tajikistan"),
])
def test_a_name_typed_without_quotes_finds_every_article_of_its_filter(client, seeded, typed, organisation):
    by_filter = naming(organisations__name=organisation)
    assert len(by_filter) >= 3
    assert by_filter <= slugs(client, q=typed)


def test_a_name_and_another_word_must_both_match(client, seeded):
    both = slugs(client, q="Hizb ut-Tahrir Kazakhstan")
    assert both and both <= slugs(client, q="Kazakhstan")
    assert both <= naming(organisations__name="Hizb ut-Tahrir") | slugs(client, q='"Hizb ut-Tahrir"')


def test_ordinary_words_are_not_widened(client, seeded):
    for q in ("border security", "state", "party"):
        response = client.get("/search/", {"q": q})
        assert "Also searched for other names" not in response.content.decode(), q


def test_exact_spelling_finds_only_the_spelling_typed(client, seeded):
    halimov = naming(people__name="Gulmurod Halimov")
    widened = slugs(client, q="Khalimov")
    assert halimov <= widened
    exact = slugs(client, q="Khalimov", exact="1")
    spelled = {s.slug for s in Source.objects.filter(is_published=True) if "Khalimov" in s.text or "Khalimov" in s.title}
    assert exact == spelled and 0 < len(exact) < len(widened)


def test_exact_is_kept_by_the_page_and_its_links(client, seeded):
    from tests.test_views_search import _facet_links

    response = client.get("/search/", {"q": "Khalimov", "exact": "1"})
    html = response.content.decode()
    assert '<input type="checkbox" name="exact" value="1" checked>' in html
    assert "Also searched for other names" not in html
    links = _facet_links(response, "country")
    assert links and all("exact=1" in href for _, href, *_ in links)  # they search the same way
    widened = client.get("/search/", {"q": "Khalimov"}).content.decode()
    assert '<input type="checkbox" name="exact" value="1">' in widened
    assert "Also searched for other names and spellings: " in widened


def test_a_bad_exact_value_is_refused(client, seeded):
    response = client.get("/api/search", {"q": "Khalimov", "exact": "maybe"})
    assert response.status_code == 400 and "exact" in response.json()["error"]


def test_a_name_in_one_script_finds_the_other(client, fresh_index):
    from tests.factories import make_source
    from tests.fixtures_search import rebuild_index

    latin = make_source("Rally in Dushanbe", "Hundreds gathered in Dushanbe on Friday.")
    cyrillic = make_source("Митинг", "Сотни людей собрались в Душанбе в пятницу.", language="ru")
    kh = make_source("Defector named", "Colonel Khalimov was seen in Raqqa.")
    rebuild_index()
    assert slugs(client, q="Dushanbe") == {latin.slug, cyrillic.slug}
    assert slugs(client, q="Душанбе") == {latin.slug, cyrillic.slug}
    assert slugs(client, q="Halimov") == {kh.slug}  # Halimov -> Халимов -> Khalimov
    assert slugs(client, q="Dushanbe", exact="1") == {latin.slug}
    assert slugs(client, q="dushanbe") == {latin.slug}  # not a name as typed: not varied
    data = client.get("/api/search", {"q": "Душанбе"}).json()
    marked = {hit["slug"]: " ".join(hit["snippets"]) for hit in data["hits"]}
    assert "<mark>Dushanbe</mark>" in marked[latin.slug] and "<mark>Душанбе</mark>" in marked[cyrillic.slug]


#: On the seeds: names that must widen (more articles than their exact spelling finds) and
#: words that must not (ordinary words, capitalised or not: the same articles either way).
#: The spelling rules' pairs of the seeds (name_variants.py) widen too: Uighur/Uyghur,
#: Mukhiddin/Muhiddin. Words the rules would vary but that are English do not ("Now", "Four",
#: "Just", "Union", "Court"), nor names the archive holds in no other spelling.
MUST_WIDEN = ["Khalimov", "Rakhmon", "Hezb ut-Tahrir", "Rahmonov", "Daesh", "Uighur", "Uyghur",
              "Mukhiddin", "Rahmoni"]
MUST_NOT_WIDEN = ["Police", "President", "Security", "border", "government", "Minister", "Syria",
                  "Union", "Court", "Now", "Four", "Just", "South", "May", "Youth", "Day", "House",
                  "Judge", "Journal", "Young", "You", "Naim", "Yaqubov", "Kasymov", "Jalilov", "Massoud"]


@pytest.mark.parametrize("q", MUST_WIDEN)
def test_names_widen_on_the_seeds(client, seeded, q):
    assert slugs(client, q=q) > slugs(client, q=q, exact="1")


@pytest.mark.parametrize("q", MUST_NOT_WIDEN)
def test_ordinary_words_find_the_same_articles_either_way(client, seeded, q):
    assert slugs(client, q=q) == slugs(client, q=q, exact="1")


@pytest.mark.parametrize("q, model, name", [
    ("ISIS", "organisation", "Islamic State"),
    ("Islamic State", "organisation", "Islamic State"),
    ("Rahmon", "person", "Emomali Rahmon"),
])
def test_leaving_out_phrases_other_names_find_changes_no_answer(client, seeded, q, model, name):
    """A widened name leaves out the phrases its other names already find (query_syntax):
    the articles found are those of every name searched in full."""
    from sources.models import Organisation, Person

    entity = (Organisation if model == "organisation" else Person).objects.get(name=name)
    every_name = " OR ".join(f'"{n}"' for n in [entity.name, *entity.alias_list])
    assert slugs(client, q=q) == slugs(client, q=every_name, exact="1")
