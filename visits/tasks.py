from django_tasks import task


@task()
def send_refresher_needed(*, visit_id: int) -> None:
    """Email the venue's leads what a failed visit found and the refresher deadline."""
    from . import notifications

    notifications.send_refresher_needed(visit_id=visit_id)
