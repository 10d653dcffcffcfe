from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from guanjia.estates.models import Estate
from guanjia.org.models import Department, Staff
from guanjia.org.roles import Capability, role_can


@transaction.atomic
def staff_create(
    *,
    username: str,
    name: str,
    employee_no: str,
    role: str,
    estates: Iterable[Estate],
    password: str | None = None,
    department: Department | None = None,
    phone: str = "",
    skills: str = "",
    check_password: bool = True,
) -> Staff:
    """A staff member with a login. Admin access follows the role (Capability.USE_ADMIN)."""
    User = get_user_model()
    user = User(username=username, first_name=name, is_staff=role_can(role, Capability.USE_ADMIN))
    if password:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    staff = Staff.objects.create(
        user=user, name=name, employee_no=employee_no, role=role, department=department, phone=phone, skills=skills
    )
    staff.estates.set(estates)
    return staff


def staff_change_role(*, staff: Staff, role: str) -> Staff:
    staff.role = role
    staff.save(update_fields=["role"])
    staff.user.is_staff = role_can(role, Capability.USE_ADMIN)
    staff.user.save(update_fields=["is_staff"])
    return staff
