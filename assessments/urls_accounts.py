"""URLs of the accounts area."""

urlpatterns: list = []
