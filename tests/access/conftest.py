"""The `world` fixture (tests/access/world.py) for every module of the package."""

from tests.access.world import world  # noqa: F401
