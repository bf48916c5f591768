"""The moderators' side: a summary index over Rasa's stored (already redacted) events, filters,
keyset paging, search, reviews/tags/notes and exports. The console pages are in
``handoff/console/routes/moderation.py``; ``python -m moderation index`` brings the index up to date."""
