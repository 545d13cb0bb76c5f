"""URLs of the questionnaire area."""

urlpatterns: list = []
