import pytest

from tests import factories


@pytest.fixture
def page_cache(settings):
    """The whole-page cache on (Django's test cache), emptied before and after."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def news(home_page):
    """A Berita listing with one item: (index, item)."""
    index = factories.BeritaIndexPageFactory(parent=home_page)
    item = factories.BeritaPageFactory(parent=index, title="Rapat pleno rekapitulasi suara")
    return index, item
