"""Session lifetime limits beyond Django's idle timeout.

SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST ends a session after a period of
inactivity; a session in constant use would otherwise live for ever. This middleware
also ends it a fixed time after it was first used while logged in.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

SESSION_STARTED = "_auth_session_started"


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED)
            if not isinstance(started, int) or started > now:
                request.session[SESSION_STARTED] = now
            elif now - started >= settings.SESSION_ABSOLUTE_SECONDS:
                # Read by the audit signal so the logout is recorded as an expiry.
                request.session_expired = True
                logout(request)
                messages.info(request, "Your session has expired: please log in again.")
        return self.get_response(request)
