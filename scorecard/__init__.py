"""Scorecard: the Django project and the control catalog.

The Celery app is loaded by ScorecardConfig.ready(), not here, so that the pure
scoring engine (scorecard.scoring) can be imported without Django.
"""
