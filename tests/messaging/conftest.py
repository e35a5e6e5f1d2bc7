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
