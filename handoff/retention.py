"""Tables of ours that `python -m redaction.retention purge` clears on the same cut-off.

The queue (handoff_queue.requested_at) and audit log (staff_audit.at) are in redaction's own
defaults; sign-in failures hold addresses, and old sessions are no use once expired.
"""
RETENTION_TABLES = [("staff_signin_failures", "last_at"), ("staff_sessions", "last_seen_at"),
                    ("moderation_conversations", "last_at"), ("moderation_tags", "added_at"), ("moderation_notes", "at"),
                    ("channel_contacts", "last_seen_at")]
