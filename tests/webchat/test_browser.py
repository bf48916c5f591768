"""The public chat page in headless Chromium against the real running servers (the `stack` fixture).

Skipped (with the reason) only when Debian's Chromium is not installed at /usr/bin/chromium.
"""
from __future__ import annotations

import re

import pytest

from service_catalogue import service
from tests.webchat.chat import BOT, ChatPage, tel
from tests.webchat.conftest import AXE, DESKTOP, MOBILE, SCREENSHOTS, push_bot_event

CHILD = ["hi", "im 13 and my stepdad hits me"]
ADULT = "I'm a teacher and I'm worried one of my pupils is being hit at home"
DANGER = "im 12 and my dad is hitting my mum right now"


def open_chat(context, webchat_url) -> ChatPage:
    return ChatPage(context.new_page(), webchat_url).open()


# ---------- conversations end with the right route, as tappable links ----------

def test_child_conversation_ends_with_childline_tel_link(context, webchat_url, console_errors):
    chat = open_chat(context, webchat_url)
    chat.say(CHILD[0])
    replies = chat.say(CHILD[1], expect_link=tel("childline"))
    link = chat.page.locator(f'#log a[href="{tel("childline")}"]').last
    assert link.is_visible()
    assert link.inner_text() == str(service("childline")["phone"])
    assert any(service("childline")["name"] in reply for reply in replies)
    assert chat.page.locator(f'#log a[href="{tel("nspcc_helpline")}"]').count() == 0
    # The user's words are shown as typed, as text
    assert chat.page.locator("#log .msg.user p").last.inner_text() == CHILD[1]
    assert console_errors == []  # e.g. nothing blocked by the page's own CSP


def test_adult_conversation_ends_with_the_nspcc_helpline(context, webchat_url, console_errors):
    chat = open_chat(context, webchat_url)
    chat.say(ADULT, expect_link=tel("nspcc_helpline"))
    helpline = service("nspcc_helpline")
    assert chat.page.locator(f'#log a[href="{tel("nspcc_helpline")}"]').last.inner_text() == helpline["phone"]
    assert chat.page.locator(f'#log a[href="mailto:{helpline["email"]}"]').count() >= 1
    web = chat.page.locator(f'#log a[href="{helpline["web"]}"]').last
    assert web.get_attribute("rel") == "noopener noreferrer"
    assert chat.page.locator(f'#log a[href="{tel("childline")}"]').count() == 0
    assert console_errors == []


def test_danger_message_shows_999_first(context, webchat_url):
    chat = open_chat(context, webchat_url)
    chat.say(DANGER, expect_link=tel("childline"))
    first = chat.page.locator(BOT).first
    assert first.locator(f'a[href="{tel("emergency")}"]').count() >= 1, first.inner_text()
    assert "999" in first.inner_text()


# ---------- quick exit ----------

def _trigger(page, how: str) -> None:
    if how == "button":
        page.get_by_role("link", name="Leave this site").click()
    elif how == "escape":
        page.locator("#message").focus()
        page.keyboard.press("Escape")
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
            page.wait_for_timeout(150)


# What the chat page looked like as it was left, reported from its `beforeunload` to the test:
# proves the page cleared itself (not only that the browser moved on).
AS_LEFT = """addEventListener('beforeunload', () => {
  if (location.pathname === '/') {
    window.reportLeft({elements: document.body.childElementCount,
                       text: document.body.textContent.length, storage: sessionStorage.length});
  }
});"""


@pytest.mark.parametrize("how", ["button", "escape", "shift"])
def test_quick_exit_replaces_the_page(context, webchat_url, how):
    as_left = []
    context.expose_binding("reportLeft", lambda source, state: as_left.append(state))
    context.add_init_script(AS_LEFT)
    chat = open_chat(context, webchat_url)
    sockets = []
    chat.page.on("websocket", lambda socket: sockets.append(socket))
    chat.say(CHILD[1], expect_link=tel("childline"))
    assert chat.session_id
    _trigger(chat.page, how)
    chat.page.wait_for_url("**/neutral.html", timeout=10_000)
    assert chat.page.title() == "Weather"
    chat.page.wait_for_timeout(200)
    assert as_left == [{"elements": 0, "text": 0, "storage": 0}]
    assert chat.page.evaluate("() => sessionStorage.length") == 0  # same origin: the tab's storage
    assert all(socket.is_closed() for socket in sockets)
    chat.page.go_back()
    assert chat.page.url != webchat_url + "/"
    assert chat.page.locator("#log").count() == 0
    assert CHILD[1] not in chat.page.content()


def test_typing_capitals_is_not_a_quick_exit(context, webchat_url):
    chat = open_chat(context, webchat_url)
    chat.page.locator("#message").focus()
    for letter in "ABCD":  # Shift held while typing capitals, four times in a row
        chat.page.keyboard.down("Shift")
        chat.page.keyboard.press(f"Key{letter}")
        chat.page.keyboard.up("Shift")
    chat.page.wait_for_timeout(300)
    assert chat.page.url == webchat_url + "/"
    assert chat.page.input_value("#message") == "ABCD"


def test_shift_taps_must_fall_within_five_seconds(context, webchat_url):
    chat = open_chat(context, webchat_url)
    chat.page.keyboard.press("Shift")
    chat.page.keyboard.press("Shift")
    chat.page.wait_for_timeout(5_200)
    chat.page.keyboard.press("Shift")
    chat.page.wait_for_timeout(300)
    assert chat.page.url == webchat_url + "/"


# ---------- privacy: requests and storage ----------

def test_every_request_goes_to_the_page_or_the_rasa_socket_on_loopback(context, webchat_url, stack):
    urls = []
    context.on("request", lambda request: urls.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda socket: urls.append(socket.url))
    chat = ChatPage(page, webchat_url).open()
    chat.say(CHILD[0])
    chat.say(ADULT, expect_link=tel("nspcc_helpline"))
    page.keyboard.press("Escape")
    page.wait_for_url("**/neutral.html")
    allowed = (webchat_url + "/", stack.rasa_url + "/socket.io/", f"ws://127.0.0.1:{stack.ports.rasa}/socket.io/")
    assert urls, "no request recorded"
    assert any(url.startswith(allowed[2]) or url.startswith(allowed[1]) for url in urls)
    strays = [url for url in urls if not url.startswith(allowed)]
    assert strays == []


def test_nothing_about_the_chat_is_kept_beyond_the_tab(context, webchat_url):
    chat = open_chat(context, webchat_url)
    chat.say(CHILD[1], expect_link=tel("childline"))
    page = chat.page
    assert context.cookies() == []
    assert page.evaluate("() => document.cookie") == ""
    assert page.evaluate("() => localStorage.length") == 0
    assert page.evaluate("async () => (await indexedDB.databases()).length") == 0
    stored = page.evaluate("() => Object.keys(sessionStorage).map(k => [k, sessionStorage.getItem(k)])")
    assert len(stored) == 1 and stored[0][0] == "chat-session" and re.fullmatch(r"[0-9a-f]{32}", stored[0][1])
    # A new tab (same browser profile) starts empty, with a new session
    other = ChatPage(context.new_page(), webchat_url).open()
    assert other.page.locator("#log .msg").count() == 0
    assert other.session_id != chat.session_id


# ---------- rendering: safe text, links, quick replies, handoff states ----------

def test_bot_and_user_text_is_shown_as_text_never_as_html(context, webchat_url, stack):
    chat = open_chat(context, webchat_url)
    hostile = '<img src=x onerror="document.title=1"><b>bold</b> javascript:alert(1) http://plain.example'
    chat.say(hostile)
    assert chat.page.locator("#log .msg.user p").last.inner_text() == hostile
    before = chat.bot_count()
    number = str(service("childline")["phone"])
    push_bot_event(stack, chat.session_id,
                   f'{hostile} call {number} or 0800 123 456 https://x.example/"><script>alert(1)</script>')
    chat.page.locator(BOT).nth(before).wait_for()
    message = chat.page.locator(BOT).nth(before)
    assert message.locator("img, b, script").count() == 0
    assert "<b>bold</b>" in message.inner_text()
    hrefs = [a.get_attribute("href") for a in message.locator("a").all()]
    assert hrefs == [tel("childline"), "https://x.example/"]  # an unknown number and http:// are not linked
    assert chat.page.title() != "1"


def test_quick_replies_show_the_title_and_send_the_payload_keyboard_only(context, webchat_url):
    chat = open_chat(context, webchat_url)
    page = chat.page
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "quick-exit"  # first stop: the exit
    for _ in range(30):  # then on to the message box
        if page.evaluate("() => document.activeElement.id") == "message":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "message"
    before = chat.bot_count()
    page.keyboard.type(CHILD[1])
    page.keyboard.press("Enter")
    page.locator("#log .quick-replies button").last.wait_for(timeout=30_000)
    assert chat.bot_count() > before
    for _ in range(30):
        if page.evaluate("() => document.activeElement.textContent") == "No thanks":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "No thanks"
    count = chat.bot_count()
    page.keyboard.press("Enter")
    page.locator(BOT).nth(count).wait_for(timeout=30_000)
    assert page.locator("#log .msg.user p").last.inner_text() == "No thanks"  # the title, not "/deny"
    assert page.locator("#log .quick-replies button:disabled").count() >= 2


def test_handoff_states_render_when_the_payload_arrives(context, webchat_url, stack):
    chat = open_chat(context, webchat_url)
    page = chat.page
    banner = page.locator("#handoff-banner")
    assert banner.is_hidden()
    push_bot_event(stack, chat.session_id, "You're in the queue to talk to a person.",
                   {"handoff": {"status": "queued", "position": 2, "wait_minutes": 5}})
    page.locator("body[data-handoff=queued]").wait_for()
    assert banner.is_visible()
    assert "number 2 in the queue" in banner.inner_text() and "5 minutes" in banner.inner_text()
    assert page.get_attribute("#handoff-banner", "role") == "status"

    push_bot_event(stack, chat.session_id, "A member of staff has joined.", {"handoff": {"status": "connected"}})
    page.locator("body[data-handoff=connected]").wait_for()
    assert "talking to a person" in banner.inner_text()
    before = chat.bot_count()
    push_bot_event(stack, chat.session_id, "Hello, my name is Sam. I'm here to listen.")
    page.locator(BOT).nth(before).wait_for()
    assert page.locator("#log .msg.person .who").last.inner_text() == "Support worker"
    page.set_viewport_size(DESKTOP)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "desktop-handoff-connected.png"))

    push_bot_event(stack, chat.session_id, "", {"handoff": {"status": "ended"}})
    page.locator("body[data-handoff=ended]").wait_for()
    assert "back with the assistant" in banner.inner_text()
    before = chat.bot_count()
    push_bot_event(stack, chat.session_id, "Is there anything else I can help with?")
    page.locator(BOT).nth(before).wait_for()
    assert page.locator(BOT).last.locator(".who").inner_text() == "Assistant"

    push_bot_event(stack, chat.session_id, "", {"handoff": {"status": "unavailable", "reason": "out_of_hours"}})
    page.locator("body[data-handoff=unavailable]").wait_for()
    assert "Nobody is available" in banner.inner_text() and "opening hours" in banner.inner_text()

    # A malformed payload changes nothing and breaks nothing
    push_bot_event(stack, chat.session_id, "", {"handoff": {"status": "<b>weird</b>", "position": "x"}})
    push_bot_event(stack, chat.session_id, "", {"handoff": "queued"})
    chat.say("hi")
    assert page.get_attribute("body", "data-handoff") == "unavailable"


# ---------- accessibility, mobile, screenshots ----------

def _run_axe(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("size,name", [(DESKTOP, "desktop"), (MOBILE, "mobile")])
def test_axe_finds_no_serious_problems_and_screenshots(browser, webchat_url, stack, size, name):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci in webchat/)")
    # axe is injected as an inline script, which the page's CSP rightly forbids: bypass it for this test only.
    context = browser.new_context(viewport=size, bypass_csp=True, is_mobile=name == "mobile",
                                  has_touch=name == "mobile")
    try:
        chat = ChatPage(context.new_page(), webchat_url).open()
        chat.say(CHILD[0])
        chat.say(CHILD[1], expect_link=tel("childline"))
        chat.page.locator("#log .quick-replies button").last.wait_for()
        push_bot_event(stack, chat.session_id, "You're in the queue to talk to a person.",
                       {"handoff": {"status": "queued", "position": 1, "wait_minutes": 3}})
        chat.page.locator("body[data-handoff=queued]").wait_for()
        problems = _run_axe(chat.page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        chat.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        chat.page.screenshot(path=str(SCREENSHOTS / f"{name}-full.png"), full_page=True)
        assert problems == []
    finally:
        context.close()


def test_mobile_360_no_sideways_scroll_and_exit_always_in_view(browser, webchat_url):
    context = browser.new_context(viewport=MOBILE, is_mobile=True, has_touch=True)
    try:
        chat = ChatPage(context.new_page(), webchat_url).open()
        chat.say(ADULT, expect_link=tel("nspcc_helpline"))
        page = chat.page
        assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
        for position in ("0", "document.body.scrollHeight"):
            page.evaluate(f"() => window.scrollTo(0, {position})")
            box = page.locator("#quick-exit").bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= MOBILE["height"]
            assert box["x"] >= 0 and box["x"] + box["width"] <= MOBILE["width"]
            assert box["height"] >= 44  # a comfortable tap target
        page.locator("#send").tap()  # controls answer touch; an empty message is not sent
        assert page.locator("#log .msg.user").count() == 1
    finally:
        context.close()


def test_page_basics_show_without_its_script(browser, webchat_url):
    context = browser.new_context(viewport=MOBILE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(webchat_url + "/")
        assert page.get_by_role("link", name="Leave this site").is_visible()
        assert page.locator(f'a[href="{tel("emergency")}"]').is_visible()
        assert page.locator(f'a[href="{tel("childline")}"]').is_visible()
        assert page.get_by_text("does not erase your browser history").is_visible()
        assert page.locator("#composer").is_hidden()  # no form that could put words in an address
    finally:
        context.close()
