"""The version diff over plain native documents (no database)."""

import copy

from scorecard.diff import diff_documents, show

BASE = {
    "format": "scorecard-catalog/1",
    "framework": {"slug": "cat", "name": "Cat", "version": "1.0", "description": ""},
    "scale": [{"label": "No", "value": 0.0}, {"label": "Yes", "value": 1.0}],
    "tiers": [{"name": "Low", "min_score": 0.0}, {"name": "High", "min_score": 50.0}],
    "critical_threshold": 50.0,
    "personas": [{"id": "p1", "name": "Builder", "description": "", "questions": ["Build?"]}],
    "risks": [{"id": "r1", "name": "Leak", "description": "", "category": "data"}],
    "domains": [
        {
            "id": "d1",
            "name": "Data",
            "weight": 1.0,
            "domains": [
                {"id": "d1.1", "name": "Sub", "weight": 1.0, "domains": [], "controls": []}
            ],
            "controls": [
                {
                    "id": "c1",
                    "name": "Inventory",
                    "weight": 1.0,
                    "critical": False,
                    "personas": ["p1"],
                    "risks": ["r1"],
                    "mappings": {"nist": ["GV-1"]},
                    "questions": [
                        {"id": "c1.q1", "text": "Listed?", "type": "scale", "weight": 1.0},
                        {
                            "id": "c1.q2",
                            "text": "How?",
                            "type": "choice",
                            "weight": 1.0,
                            "options": [{"label": "A", "value": 0.0}, {"label": "B", "value": 1.0}],
                        },
                    ],
                }
            ],
        }
    ],
}


def _edited(**version):
    doc = copy.deepcopy(BASE)
    doc["framework"].update(version or {"version": "1.1"})
    return doc


def test_identical_documents_have_an_empty_diff():
    result = diff_documents(BASE, _edited())
    assert result.is_empty
    assert (result.old_label, result.new_label) == ("Cat 1.0", "Cat 1.1")


def test_integer_and_float_numbers_are_the_same_value():
    new = _edited()
    new["domains"][0]["controls"][0]["weight"] = 1
    new["critical_threshold"] = 50
    assert diff_documents(BASE, new).is_empty


def test_added_removed_and_changed_controls_are_reported_with_field_changes():
    new = _edited()
    control = new["domains"][0]["controls"][0]
    control["name"] = "Asset register"
    control["critical"] = True
    control["risks"] = []
    control["mappings"] = {"nist": ["GV-1", "GV-2"]}
    new["domains"][0]["domains"][0]["controls"].append(
        {"id": "c2", "name": "Access", "questions": []}
    )
    result = diff_documents(BASE, new).section("control")
    assert [(item.ref, item.context) for item in result.added] == [("c2", "d1.1")]
    assert result.removed == ()
    [changed] = result.changed
    changes = {change.field: (change.old, change.new) for change in changed.changes}
    assert changes == {
        "name": ("Inventory", "Asset register"),
        "critical": ("no", "yes"),
        "risks": ("r1", "(none)"),
        "mappings": ("nist: GV-1", "nist: GV-1; nist: GV-2"),
    }


def test_removed_question_and_changed_options_are_reported():
    new = _edited()
    questions = new["domains"][0]["controls"][0]["questions"]
    questions[1]["options"][1]["value"] = 0.5
    del questions[0]
    result = diff_documents(BASE, new).section("question")
    assert [item.ref for item in result.removed] == ["c1.q1"]
    assert result.removed[0].context == "c1"
    [changed] = result.changed
    assert [(c.field, c.old, c.new) for c in changed.changes] == [
        ("options", "A = 0; B = 1", "A = 0; B = 0.5")
    ]


def test_a_control_moved_to_another_domain_shows_the_move():
    new = _edited()
    data = new["domains"][0]
    data["domains"][0]["controls"] = data.pop("controls")
    data["controls"] = []
    [changed] = diff_documents(BASE, new).section("control").changed
    assert [(c.field, c.old, c.new) for c in changed.changes] == [("domain", "d1", "d1.1")]


def test_domains_personas_risks_and_settings_are_compared():
    new = _edited()
    new["domains"][0]["domains"] = []
    new["domains"].append({"id": "d2", "name": "Models", "domains": [], "controls": []})
    new["personas"][0]["questions"].append("Ship?")
    new["risks"] = []
    new["tiers"][1]["min_score"] = 60
    new["gate_tier"] = "Low"
    result = diff_documents(BASE, new)
    domains = result.section("domain")
    assert [i.ref for i in domains.added] == ["d2"] and [i.ref for i in domains.removed] == ["d1.1"]
    [persona] = result.section("persona").changed
    assert persona.changes[0].field == "questions"
    assert [i.ref for i in result.section("risk").removed] == ["r1"]
    settings = {c.field: (c.old, c.new) for c in result.settings}
    assert settings == {
        "tiers": ("Low ≥ 0; High ≥ 50", "Low ≥ 0; High ≥ 60"),
        "gate_tier": ("(empty)", "Low"),
    }


def test_order_changes_alone_are_not_reported():
    new = _edited()
    questions = new["domains"][0]["controls"][0]["questions"]
    questions.reverse()
    assert diff_documents(BASE, new).is_empty


def test_missing_sections_count_as_empty():
    result = diff_documents({"framework": {"name": "A"}}, BASE)
    assert [i.ref for i in result.section("control").added] == ["c1"]
    assert [i.ref for i in result.section("domain").added] == ["d1", "d1.1"]


def test_values_are_shown_readably():
    assert [show(None), show(""), show(True), show(0.5), show([]), show(["a", "b"])] == [
        "—",
        "(empty)",
        "yes",
        "0.5",
        "(none)",
        "a; b",
    ]


def test_a_changed_display_code_is_reported():
    new = _edited()
    new["domains"][0]["code"] = "DAT"
    new["domains"][0]["controls"][0]["code"] = "DAT-1"
    result = diff_documents(BASE, new)
    [domain] = result.section("domain").changed
    assert [(c.field, c.old, c.new) for c in domain.changes] == [("code", "(empty)", "DAT")]
    [control] = result.section("control").changed
    assert [(c.field, c.old, c.new) for c in control.changes] == [("code", "(empty)", "DAT-1")]
