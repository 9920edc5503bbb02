"""What programs asks of the app above it that holds memberships, registered from that app's
AppConfig.ready() so that programs never imports it (enrolment reads programmes).

Today that is `enrolled_groups`: a programme's memberships that took a place, counted per
category, income base, months and start month (the rows `budget.programme_budget` prices). An
edit of a programme needs them: it may not take away places or money already taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jaring.programs.models import Programme

enrolled_groups: Callable[[Programme], Iterable[dict]] | None = None
