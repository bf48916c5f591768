"""Make bot replies fit a messaging platform: split long text, number the buttons, read replies back.

Nothing here talks to the network; the output channels call these helpers.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import service_catalogue
from service_catalogue import EMAIL_RE, PHONE_RE, URL_RE

# Platform limits (characters per message).
TELEGRAM_LIMIT = 4096
MESSENGER_LIMIT = 2000
# WhatsApp's own limit is 4,096, but Twilio's Messages API refuses a Body over 1,600 characters
# (error 21617), and WhatsApp reaches us through Twilio.
WHATSAPP_TWILIO_LIMIT = 1600
# SMS rule: a message we hand to Twilio is at most 10 concatenated segments. A GSM-7 segment of a
# multi-part SMS carries 153 characters, so 10 x 153 = 1,530 characters when every character is in
# the GSM-7 basic set; anything else (an emoji, a GSM extension character such as € or [) makes the
# whole message UCS-2 (or costs two septets), 67 characters a segment, so 10 x 67 = 670 characters.
SMS_GSM_LIMIT = 1530
SMS_UCS2_LIMIT = 670

MESSENGER_MAX_QUICK_REPLIES = 13
MESSENGER_QUICK_REPLY_TITLE = 20
TELEGRAM_CALLBACK_DATA_BYTES = 64

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Typographic characters that have a plain GSM-7 equivalent (keeps SMS in the cheaper alphabet).
SMS_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
})



def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC for ch in text)


def sms_text(text: str) -> str:
    """Plain-ASCII punctuation for SMS so that ordinary replies stay GSM-7."""
    return text.translate(SMS_PLAIN)


def sms_limit(text: str) -> int:
    return SMS_GSM_LIMIT if is_gsm7(text) else SMS_UCS2_LIMIT


@functools.lru_cache(maxsize=1)
def _catalogue_literals() -> Tuple[str, ...]:
    """Every phone number, e-mail and web address in the catalogue, longest first."""
    found = set(service_catalogue.phone_numbers().values()) | service_catalogue.urls() | service_catalogue.emails()
    return tuple(sorted((f for f in found if f), key=len, reverse=True))


def protected_spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) ranges that must never be cut: catalogue contacts, and any phone-like run,
    e-mail address or web address."""
    spans = []
    for literal in _catalogue_literals():
        start = text.find(literal)
        while start != -1:
            spans.append((start, start + len(literal)))
            start = text.find(literal, start + 1)
    for pattern in (URL_RE, EMAIL_RE, PHONE_RE):
        spans.extend(m.span() for m in pattern.finditer(text))
    spans.sort()
    merged: List[Tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _inside(position: int, spans: Sequence[Tuple[int, int]]) -> Optional[Tuple[int, int]]:
    for start, end in spans:
        if start < position < end:
            return start, end
        if start >= position:
            break
    return None


def _gaps(text: str, spans: Sequence[Tuple[int, int]]) -> List[Tuple[int, int, int]]:
    """Whitespace runs where a cut is allowed, as (start, end, level): 3 paragraph break,
    2 line break, 1 after a sentence end, 0 between words."""
    gaps = []
    for match in re.finditer(r"\s+", text):
        if _inside(match.start(), spans) or _inside(match.end(), spans):
            continue
        run = match.group()
        if "\n\n" in run:
            level = 3
        elif "\n" in run:
            level = 2
        elif match.start() > 0 and text[match.start() - 1] in ".!?:;":
            level = 1
        else:
            level = 0
        gaps.append((match.start(), match.end(), level))
    return gaps


def split_text(text: str, limit: int) -> List[str]:
    """Split ``text`` into parts of at most ``limit`` characters.

    Cuts at the best gap in the window (paragraph, then line, then sentence end, then word),
    preferring a gap in the second half of the window so parts are not tiny, and never inside a
    phone number, e-mail or web address. A single run with no allowed gap longer than the limit
    is cut hard (before a protected run if one straddles the cut).
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    if not text:
        return []
    spans = protected_spans(text)
    gaps = _gaps(text, spans)
    parts: List[str] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        window = [g for g in gaps if start < g[0] <= end]
        cut: Optional[Tuple[int, int]] = None
        for level in (3, 2, 1, 0):
            candidates = [g for g in window if g[2] >= level and (level == 0 or g[0] - start >= limit // 2)]
            if candidates:
                cut = (candidates[-1][0], candidates[-1][1])
                break
        if cut is None:  # one unbroken run longer than the limit
            span = _inside(end, spans)
            at = span[0] if span and span[0] > start else end
            cut = (at, at)
        parts.append(text[start:cut[0]])
        start = cut[1]
        while start < len(text) and text[start].isspace():
            start += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


# ---------------------------------------------------------------- buttons as numbered options
def numbered_options(buttons: Iterable[Dict[str, Any]]) -> str:
    lines = [f"{index}. {button.get('title', '')}" for index, button in enumerate(buttons, start=1)]
    return "Reply with a number (or the words):\n" + "\n".join(lines)


def with_numbered_options(text: str, buttons: List[Dict[str, Any]]) -> str:
    text = (text or "").strip()
    options = numbered_options(buttons)
    return f"{text}\n\n{options}" if text else options


_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "first": 1, "second": 2, "third": 3}
_REPLY_NUMBER = re.compile(r"^(?:option|number|no\.?)?\s*#?\s*(\d{1,2})\s*[.)]?$")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(SMS_PLAIN).casefold()
    text = re.sub(r"[^\w\s']", " ", text)
    return re.sub(r"\s+", " ", text).strip(" '")


def match_reply(text: str, buttons: Optional[List[Dict[str, Any]]]) -> Optional[str]:
    """The payload of the offered button the user's reply picks (by number or by its words), or None."""
    if not buttons or not isinstance(text, str) or len(text) > 200:
        return None
    said = _normalise(text)
    number = None
    match = _REPLY_NUMBER.match(said)
    if match:
        number = int(match.group(1))
    elif said in _NUMBER_WORDS:
        number = _NUMBER_WORDS[said]
    if number is not None:
        if 1 <= number <= len(buttons):
            return buttons[number - 1].get("payload")
        return None
    for button in buttons:
        if said and said == _normalise(str(button.get("title", ""))):
            return button.get("payload")
    return None


def last_offered_buttons(events: Iterable[Any]) -> Optional[List[Dict[str, Any]]]:
    """Buttons of the latest bot message, if the user has not spoken since it was sent.

    ``events`` are Rasa event objects (or their dict form) oldest first."""
    for event in reversed(list(events)):
        name = getattr(event, "type_name", None) or (event.get("event") if isinstance(event, dict) else None)
        if name == "user":
            return None
        if name == "bot":
            data = getattr(event, "data", None) if not isinstance(event, dict) else event.get("data")
            buttons = (data or {}).get("buttons") or (data or {}).get("quick_replies")
            if buttons:
                return [b for b in buttons if isinstance(b, dict)]
    return None


# ---------------------------------------------------------------- handoff states in words
def handoff_text(payload: Dict[str, Any]) -> Optional[str]:
    """Words for a ``{"handoff": {...}}`` custom payload (contract in docs/architecture.md)."""
    state = payload.get("handoff") if isinstance(payload, dict) else None
    if not isinstance(state, dict):
        return None
    status = state.get("status")
    if status == "queued":
        position, wait = state.get("position"), state.get("wait_minutes")
        text = "I've asked a member of our staff to chat with you."
        if isinstance(position, int) and position > 0:
            text += " You're number {} in the queue.".format(position)
        if isinstance(wait, (int, float)) and wait > 0:
            text += " The wait is about {} minute{}.".format(int(wait), "" if int(wait) == 1 else "s")
        return text + " Please keep this chat open."
    if status == "unavailable":
        if state.get("reason") == "out_of_hours":
            text = "Our staff aren't available to chat at the moment: it's outside our opening hours."
        else:
            text = "Sorry, no one from our staff is free to chat right now."
        return text + " " + _help_now()
    if status == "connected":
        return "A member of our staff has joined the chat. You're now talking to a person."
    if status == "ended":
        return "The member of staff has left the chat. You're talking to the assistant again."
    return None


def _help_now() -> str:
    childline = service_catalogue.service("childline")
    nspcc = service_catalogue.service("nspcc_helpline")
    emergency = service_catalogue.service("emergency")
    return (f"You can still get help now: Childline on {childline['phone']} (anyone under 19), "
            f"or the NSPCC Helpline on {nspcc['phone']} (adults worried about a child). "
            f"If someone is in danger right now, call {emergency['phone']}.")
