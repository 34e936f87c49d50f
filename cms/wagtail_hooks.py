from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import two_factor
from .admin_scoping import PartnerStaffPolicy
from .models import InterestSubmission
from .viewsets import InterestViewSet, PersonalDataViewSet


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("2fa/setup/", two_factor.setup_view, name="cms_2fa_setup"),
        path("2fa/verify/", two_factor.verify_view, name="cms_2fa_verify"),
    ]


@hooks.register("insert_global_admin_css")
def staff_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/staff-admin.css"))


@hooks.register("register_log_actions")
def register_staff_log_actions(actions):
    actions.register_action("cms.export", "Export", "Data exported")
    actions.register_action("cms.subject_access", "Subject access export", "Subject access export downloaded")
    actions.register_action("cms.erase_person", "Erase a person", "A person's data erased")
    actions.register_action("cms.interest_status", "Change interest status", "Interest registration status changed")


@hooks.register("register_personal_data")
def interest_personal_data():
    from .privacy import InterestRegistrations

    return InterestRegistrations()


register_permission_policy(InterestSubmission, PartnerStaffPolicy(InterestSubmission, {"view", "change"}))


@hooks.register("register_admin_viewset")
def register_interest_viewset():
    return InterestViewSet("staff_interest", url_prefix="interest-registrations")


@hooks.register("register_admin_viewset")
def register_personal_data_viewset():
    return PersonalDataViewSet(url_prefix="personal-data")
