from django.db.models.signals import post_save
from django.dispatch import receiver

from cms.models import Partner


@receiver(post_save, sender=Partner, dispatch_uid="courses_grant_module_permissions")
def give_new_partner_module_permissions(sender, instance, created, raw=False, **kwargs):
    """A new partner's editors can write modules straight away."""
    if created and not raw:
        from .services import grant_module_permissions

        grant_module_permissions(partner=instance)
