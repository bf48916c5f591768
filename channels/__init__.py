"""Messaging platform connectors: Telegram, Facebook Messenger, and Twilio (SMS and WhatsApp).

Each platform is an input channel (a subclass of Rasa's own connector, with a stricter
webhook: signature check, replay check, button-number mapping) and a small aiohttp output
channel that posts to the platform's API at a configurable base address.

A platform is on only when its environment variables are set: see ``channels.credentials``
and channels/README.md.
"""
