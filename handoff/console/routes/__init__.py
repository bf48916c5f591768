"""The console's routes, one module per area. Each module has ``register(app)``."""
from handoff.console.routes import admin, agent, health, home, moderation, signin

AREAS = [health, signin, home, agent, admin, moderation]
