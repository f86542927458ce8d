"""Names of young people never reach the change log, not even encrypted."""

import pytest

from bildungskette.core.models import AuditEntry
from bildungskette.organisations.models import Organisation, OrganisationType
from bildungskette.transitions.models import School, Student

pytestmark = pytest.mark.django_db


def test_excluded_fields_never_reach_the_log(tenant):
    school = Organisation.objects.create(tenant=None, name="Schule", type=OrganisationType.SCHULE)
    transition_school = School.objects.create(tenant=tenant, organisation=school)
    student = Student.objects.create(tenant=tenant, school=transition_school, pseudonym="P-1", grade=9,
                                     class_name="9a", first_name_enc="geheim-verschluesselt")
    entry = AuditEntry.objects.get(model_label="transitions.Student", object_id=str(student.pk))
    assert "first_name_enc" not in entry.changes and "pseudonym" in entry.changes
