"""The reviewer web console (port 8081): see app.py for the entry points."""

from gateway.quarantine.console.app import create_app, start_console

__all__ = ["create_app", "start_console"]
