"""Shared bits of the transition views: the tenant guard and the access log of person-level reads."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ..services import access_log_record


def tenant_required(request):
    if request.tenant is None:
        raise PermissionDenied
    return request.tenant


def log_read(request, *, action: str, what: str, school=None, students=()) -> None:
    ids = [s if isinstance(s, int) else s.pk for s in students]
    access_log_record(tenant=request.tenant, actor=request.user, action=action, what=what, school=school,
                      student_ids=ids)
