import pytest
from django.test import Client

from aircop.accounts.services import create_token


@pytest.fixture
def api_as(user_named):
    def make(username):
        _row, raw = create_token(actor=None, user=user_named(username), days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


PASSENGER = {
    "kind": "passenger",
    "title": "Courier suspected on ET908, cocaine ingestion",
    "priority": "immediate",
    "tlp": "amber",
    "audience": [{"scope": "unit", "target": "jaitf-lfw"}],
    "details": {"flight": "ET908", "route": ["GRU", "ADD", "LFW"], "indicators": ["one-way ticket", "cash"]},
    "nominal": {
        "surname": "DOE",
        "given_names": "JOHN",
        "date_of_birth": "1990-04-02",
        "document_number": "P1234567",
        "document_country": "BRA",
    },
}
