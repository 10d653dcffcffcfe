"""Background imports: a 10,000-row workbook is checked and written by a worker, not in the request."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from guanjia.estates.models import Estate, ImportJob
from guanjia.estates.spreadsheets import RowError, estate_import

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger(__name__)


def import_job_start(*, estate: Estate, user: AbstractBaseUser, upload: UploadedFile) -> ImportJob:
    """Store the upload as a pending job and queue it; the caller has already checked access."""
    job = ImportJob.objects.create(estate=estate, created_by=user, file=upload)
    # After commit, so a worker never picks up a job whose row it cannot see yet.
    transaction.on_commit(lambda: import_job_run.enqueue(job.pk))
    return job


@task()
def import_job_run(job_id: int) -> str:
    """Run one job: progress goes to job.done/total as rows are checked and written.

    A job runs once: a retried or duplicated task finds it no longer pending and returns. The
    uploaded file is deleted afterwards, whatever the outcome, because it holds personal data in
    clear; the errors and counts stay on the job.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING
    )
    job = ImportJob.objects.select_related("estate", "created_by").get(pk=job_id)
    if not claimed:
        return job.status

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total
        job.save(update_fields=["done", "total"])

    try:
        with job.file.open("rb") as upload:
            data = upload.read()
        result = estate_import(estate=job.estate, data=data, user=job.created_by, progress=progress)
    except Exception:
        logger.exception("Import job %s crashed", job_id)
        job.status = ImportJob.Status.FAILED
        job.errors = [asdict(RowError("", None, _("导入时发生意外错误，未写入任何数据，请联系系统管理员")))]
        job.save(update_fields=["status", "errors"])
        raise
    finally:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job_id).update(file="")
    job.status = ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.FAILED
    job.errors = result.errors_as_json()
    job.summary = result.summary()
    job.save(update_fields=["status", "errors", "summary"])
    return job.status
