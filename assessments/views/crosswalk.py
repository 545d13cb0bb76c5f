"""The crosswalk across catalogs: how an assessment covers the risks of other catalogs.

Read like the scorecard (assessments.access: another organisation's assessment is a 404,
every member role may read it); the numbers come from the score the scorecard shows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.access import get_assessment
from assessments.methodology import catalog_crosswalk_rule
from assessments.scoring import current_result
from assessments.selectors.crosswalk import catalog_crosswalk


@require_GET
@login_required
def assessment_crosswalk(request, assessment_id):
    assessment, access = get_assessment(request, assessment_id, "view")
    result = current_result(assessment)
    crosswalk = catalog_crosswalk(assessment=assessment, result=result)
    context = {
        "assessment": assessment,
        "access": access,
        "framework": assessment.framework,
        "crosswalk": crosswalk,
        "catalog_crosswalk": catalog_crosswalk_rule(),
    }
    return render(request, "reports/crosswalk.html", context)
