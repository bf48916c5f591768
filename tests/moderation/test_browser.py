"""A transcript containing a script tag, played through the real assistant, renders as inert text
in headless Chromium on the moderators' conversation page."""
from __future__ import annotations

from urllib.parse import quote


from tests.handoff.clients import create_account



def test_script_in_a_transcript_is_shown_as_text(stack, console_url, browser, played):
    username, password = create_account(stack, "moderator")
    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
    try:
        page.goto(console_url + "/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(console_url + "/")
        page.click("nav >> text=Conversation logs")
        page.wait_for_selector(f"tr[data-conversation='{played['script']}']")
        page.fill("input[name=q]", "<script>")
        page.click("#filters button[type=submit]")
        page.click(f"tr[data-conversation='{played['script']}'] a")
        page.wait_for_selector("#transcript .from-user")
        first = page.inner_text("#transcript .from-user .text")
        assert "<script>" in first and "</script>" in first, first
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.querySelectorAll('#transcript script').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 0  # this page loads no script at all
        assert page.url.endswith(quote(played["script"], safe=""))
        assert problems == [], problems
    finally:
        context.close()
