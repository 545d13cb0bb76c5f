"""URLs of the AI system inventory: systems, their history, and proposals."""

from django.urls import path

from assessments.views import systems

S = "systems/<uuid:system_id>/"
P = "systems/proposals/<int:proposal_id>/"

urlpatterns = [
    path("systems/", systems.system_list, name="system_list"),
    path("systems/new/", systems.system_create, name="system_create"),
    path("systems/propose/", systems.system_propose_new, name="system_propose_new"),
    path(S, systems.system_detail, name="system_detail"),
    path(f"{S}edit/", systems.system_edit, name="system_edit"),
    path(f"{S}propose/", systems.system_propose, name="system_propose"),
    path(f"{S}history/", systems.system_history_page, name="system_history"),
    path(P, systems.proposal_detail, name="proposal_detail"),
    path(f"{P}accept/", systems.proposal_accept, name="proposal_accept"),
    path(f"{P}decline/", systems.proposal_decline, name="proposal_decline"),
    path(f"{P}withdraw/", systems.proposal_withdraw, name="proposal_withdraw"),
]
