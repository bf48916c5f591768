"""The scaled-out profile: several Rasa processes sharing PostgreSQL and Redis (docs/scaling.md)."""
