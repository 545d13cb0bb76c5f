"""Scorecards and reports: the page, the PDF, the exports and the charts they share.

One context (context.py) feeds both the scorecard page and the PDF, so every number a reader
sees comes from the same Result and passes through scoring.format_score exactly once.
"""
