from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_tiles() -> Iterator[None]:
    """The home page's tiles are cached per scope and day: each test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()
