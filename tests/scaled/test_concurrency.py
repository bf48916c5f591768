"""Two Rasa processes sharing PostgreSQL and Redis: 50 conversations x 20 messages spread over both at random."""
from __future__ import annotations

import random
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.scaled.helpers import reply_texts, say, stored_texts

PHRASES = ["hi", "what can you do", "is this confidential", "thanks", "are you a bot"]


def test_every_message_and_reply_stored_once_in_order(scaled):
    urls = scaled.rasa_urls()
    assert len(urls) == 2
    run = uuid.uuid4().hex[:6]
    conversations = {f"conc-{run}-{i}": [f"{PHRASES[(i + j) % len(PHRASES)]}" for j in range(20)] for i in range(50)}

    def talk(sender):
        rng = random.Random(sender)
        replies = []
        for text in conversations[sender]:
            status, body = say(rng.choice(urls), sender, text)
            assert status == 200, (status, body)
            assert body, f"no reply to {text!r}"
            replies.extend(reply_texts(body))
        return sender, replies

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = dict(pool.map(talk, conversations))

    for sender, sent in conversations.items():
        assert stored_texts(scaled.db, sender, "user") == sent, sender
        assert stored_texts(scaled.db, sender, "bot") == results[sender], sender
