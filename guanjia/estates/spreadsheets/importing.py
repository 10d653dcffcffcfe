"""The import: check everything, then write everything or nothing; progress for the ImportJob.

An import is all or nothing. Every row is checked first and every problem is reported with the row
number Excel shows (the header is row 1); only a clean file is written, in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from guanjia.audit.models import AuditEntry
from guanjia.audit.services import audit_record
from guanjia.estates.models import Building, Estate, Unit
from guanjia.estates.spreadsheets.checking import _Checker, _Plan
from guanjia.estates.spreadsheets.reading import RowError, _read_workbook
from guanjia.people.models import Occupancy, Resident

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
T = TypeVar("T")

PROGRESS_EVERY = 500
BATCH_SIZE = 1000


@dataclass
class ImportResult:
    buildings: int = 0
    units: int = 0
    residents: int = 0
    occupancies: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {
            "buildings": self.buildings,
            "units": self.units,
            "residents": self.residents,
            "occupancies": self.occupancies,
        }

    def errors_as_json(self) -> list[dict[str, Any]]:
        return [asdict(error) for error in self.errors]


def estate_import(
    *,
    estate: Estate,
    data: bytes,
    user: AbstractBaseUser,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the whole workbook, then write it in one transaction only if no row has an error.

    `progress(done, total)` is called about every PROGRESS_EVERY rows: each data row counts once
    when checked and once when written, and the last call has done == total.
    """
    rows, errors = _read_workbook(data)
    if errors:
        return ImportResult(errors=errors)
    count = sum(len(sheet_rows) for sheet_rows in rows.values())
    if count == 0:
        return ImportResult(errors=[RowError("", None, _("工作簿中没有任何数据行"))])
    ticker = _Ticker(progress, total=2 * count)
    checker = _Checker(estate=estate, ticker=ticker)
    plan = checker.run(rows)
    if checker.errors:
        ticker.finish()
        return ImportResult(errors=checker.errors)
    try:
        result = _write(estate=estate, plan=plan, user=user, ticker=ticker)
    except IntegrityError:
        # Someone added the same building or unit between our check and our write.
        logger.warning("Import into estate %s collided with a concurrent change", estate.pk, exc_info=True)
        result = ImportResult(errors=[RowError("", None, _("导入期间项目数据被他人修改，未写入任何数据，请重新导入"))])
    ticker.finish()
    return result


class _Ticker:
    def __init__(self, callback: Progress | None, *, total: int) -> None:
        self.callback, self.total, self.done, self.reported = callback, total, 0, 0
        self._report()

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.done - self.reported >= PROGRESS_EVERY:
            self._report()

    def finish(self) -> None:
        self.done = self.total
        self._report()

    def _report(self) -> None:
        self.reported = self.done
        if self.callback is not None:
            self.callback(self.done, self.total)


def _write(*, estate: Estate, plan: _Plan, user: AbstractBaseUser, ticker: _Ticker) -> ImportResult:
    # Other connections see progress made inside this transaction only at commit; checking, above,
    # is the slow part and is reported live.
    with transaction.atomic():
        for chunk in _chunks(plan.buildings):
            Building.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            ticker.tick(len(chunk))
        building_ids = dict(Building.objects.filter(estate=estate).values_list("code", "pk"))
        for building_code, unit in plan.units:
            unit.building_id = building_ids[building_code]
        for chunk in _chunks([unit for _code, unit in plan.units]):
            Unit.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            ticker.tick(len(chunk))
        unit_ids = dict(Unit.objects.filter(estate=estate).values_list("code", "pk"))
        residents = list(plan.residents.values())
        if connection.features.can_return_rows_from_bulk_insert:
            Resident.objects.bulk_create(residents, batch_size=BATCH_SIZE)
        else:  # the occupancies need the new residents' keys
            for resident in residents:
                resident.save()
        for chunk in _chunks(plan.occupancies):
            Occupancy.objects.bulk_create(
                [
                    Occupancy(
                        estate=estate,
                        resident_id=planned.existing_resident_id or plan.residents[planned.resident_key].pk,
                        unit_id=unit_ids[planned.unit_code],
                        relation=planned.relation,
                        moved_in_on=planned.moved_in_on,
                    )
                    for planned in chunk
                ],
                batch_size=BATCH_SIZE,
            )
            ticker.tick(len(chunk))
        result = ImportResult(
            buildings=len(plan.buildings),
            units=len(plan.units),
            residents=len(residents),
            occupancies=len(plan.occupancies),
        )
        audit_record(
            actor=user,
            action=AuditEntry.Action.IMPORT,
            obj=estate,
            reason=_("导入楼栋 %(buildings)d、房屋 %(units)d、住户 %(residents)d、入住记录 %(occupancies)d")
            % result.summary(),
        )
    return result


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), PROGRESS_EVERY):
        yield items[start : start + PROGRESS_EVERY]
