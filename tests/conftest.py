import pytest


@pytest.fixture
def home_page(db):
    from kpu_pages.models import HomePage

    return HomePage.objects.get()
