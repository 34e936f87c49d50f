"""Venues listen to certificates: a venue's new certificate may bring the pledge invitation."""

from django.db import transaction


def invite_on_first_certificate(sender, instance, created, raw=False, **kwargs):
    """A new certificate: after commit, invite its holder to agree to the pledge and listing if the
    venue has not (once per venue; the task decides under the venue's lock)."""
    if not created or raw:
        return
    from .tasks import invite_to_pledge

    certificate_id = instance.pk
    transaction.on_commit(lambda: invite_to_pledge.enqueue(certificate_id=certificate_id))
