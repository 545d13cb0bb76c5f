"""Ids without a name in the catalog (risk categories) are shown as words."""

import pytest

from scorecard.catalog.readable import readable_id


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("risksSupplyChainAndDevelopment", "Supply chain and development"),
        ("risksDeploymentAndInfrastructure", "Deployment and infrastructure"),
        ("riskMCPTransportHijacking", "MCP transport hijacking"),  # an acronym keeps capitals
        ("controlAdapterPEFTInjection", "Adapter PEFT injection"),
        ("supply-chain_risks", "Supply chain risks"),  # separators become spaces
        ("Governance", "Governance"),
        ("risks", "Risks"),  # a lone word is kept, not dropped as a prefix
        ("GOVERN-1.1", "GOVERN 1 1"),
        ("  ", ""),
        ("", ""),
    ],
)
def test_an_id_reads_as_words_without_its_kind_prefix(ref, words):
    assert readable_id(ref) == words
