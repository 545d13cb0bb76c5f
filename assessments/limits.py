"""The length limits of what people type, in one place.

Forms, services, models and templates all read them from here, so the number a field shows
("up to 5,000 characters") is the number the server enforces. Over-long input is refused
with a message, never cut: the templates mark fields with `data-maxlength` rather than the
`maxlength` attribute, which would make the browser drop a pasted tail without a word.
"""

from __future__ import annotations

# An answer's text, its N/A justification and its comment.
ANSWER_TEXT = 20_000
EVIDENCE_DESCRIPTION = 300
EVIDENCE_URL = 1000
# A review comment, a reply, a return-to-draft note and a sign-off statement.
REVIEW_COMMENT = 5000
# An AI system's description and business purpose (the inventory).
SYSTEM_TEXT = 5000

LIMITS = {
    "answer_text": ANSWER_TEXT,
    "evidence_description": EVIDENCE_DESCRIPTION,
    "evidence_url": EVIDENCE_URL,
    "review_comment": REVIEW_COMMENT,
    "system_text": SYSTEM_TEXT,
}


def text_length(text: str) -> int:
    """A text's length as the writer's counter shows it: a browser sends each line break of a
    textarea as two characters (CR LF) but counts it as one, and so does this."""
    return len(text) - text.count("\r\n")


def too_long(what: str, length: int, limit: int) -> str:
    """The message for over-long input: how long it is, the limit, and that nothing changed."""
    return (
        f"{what} is {length:,} characters long; the limit is {limit:,}. "
        "Shorten it and try again: nothing was saved."
    )
