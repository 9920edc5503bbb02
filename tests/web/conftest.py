import pytest
from django.test import Client

from jaring.accounts.models import Role
from tests.factories import make_user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(db):
    """A programme officer of Kota Singkawang."""
    return make_user(Role.PROGRAMME_OFFICER, "61.72", first_name="Rina", last_name="Wulandari")
