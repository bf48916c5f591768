"""The moderators' area: conversation logs (redacted), filters, a conversation's transcript with
intents and confidences, reviews, tags, notes, and CSV / JSON Lines exports.

Every list, view and export is written to the staff audit log (handoff.audit): who, what, when,
and which filters (never the search words, which might name someone). The data layer is the
``moderation`` package; transcript text is only ever rendered through Jinja's autoescape.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from urllib.parse import quote, urlencode

from sanic import response

from handoff import audit
from handoff.console.auth import requires
from moderation import export, index, queries, review, tables
from moderation.summary import routes_list, transcript

logger = logging.getLogger(__name__)
REFRESH_BATCHES = 20  # per list request; `python -m moderation index` catches up a large backlog


def _when(seconds) -> str:
    if not seconds:
        return ""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _form(request):
    try:
        return request.form
    except Exception:
        return {}


def register(app) -> None:
    def render_list(request, status=200, error=None, filters=None, rows=(), following=None):
        filters = filters or queries.Filters()
        return app.ctx.render(
            "moderation_list.html", request, status=status, error=error, rows=rows, f=filters,
            following=urlencode(filters.query_args() + [("after", following)]) if following else None,
            query=urlencode(filters.query_args()), audiences=queries.AUDIENCES, flag_labels=queries.FLAG_LABELS,
            when=_when, routes_list=routes_list, quote=_quote, values=dict(filters.query_args()))

    def actor(request) -> str:
        return request.ctx.user["username"]

    @app.get("/moderation")
    @requires("review")
    async def moderation_list(request):
        try:
            filters = queries.Filters.parse(request.args)
        except queries.FilterError as error:
            await asyncio.to_thread(audit.record, actor(request), "review_list_refused", None, str(error))
            return render_list(request, 400, error=str(error))
        await asyncio.to_thread(index.refresh, tables.get_engine(), REFRESH_BATCHES)
        rows, following = await asyncio.to_thread(queries.page, filters)
        await asyncio.to_thread(audit.record, actor(request), "review_list", None, filters.describe())
        return render_list(request, filters=filters, rows=rows, following=following)

    async def conversation_or_404(request, conversation_id):
        if not conversation_id or len(conversation_id) > queries.MAX_ID:
            return None, None, app.ctx.render("error.html", request, status=404, message="No such conversation.")
        rows = await asyncio.to_thread(index.refresh_one, conversation_id)
        summary = await asyncio.to_thread(queries.summary_of, conversation_id) if rows else None
        if summary is None:
            return None, None, app.ctx.render("error.html", request, status=404, message="No such conversation.")
        return summary, rows, None

    async def show(request, conversation_id, status=200, error=None, notice=None):
        summary, rows, refused = await conversation_or_404(request, conversation_id)
        if refused:
            return refused
        more = await asyncio.to_thread(queries.extras, conversation_id)
        await asyncio.to_thread(audit.record, actor(request), "review_view", conversation_id, "")
        return app.ctx.render("moderation_conversation.html", request, status=status, error=error, notice=notice,
                              c=summary, messages=transcript(rows), routes=routes_list(summary["routes"]),
                              flags=[label for key, label in queries.FLAG_LABELS.items() if summary.get(key)],
                              when=_when, quote=_quote, **more)

    @app.get("/moderation/conversations/<conversation_id:str>")
    @requires("review")
    async def moderation_view(request, conversation_id):
        return await show(request, conversation_id)

    async def act(request, conversation_id, work, action, detail=""):
        summary, _rows, refused = await conversation_or_404(request, conversation_id)
        if refused:
            return refused
        try:
            await asyncio.to_thread(work)
        except review.ReviewError as error:
            return await show(request, conversation_id, 400, error=str(error))
        await asyncio.to_thread(audit.record, actor(request), action, conversation_id, detail)
        return response.redirect(f"/moderation/conversations/{_quote(conversation_id)}", status=303)

    @app.post("/moderation/conversations/<conversation_id:str>/reviewed")
    @requires("review")
    async def moderation_reviewed(request, conversation_id):
        reviewed = _form(request).get("reviewed") == "1"
        return await act(request, conversation_id,
                         lambda: review.set_reviewed(conversation_id, reviewed, actor(request)),
                         "mark_reviewed" if reviewed else "mark_unreviewed")

    @app.post("/moderation/conversations/<conversation_id:str>/tags")
    @requires("review")
    async def moderation_tag(request, conversation_id):
        form = _form(request)
        tag = form.get("tag") or ""
        if form.get("remove") == "1":
            return await act(request, conversation_id, lambda: review.remove_tag(conversation_id, tag), "untag",
                             f"{len(tag)} characters")
        return await act(request, conversation_id, lambda: review.add_tag(conversation_id, tag, actor(request)), "tag",
                         f"{len(tag)} characters")

    @app.post("/moderation/conversations/<conversation_id:str>/notes")
    @requires("review")
    async def moderation_note(request, conversation_id):
        text = _form(request).get("text") or ""
        return await act(request, conversation_id, lambda: review.add_note(conversation_id, text, actor(request)),
                         "note", f"{len(text)} characters")

    async def stream_export(request, kind: str):
        try:
            filters = queries.Filters.parse(request.args)
        except queries.FilterError as error:
            return response.json({"error": str(error)}, status=400)
        await asyncio.to_thread(index.refresh, tables.get_engine(), REFRESH_BATCHES)
        await asyncio.to_thread(audit.record, actor(request), "review_export", None, f"{kind}: {filters.describe()}")
        chunks = export.csv_chunks(filters) if kind == "csv" else export.jsonl_chunks(filters)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
        content_type = "text/csv; charset=utf-8" if kind == "csv" else "application/x-ndjson; charset=utf-8"
        stream = await request.respond(content_type=content_type, headers={
            "Content-Disposition": f'attachment; filename="conversations-{stamp}.{"csv" if kind == "csv" else "jsonl"}"',
            "Cache-Control": "no-store"})
        done = object()
        while True:
            chunk = await asyncio.to_thread(next, chunks, done)
            if chunk is done:
                break
            if chunk:
                await stream.send(chunk)
        await stream.eof()

    @app.get("/moderation/export.csv")
    @requires("review")
    async def moderation_export_csv(request):
        return await stream_export(request, "csv")

    @app.get("/moderation/export.jsonl")
    @requires("review")
    async def moderation_export_jsonl(request):
        return await stream_export(request, "jsonl")


def _quote(conversation_id: str) -> str:
    return quote(conversation_id, safe="")
