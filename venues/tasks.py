from django_tasks import task


@task()
def send_sign_in_link(*, partner_id: int, email: str, next_path: str = "") -> None:
    """Mint and email a sign-in link if this address leads a venue; otherwise send nothing."""
    from . import notifications

    notifications.send_sign_in_link(partner_id=partner_id, email=email, next_path=next_path)


@task()
def send_pledge_invitation(*, certificate_id: int) -> None:
    from . import notifications

    notifications.send_pledge_invitation(certificate_id=certificate_id)


@task()
def invite_to_pledge(*, certificate_id: int) -> None:
    """Decide (once per venue, under its lock) whether a new certificate's venue is invited."""
    from .services import invite_to_pledge as invite

    invite(certificate_id=certificate_id)


@task()
def send_renewal_reminder(*, venue_id: int, renewal_due_on: str, stage: int) -> None:
    from . import notifications

    notifications.send_renewal_reminder(venue_id=venue_id, renewal_due_on=renewal_due_on, stage=stage)


@task()
def send_colleague_invite(*, venue_id: int, email: str) -> None:
    from . import notifications

    notifications.send_colleague_invite(venue_id=venue_id, email=email)
