"""The agents' area: the live queue, claiming a conversation, reading it, chatting, ending.

Pages: /queue, /conversations/<id>. JSON API under /api/ (the pages' scripts use it, and so do
the tests). Live updates are server-sent events that poll the database / Rasa on the server and
close after STREAM_SECONDS (the browser reconnects), so no long request outlives a restart.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Dict, Optional

from sanic import response

from handoff import audit, payloads, queue, risk, staff
from handoff.console.auth import requires
from handoff.rasa_client import RasaError, bot_event, transcript

logger = logging.getLogger(__name__)

STREAM_SECONDS = 25.0
QUEUE_POLL = 0.25
CONVERSATION_POLL = 0.3
MAX_MESSAGE = 2000
MAX_ID = 255


def _entry_json(entry: Dict[str, Any], place: Optional[int] = None, now: Optional[float] = None) -> Dict[str, Any]:
    now = time.time() if now is None else now
    return {"conversation_id": entry["conversation_id"], "status": entry["status"],
            "risk": risk.LABELS.get(entry["risk"], "other"), "position": place,
            "waiting_seconds": int(now - entry["requested_at"]), "audience": entry["audience"],
            "topic": entry["topic"], "channel": entry["channel"], "claimed_by": entry["claimed_by"]}


def queue_snapshot(user: Dict[str, Any]) -> Dict[str, Any]:
    now = time.time()
    waiting = [_entry_json(e, i + 1, now) for i, e in enumerate(queue.waiting())]
    mine = [_entry_json(e, None, now) for e in queue.claimed_by(user["username"])]
    me = staff.get_user(user["username"]) or user
    return {"waiting": waiting, "mine": mine, "available": bool(me["available"])}


def _bad_id(conversation_id: str) -> bool:
    return not conversation_id or len(conversation_id) > MAX_ID


def _json_body(request) -> Dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _error(status: int, message: str):
    return response.json({"error": message}, status=status)


def register(app) -> None:
    def rasa():
        return app.ctx.rasa

    def says(name: str) -> str:
        return app.ctx.responses[name]

    # ----- pages -----
    @app.get("/queue")
    @requires("conversations")
    async def queue_page(request):
        return app.ctx.render("queue.html", request)

    @app.get("/conversations/<conversation_id:str>")
    @requires("conversations")
    async def conversation_page(request, conversation_id):
        if _bad_id(conversation_id):
            return app.ctx.render("error.html", request, status=404, message="No such conversation.")
        entry = await asyncio.to_thread(queue.active, conversation_id)
        if entry is None:
            return app.ctx.render("error.html", request, status=404, message="This conversation is not waiting for a person.")
        if entry["status"] == queue.CLAIMED and entry["claimed_by"] != request.ctx.user["username"]:
            return app.ctx.render("error.html", request, status=403,
                                  message="Another member of staff is already with this person.")
        return app.ctx.render("conversation.html", request, conversation_id=conversation_id, entry=entry,
                              risk_label=risk.LABELS.get(entry["risk"], "other"))

    # ----- queue -----
    @app.get("/api/queue")
    @requires("conversations")
    async def queue_json(request):
        return response.json(await asyncio.to_thread(queue_snapshot, request.ctx.user))

    @app.get("/api/queue/stream")
    @requires("conversations")
    async def queue_stream(request):
        user = request.ctx.user
        stream = await request.respond(content_type="text/event-stream",
                                       headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
        await stream.send("retry: 1000\n\n")
        loop = asyncio.get_running_loop()
        deadline, last, touched = loop.time() + STREAM_SECONDS, None, loop.time()
        while loop.time() < deadline:
            snapshot = await asyncio.to_thread(queue_snapshot, user)
            key = json.dumps([[(e["conversation_id"], e["position"], e["risk"]) for e in snapshot["waiting"]],
                              [e["conversation_id"] for e in snapshot["mine"]], snapshot["available"]])
            if key != last:
                await stream.send(f"event: queue\ndata: {json.dumps(snapshot)}\n\n")
                last = key
            if loop.time() - touched > 10:  # an open console keeps its agent present
                await asyncio.to_thread(staff.touch, user["id"])
                touched = loop.time()
            await asyncio.sleep(QUEUE_POLL)
        await stream.eof()

    @app.post("/api/availability")
    @requires("conversations")
    async def set_availability(request):
        value = _json_body(request).get("available")
        if not isinstance(value, bool):
            return _error(400, "send {\"available\": true|false}")
        await asyncio.to_thread(staff.set_available, request.ctx.user["id"], value)
        await asyncio.to_thread(audit.record, request.ctx.user["username"], "available" if value else "away")
        return response.json({"available": value})

    # ----- one conversation -----
    async def active(conversation_id: str):
        """(entry, None) for a conversation waiting for or with a person, else (None, 404 response)."""
        if _bad_id(conversation_id):
            return None, _error(404, "no such conversation")
        entry = await asyncio.to_thread(queue.active, conversation_id)
        if entry is None:
            return None, _error(404, "this conversation is not waiting for or with a person")
        return entry, None

    async def held(request, conversation_id: str):
        """(entry, None) if the signed-in agent holds this conversation, else (None, error response)."""
        entry, refused = await active(conversation_id)
        if refused:
            return None, refused
        if entry["status"] != queue.CLAIMED:
            return None, _error(409, "claim the conversation first")
        if entry["claimed_by"] != request.ctx.user["username"]:
            return None, _error(403, "another member of staff holds this conversation")
        return entry, None

    @app.post("/api/conversations/<conversation_id:str>/claim")
    @requires("conversations")
    async def claim(request, conversation_id):
        if _bad_id(conversation_id):
            return _error(404, "no such conversation")
        username = request.ctx.user["username"]
        won, entry = await asyncio.to_thread(queue.claim, conversation_id, username)
        if not won:
            if entry is None:
                return _error(404, "this conversation is not waiting for a person")
            if entry["claimed_by"] != username:
                return _error(409, "another member of staff has already claimed this conversation")
            return response.json({"claimed": True, "conversation_id": conversation_id})
        await asyncio.to_thread(audit.record, username, "claim", conversation_id)
        events = [{"event": "slot", "name": "handoff_status", "value": payloads.CONNECTED},
                  bot_event(says("utter_handoff_connected"), payloads.for_channel(payloads.connected(), entry["channel"]))]
        try:
            await rasa().push(conversation_id, entry["channel"], events)
        except RasaError as error:
            return _error(502, f"claimed, but the user could not be told yet ({error}); send a message to retry")
        return response.json({"claimed": True, "conversation_id": conversation_id})

    @app.post("/api/conversations/<conversation_id:str>/messages")
    @requires("conversations")
    async def send_message(request, conversation_id):
        text = _json_body(request).get("text")
        if not isinstance(text, str) or not text.strip():
            return _error(400, "the message is empty")
        text = text.strip()
        if len(text) > MAX_MESSAGE:
            return _error(413, f"the message is longer than {MAX_MESSAGE} characters")
        entry, refused = await held(request, conversation_id)
        if refused:
            return refused
        try:
            await rasa().push(conversation_id, entry["channel"], [bot_event(text, staff=True)])
        except RasaError as error:
            return _error(502, f"not delivered: {error}")
        await asyncio.to_thread(audit.record, request.ctx.user["username"], "message", conversation_id,
                                f"{len(text)} characters")
        return response.json({"sent": True})

    @app.post("/api/conversations/<conversation_id:str>/end")
    @requires("conversations")
    async def end(request, conversation_id):
        entry, refused = await held(request, conversation_id)
        if refused:
            return refused
        events = [{"event": "slot", "name": "handoff_status", "value": payloads.ENDED},
                  {"event": "resume"}, {"event": "action", "name": "action_listen"},
                  bot_event(says("utter_handoff_ended"), payloads.for_channel(payloads.ended(), entry["channel"]))]
        try:
            await rasa().push(conversation_id, entry["channel"], events)
        except RasaError as error:
            return _error(502, f"not ended, the assistant could not be reached: {error}")
        username = request.ctx.user["username"]
        await asyncio.to_thread(queue.end, conversation_id, username)
        await asyncio.to_thread(audit.record, username, "end", conversation_id)
        return response.json({"ended": True})

    async def readable(request, conversation_id: str):
        entry, refused = await active(conversation_id)
        if refused:
            return None, refused
        if entry["status"] == queue.CLAIMED and entry["claimed_by"] != request.ctx.user["username"]:
            return None, _error(403, "another member of staff holds this conversation")
        return entry, None

    @app.get("/api/conversations/<conversation_id:str>/messages")
    @requires("conversations")
    async def messages(request, conversation_id):
        entry, refused = await readable(request, conversation_id)
        if refused:
            return refused
        try:
            after = int(request.args.get("after", -1))
        except ValueError:
            after = -1
        try:
            items = transcript(await rasa().tracker(conversation_id))
        except RasaError as error:
            return _error(502, str(error))
        return response.json({"status": entry["status"], "claimed_by": entry["claimed_by"],
                              "messages": [m for m in items if m["index"] > after]})

    @app.get("/api/conversations/<conversation_id:str>/stream")
    @requires("conversations")
    async def conversation_stream(request, conversation_id):
        entry, refused = await readable(request, conversation_id)
        if refused:
            return refused
        username = request.ctx.user["username"]
        try:
            after = int(request.headers.get("last-event-id") or request.args.get("after", -1))
        except ValueError:
            after = -1
        stream = await request.respond(content_type="text/event-stream",
                                       headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
        await stream.send("retry: 500\n\n")
        loop = asyncio.get_running_loop()
        deadline, status = loop.time() + STREAM_SECONDS, None
        while loop.time() < deadline:
            current = await asyncio.to_thread(queue.active, conversation_id)
            state = "ended" if current is None else current["status"]
            if current is not None and current["status"] == queue.CLAIMED and current["claimed_by"] != username:
                state = "taken"
            if state != status:
                await stream.send(f"event: status\ndata: {json.dumps({'status': state})}\n\n")
                status = state
            if state in ("ended", "taken"):
                break
            try:
                items = [m for m in transcript(await rasa().tracker(conversation_id)) if m["index"] > after]
            except RasaError:
                await stream.send(f"event: problem\ndata: {json.dumps({'error': 'assistant not reachable'})}\n\n")
                items = []
            for item in items:
                await stream.send(f"id: {item['index']}\nevent: message\ndata: {json.dumps(item)}\n\n")
                after = item["index"]
            await asyncio.sleep(CONVERSATION_POLL)
        await stream.eof()
