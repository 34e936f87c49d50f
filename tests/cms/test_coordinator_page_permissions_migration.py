import importlib

import pytest
from django.apps import apps
from wagtail.models import GroupPagePermission

from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_existing_partners_coordinators_get_page_permissions_once():
    migration = importlib.import_module("cms.migrations.0006_coordinators_edit_pages")
    partner = PartnerFactory(name="Oldtown")
    GroupPagePermission.objects.filter(group=partner.coordinators).delete()  # as made before the Roles table
    migration.grant(apps, None)
    migration.grant(apps, None)
    granted = GroupPagePermission.objects.filter(group=partner.coordinators, page=partner.site.root_page)
    assert sorted(granted.values_list("permission__codename", flat=True)) == sorted(migration.PAGE_PERMISSIONS)
