"""Intake channels: one package per way tickets reach us (see docs/architecture.md).

Each channel parses its own input and files it through `tickets.services`,
so the rules for tickets and messages live in one place whatever the channel.
"""
