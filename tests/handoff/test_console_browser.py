"""Headless Chromium (Debian's, driven by Playwright's Python client): an agent signs in, sees a
waiting conversation appear without reloading, claims it and replies; the user's socket gets it."""
from __future__ import annotations

import os
from pathlib import Path


from tests.handoff.clients import create_account



def test_agent_signs_in_claims_and_replies(stack, console_url, browser, users, tmp_path):
    username, password = create_account(stack, "agent")
    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(console_url + "/queue")
        assert page.url.endswith("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(console_url + "/")
        page.click("nav >> text=Queue")
        page.wait_for_selector("#live:text('live')")

        # a person asks for a human while the agent watches the queue: it appears without a reload
        user = users()
        user.say("/request_human")
        user.wait_handoff("queued")
        row = page.wait_for_selector(f"#waiting tr[data-conversation='{user.session_id}']", timeout=10000)
        row.query_selector("a").click()
        page.wait_for_selector("#claim")
        page.click("#claim")
        page.wait_for_selector("#reply", state="visible")
        user.wait_handoff("connected", timeout=5)

        page.fill("#text", "Hello, I'm here now. What would you like to talk about?")
        page.click("#reply button[type=submit]")
        user.wait_for(lambda m: m.get("text") == "Hello, I'm here now. What would you like to talk about?", timeout=5)

        user.say("i just want someone to listen")
        page.wait_for_selector(".from-user >> text=i just want someone to listen", timeout=10000)
        shots = Path(os.environ.get("HANDOFF_SCREENSHOTS", tmp_path))
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "console-conversation.png"), full_page=True)

        page.click("#end")
        page.wait_for_selector("#status:text('ended')")
        user.wait_handoff("ended", timeout=5)
        assert problems == [], problems  # no CSP violations or script errors
        page.click("text=Sign out")
        page.wait_for_url(console_url + "/login")
    finally:
        context.close()
