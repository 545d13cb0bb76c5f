"""Heat map headings: a catalog gives risk categories as ids; Risk Map ids read as words."""

import pytest

from assessments.reports.portfolio import category_label


@pytest.mark.parametrize(
    ("category", "label"),
    [
        ("risksRuntimeDataSecurity", "Runtime data security"),
        ("risksSupplyChainAndDevelopment", "Supply chain and development"),
        ("Data", "Data"),
        ("risks", "risks"),
        ("risks-old", "risks-old"),
        ("", "Uncategorised"),
    ],
)
def test_risk_map_category_ids_read_as_words(category, label):
    assert category_label(category) == label
