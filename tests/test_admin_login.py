"""The admin: staff only; repeated failed logins are locked out by django-axes."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def login(client, username, password, ip="203.0.113.7"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "curator", password="correct-horse-77", is_staff=True
    )


def test_anonymous_users_are_sent_to_the_login_page():
    response = Client().get("/admin/sources/source/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_can_log_in(staff):
    client = Client()
    assert logged_in(login(client, "curator", "correct-horse-77"))
    assert client.get("/admin/").status_code == 200


def test_non_staff_users_cannot_use_the_admin(django_user_model):
    django_user_model.objects.create_user("reader", password="just-a-reader-9")
    client = Client()
    response = login(client, "reader", "just-a-reader-9")
    assert response.status_code == 200  # the form again, with an error
    assert b"staff account" in response.content
    assert client.get("/admin/").status_code == 302
    # Not even a direct session gets a non-staff user in.
    client.force_login(django_user_model.objects.get(username="reader"))
    assert client.get("/admin/sources/source/").status_code == 302


def test_five_failures_lock_out_even_the_right_password(staff):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for attempt in range(5):
        response = login(client, "curator", f"wrong-{attempt}")
        assert not logged_in(response)
    response = login(client, "curator", "correct-horse-77")
    assert response.status_code == 429
    assert not logged_in(response)
    assert client.get("/admin/").status_code != 200
    # Still locked on the next try.
    assert login(client, "curator", "correct-horse-77").status_code == 429


def test_lockout_is_per_user_and_address(staff, django_user_model):
    django_user_model.objects.create_user("editor", password="another-pass-88", is_staff=True)
    client = Client()
    for attempt in range(5):
        login(client, "curator", f"wrong-{attempt}")
    assert login(client, "curator", "correct-horse-77").status_code == 429
    # Another user from the same address, and the same user from elsewhere, are not locked.
    assert logged_in(login(Client(), "editor", "another-pass-88"))
    assert logged_in(login(Client(), "curator", "correct-horse-77", ip="198.51.100.20"))


def test_a_successful_login_resets_the_count(staff):
    client = Client()
    for attempt in range(4):
        login(client, "curator", f"wrong-{attempt}")
    assert logged_in(login(client, "curator", "correct-horse-77"))
    client = Client()
    for attempt in range(4):
        login(client, "curator", f"wrong-again-{attempt}")
    assert logged_in(login(client, "curator", "correct-horse-77"))


def test_axes_reset_command_unlocks(staff):
    from django.core.management import call_command

    client = Client()
    for attempt in range(5):
        login(client, "curator", f"wrong-{attempt}")
    assert login(client, "curator", "correct-horse-77").status_code == 429
    call_command("axes_reset_username", "curator", verbosity=0)
    assert logged_in(login(Client(), "curator", "correct-horse-77"))


def test_behind_a_proxy_one_client_cannot_lock_out_another(staff, settings):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker, curator = Client(), Client()
    for attempt in range(5):
        attacker.post(LOGIN, {"username": "curator", "password": f"wrong-{attempt}"},
                      REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.66")
    # Forging X-Forwarded-For does not get the attacker a fresh address: the proxy appends
    # the real one, and only that is trusted.
    attacker.post(LOGIN, {"username": "curator", "password": "wrong-again"}, REMOTE_ADDR=proxy,
                  HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.66")
    locked = attacker.post(LOGIN, {"username": "curator", "password": "correct-horse-77"},
                           REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert locked.status_code == 429
    response = curator.post(LOGIN, {"username": "curator", "password": "correct-horse-77"},
                            REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert logged_in(response)


def test_one_address_guessing_across_usernames_is_locked(staff):
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 20
    for n in range(19):
        login(Client(), f"guess-{n}", "wrong")
    # Under the address's limit: the curator still gets in from it (and that resets nothing
    # for the guesser, whose failures were for other usernames).
    assert logged_in(login(Client(), "curator", "correct-horse-77"))
    login(Client(), "guess-19", "wrong")
    login(Client(), "guess-20", "wrong")
    locked = login(Client(), "curator", "correct-horse-77")
    assert locked.status_code == 429
    assert not logged_in(locked)
    # Another address is not affected.
    assert logged_in(login(Client(), "curator", "correct-horse-77", ip="198.51.100.20"))
