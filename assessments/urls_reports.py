"""URLs of the reports area."""

urlpatterns: list = []
