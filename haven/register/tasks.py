"""Background work for the register (django-tasks; run by ``haven worker``)."""

from __future__ import annotations

from django_tasks import task

from haven.register.importing.run import import_run_process


@task()
def import_run_task(*, run_id: int) -> None:
    """Check or apply an uploaded import file; large files take minutes, so never in a request."""
    import_run_process(run_id=run_id)
