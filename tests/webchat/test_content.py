"""What the page takes from the catalogue, and the settings it refuses (no servers needed)."""
from __future__ import annotations

import re

import pytest

from service_catalogue import digits, emails, load_services, phone_numbers, service, urls
from webchat import content
from webchat.server import create_app, security_headers


def test_every_catalogue_number_is_linked_with_its_digits():
    linked = {item["text"]: item["href"] for item in content.contacts()["numbers"]}
    assert set(linked) == set(phone_numbers().values())
    for text, href in linked.items():
        assert href.endswith(":" + digits(text))
    assert linked[str(service("shout")["text_number"])].startswith("sms:")
    assert linked[str(service("childline")["phone"])].startswith("tel:")


def test_emails_and_web_addresses_come_from_the_catalogue():
    found = content.contacts()
    assert set(found["emails"]) == emails()
    assert set(found["web"]) == urls()


def test_help_now_box_shows_999_childline_and_the_helpline_from_the_catalogue():
    box = content.help_now_html()
    services = load_services()
    for key in ("emergency", "childline", "nspcc_helpline"):
        number = str(services[key]["phone"])
        assert f'href="tel:{digits(number)}">{number}</a>' in box
    assert box.index("tel:999") < box.index(services["childline"]["name"])
    # no number in the box that the catalogue does not have
    for number in re.findall(r"\d[\d ]{2,}\d", box):
        assert digits(number) in phone_numbers(), number


@pytest.mark.parametrize("value", [
    "http://example.org/weather", "javascript:alert(1)", "//evil.example/x", "data:text/html,hi",
    "https://user:pw@example.org", "weather", "ftp://example.org",
])
def test_unsafe_exit_addresses_are_refused(value):
    with pytest.raises(content.ConfigError):
        content.check_exit_url(value)


@pytest.mark.parametrize("value", ["https://www.bbc.co.uk/weather", "/neutral.html"])
def test_exit_addresses_allowed(value):
    assert content.check_exit_url(value) == value


@pytest.mark.parametrize("value", [
    "127.0.0.1:5005", "http://127.0.0.1:5005/path", "http://127.0.0.1:5005 'unsafe-inline'",
    "javascript:x", "http://a;b", "http://127.0.0.1:5005?x=1",
])
def test_rasa_address_must_be_a_plain_origin(value):
    with pytest.raises(content.ConfigError):
        content.check_origin_url(value)


def test_settings_defaults_and_socket_address():
    settings = content.Settings.from_env({"WEBCHAT_PORT": "8123", "RASA_URL": "http://127.0.0.1:5005/"})
    assert settings.port == 8123
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.rasa_socket_url == "ws://127.0.0.1:5005"
    assert settings.exit_url == content.DEFAULT_EXIT_URL
    assert content.Settings.from_env({"RASA_URL": "https://bot.example.org"}).rasa_socket_url == "wss://bot.example.org"
    with pytest.raises(content.ConfigError):
        content.Settings.from_env({"WEBCHAT_PORT": "eighty"})


def test_csp_allows_only_self_and_the_rasa_origin():
    settings = content.Settings(port=8080, rasa_url="http://127.0.0.1:5005", exit_url="/neutral.html")
    csp = security_headers(settings)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self' http://127.0.0.1:5005 ws://127.0.0.1:5005"
    assert "unsafe" not in csp


def test_page_escapes_its_settings():
    settings = content.Settings(port=8080, rasa_url="http://127.0.0.1:5005",
                                exit_url='/neutral.html?"><script>alert(1)</script>')
    app = create_app(settings)
    assert app is not None  # renders without error
    from webchat.server import build_assets
    page = build_assets(settings)["/"].body.decode()
    assert "<script>alert(1)" not in page
    assert "&quot;&gt;&lt;script&gt;" in page
