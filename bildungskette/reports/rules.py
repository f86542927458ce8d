"""Report permissions: coordination and monitoring of the owning tenant edit; the public reads
published versions only (a report without a published version is not public)."""

from __future__ import annotations

import rules

from bildungskette.core.rules import is_coordination, is_monitoring


@rules.predicate
def is_published(user, report) -> bool:
    return report is not None and report.versions.exists()


# object = tenant for add, report for the others
rules.add_perm("reports.add_report", is_coordination | is_monitoring)
rules.add_perm("reports.change_report", is_coordination | is_monitoring)
rules.add_perm("reports.approve_report", is_coordination)
rules.add_perm("reports.view_report", is_published | is_coordination | is_monitoring)
