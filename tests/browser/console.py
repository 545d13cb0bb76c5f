"""What a page logs as an error: console messages of type "error" and uncaught script errors."""

from __future__ import annotations


def collect_console_errors(page) -> list[str]:
    """A list that fills, from now on, with every console error (and where it came from)
    and every uncaught script error of `page`; a test asserts it stays empty."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            where = message.location.get("url", "")
            errors.append(f"{message.text} @ {where}" if where else message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
