"""Coordinators of partners made before the Roles table get the page permissions editors have.

`create_partner` grants them to new partners; this gives them to existing ones once. Reversing
leaves the permissions in place (removing them could take away what an editor group shares).
"""

from django.db import migrations

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def grant(apps, schema_editor):
    Partner = apps.get_model("cms", "Partner")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    permissions = list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS))
    for partner in Partner.objects.exclude(coordinators=None).select_related("site"):
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group_id=partner.coordinators_id, page_id=partner.site.root_page_id, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_interest_follow_up"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
