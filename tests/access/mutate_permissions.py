"""Prove the access matrix notices every change to the permission table (`make mutate`).

For each (action, role) pair the role's membership in assessments.access.PERMISSIONS is
flipped (tests/access/permission_mutant.py does it inside pytest) and the matrix cases
that can notice it are run with -x: the URLs that check that action, for that role's
persona. A mutant is killed when that run fails. Prints "killed N/72" and exits non-zero
when any mutant survives.

    python tests/access/mutate_permissions.py [--jobs 2] [action:role ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROLES = ("owner", "assessor", "viewer", "auditor")

# The URLs whose views (or the services they call) check each action: written by hand,
# so a view that stops checking its action leaves a mutant alive here.
ACTION_URLS = {
    "view": ("assessment_detail", "scorecard", "assessment_crosswalk"),
    "create": ("assessment_start", "assessment_start_from"),
    "answer": ("questionnaire_page", "evidence_upload", "evidence_delete"),
    "submit": ("assessment_submit",),
    "assign": ("assessment_assign",),
    "review": ("assessment_return", "review_comment_add"),
    "reply": ("my_work",),
    "thread": ("review_comment_reply", "review_comment_resolve"),
    "finalise": ("assessment_finalise",),
    "reopen": ("assessment_reopen",),
    "upgrade": ("assessment_upgrade",),
    "signoff": ("assessment_signoff",),
    "export": ("report_status", "report_download", "assessment_export"),
    "render": ("report_request", "report_retry", "scorecard"),
    "audit_log": ("audit_log",),
    "manage_members": ("member_role", "member_remove", "invitation_revoke"),
    "manage_systems": ("system_edit", "proposal_accept", "proposal_decline"),
    "propose_systems": ("system_propose", "proposal_withdraw"),
}
MATRIX = "tests/access/test_access_matrix.py"


def run_mutant(action: str, role: str) -> tuple[str, bool, float]:
    names = " or ".join(ACTION_URLS[action])
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "tests.access.permission_mutant",
        "-p",
        "no:randomly",
        # Runs in parallel must not share pytest's temporary folder (it prunes old ones).
        f"--basetemp={tempfile.mkdtemp(prefix='permission-mutant-')}",
        MATRIX,
        "-k",
        f"({names}) and {role} and not admin",
    ]
    env = {**os.environ, "SCORECARD_PERMISSION_MUTANT": f"{action}:{role}"}
    started = time.monotonic()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    # Exit 1 is a failing test: killed. 0 survived; anything else (no tests collected,
    # an error) is not a kill either, so a broken selection cannot pass for one.
    name = f"{action}:{role}" + ("" if result.returncode == 1 else f" [exit {result.returncode}]")
    return name, result.returncode == 1, time.monotonic() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("mutants", nargs="*", help="action:role (default: all 72)")
    args = parser.parse_args(argv)
    pairs = [tuple(m.split(":")) for m in args.mutants] or [
        (action, role) for action in ACTION_URLS for role in ROLES
    ]
    started = time.monotonic()
    survivors = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for name, killed, seconds in pool.map(lambda p: run_mutant(*p), pairs):
            print(f"{'killed  ' if killed else 'SURVIVED'} {name} ({seconds:.0f}s)", flush=True)
            if not killed:
                survivors.append(name)
    print(f"killed {len(pairs) - len(survivors)}/{len(pairs)} in {time.monotonic() - started:.0f}s")
    if survivors:
        print("survivors: " + ", ".join(survivors))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
