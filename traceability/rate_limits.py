"""What traceability limits per client (website/ratelimit.py): scans of the trace addresses, and
far more tightly the unknown codes a script guessing them meets (RATE_LIMITS may override each).
A batch's own page URL counts against "trace" too (views.serve_batch_page). Codes typed into
/check/ count against the same two rules (an unknown one answers 404), so the form is no easier a
way to enumerate codes than the trace addresses; a unit's wrong PINs are limited per unit
(checks.is_locked)."""

import re

from website.ratelimit import Rule, register_rules

TRACE_PATHS = re.compile(r"^/(?:t/|01/|api/v1/batches/)")
CHECK_PATHS = re.compile(r"^/check/")


def register() -> None:
    register_rules(
        Rule("trace", ("GET", "HEAD"), TRACE_PATHS),
        # Guessing codes: unknown codes are limited far more tightly than real scans.
        Rule("trace_miss", ("GET", "HEAD"), TRACE_PATHS, (404,)),
        Rule("trace", ("GET", "HEAD", "POST"), CHECK_PATHS),
        Rule("trace_miss", ("GET", "HEAD", "POST"), CHECK_PATHS, (404,)),
        limits={"trace": (120, 60), "trace_miss": (20, 600)},
    )
