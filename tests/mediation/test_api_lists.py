"""Found by the schemathesis run once it authenticated: the case's sessions and suggestions
are plain lists (the schema promised a page), and the roster's court filter refuses what
is not a number instead of ignoring it."""


def test_sessions_and_suggestions_are_plain_lists_in_the_schema_too(mworld, delegated, api_for):
    api = api_for(mworld.court_clerk)
    assert isinstance(api.get(f"/api/mediation/cases/{delegated.pk}/sessions/").json(), list)
    assert isinstance(api.get(f"/api/mediation/cases/{delegated.pk}/suggestions/").json(), list)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for action in ("sessions", "suggestions"):
        get = schema["paths"][f"/api/mediation/cases/{{id}}/{action}/"]["get"]
        assert get["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
        assert not [p for p in get.get("parameters", []) if p["name"] == "page_size"]


def test_roster_court_filter_must_be_a_number(mworld, api_for):
    api = api_for(mworld.court_clerk)
    assert api.get("/api/mediation/mediators/", {"court": ""}).status_code == 400
    assert api.get("/api/mediation/mediators/", {"court": "x"}).status_code == 400
    ok = api.get("/api/mediation/mediators/", {"court": mworld.court.pk})
    assert ok.status_code == 200 and ok.json()["results"]
