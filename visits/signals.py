"""Visits listen to certificates: a new completion for a venue that failed a visit is its refresher."""


def clear_refresher_on_completion(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from .services import clear_refresher_after_completion

    clear_refresher_after_completion(certificate=instance)
