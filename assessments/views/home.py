from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assessments.access import current_access


@require_GET
@login_required
def home(request):
    # Members work from their organisation's assessments; others (e.g. catalog admins
    # without an organisation) get the welcome page.
    if current_access(request) is not None:
        return redirect("assessment_list")
    return render(request, "assessments/home.html")
