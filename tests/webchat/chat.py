"""A page object for the public chat page, driven by Playwright's sync API.

The page's Content-Security-Policy forbids eval, so waits use locators (never
`wait_for_function` with a string, which Playwright evaluates with eval in the page).
"""
from __future__ import annotations

from typing import List

from service_catalogue import digits, service

BOT = "#log .msg.bot, #log .msg.person"


def tel(key: str, field: str = "phone") -> str:
    """The `tel:` link the page should show for a catalogue service."""
    return f"tel:{digits(str(service(key)[field]))}"


class ChatPage:
    def __init__(self, page, url: str):
        self.page = page
        self.url = url

    def open(self) -> "ChatPage":
        self.page.goto(self.url + "/")
        self.page.locator("#connection[data-state=connected]").wait_for(timeout=30_000)
        return self

    @property
    def session_id(self) -> str:
        return self.page.evaluate("() => sessionStorage.getItem('chat-session')")

    def bot_count(self) -> int:
        return self.page.locator(BOT).count()

    def say(self, text: str, expect_link: str = "", timeout: float = 30_000) -> List[str]:
        """Type ``text`` and press Enter; wait for a reply (and for ``expect_link`` if given).

        Returns the texts of the bot messages that arrived after this one was sent.
        """
        before = self.bot_count()
        self.page.fill("#message", text)
        self.page.press("#message", "Enter")
        self.page.locator(BOT).nth(before).wait_for(timeout=timeout)
        if expect_link:
            self.page.locator(f'#log a[href="{expect_link}"]').last.wait_for(timeout=timeout)
        self.page.wait_for_timeout(300)  # let the rest of the turn arrive
        return self.page.locator(BOT).all_inner_texts()[before:]

    def new_bot_messages(self, before: int):
        return self.page.locator(BOT).all()[before:]
