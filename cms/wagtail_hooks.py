from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import two_factor
from .admin_guard import scope_for
from .admin_scoping import CoordinatorMenuItem, PartnerStaffPolicy
from .models import InterestSubmission, SupportService
from .viewsets import InterestViewSet, PersonalDataViewSet


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("2fa/setup/", two_factor.setup_view, name="cms_2fa_setup"),
        path("2fa/verify/", two_factor.verify_view, name="cms_2fa_verify"),
        path("2fa/enrol/<str:token>/", two_factor.enrol_view, name="cms_2fa_enrol"),
        path("2fa/recovery-codes/", two_factor.recovery_view, name="cms_2fa_recovery"),
    ]


@hooks.register("register_admin_urls")
def scheme_settings_urls():
    from .scheme_views import scheme_settings_view

    return [path("scheme-settings/", scheme_settings_view, name="scheme_settings")]


@hooks.register("register_admin_menu_item")
def scheme_settings_menu_item():
    from django.urls import reverse

    return CoordinatorMenuItem("Scheme settings", reverse("scheme_settings"), icon_name="cog", order=470)


@hooks.register("insert_global_admin_css")
def staff_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/staff-admin.css"))


@hooks.register("register_log_actions")
def register_staff_log_actions(actions):
    actions.register_action("cms.export", "Export", "Data exported")
    actions.register_action("cms.scheme_settings", "Scheme settings", "Scheme settings changed")
    actions.register_action("cms.2fa_enrolment_issued", "2FA set-up link", "Two-factor set-up link issued")
    actions.register_action("cms.2fa_enrolled", "2FA set up", "Two-factor sign-in set up")
    actions.register_action("cms.subject_access", "Subject access export", "Subject access export downloaded")
    actions.register_action("cms.erase_person", "Erase a person", "A person's data erased")
    actions.register_action("cms.interest_status", "Change interest status", "Interest registration status changed")
    actions.register_action("cms.interest_invited", "Invite to book", "Invitation to book emailed")
    actions.register_action(
        "cms.interest_new_dates_stopped", "Stop new-dates emails", "Emails about new training dates stopped"
    )


@hooks.register("register_personal_data")
def interest_personal_data():
    from .privacy import InterestRegistrations

    return InterestRegistrations()


register_permission_policy(InterestSubmission, PartnerStaffPolicy(InterestSubmission, {"view", "change"}))


@hooks.register("register_admin_viewset")
def register_interest_viewset():
    return InterestViewSet("staff_interest", url_prefix="interest-registrations")


# The support directory: coordinators keep their own council's list (editors place it in modules).
register_permission_policy(SupportService, PartnerStaffPolicy(SupportService, {"add", "change", "delete", "view"}))


@hooks.register("register_admin_viewset")
def register_support_directory_viewset():
    from .directory_viewsets import SupportServiceViewSet

    return SupportServiceViewSet("support_directory", url_prefix="support-directory")


@hooks.register("register_admin_viewset")
def register_personal_data_viewset():
    return PersonalDataViewSet(url_prefix="personal-data")


# --- partner isolation in Wagtail's own views (the URL guard is cms.admin_guard's middleware) ---


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_own_pages(parent_page, pages, request):
    return scope_for(request).pages(pages)


@hooks.register("construct_page_chooser_queryset")
def chooser_offers_own_pages(pages, request):
    return scope_for(request).pages(pages)


@hooks.register("construct_admin_api", order=100)
def media_api_shows_own_collections(router):
    """The admin API's image and document listings, cut to the user's partners' collections."""
    from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
    from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

    class PartnerImages(ImagesAdminAPIViewSet):
        def get_queryset(self):
            return scope_for(self.request).in_collections(super().get_queryset())

    class PartnerDocuments(DocumentsAdminAPIViewSet):
        def get_queryset(self):
            return scope_for(self.request).in_collections(super().get_queryset())

    router.register_endpoint("images", PartnerImages)
    router.register_endpoint("documents", PartnerDocuments)


@hooks.register("construct_reports_menu")
def reports_for_superusers_only(request, menu_items):
    """Wagtail's reports span the installation (every partner's log entries and page titles)."""
    if not request.user.is_superuser:
        menu_items[:] = []


@hooks.register("before_serve_document")
def documents_are_private_until_published(document, request):
    """404 (not 403: nothing says it exists) for a document no published page links to."""
    from django.http import Http404

    from .admin_guard import document_may_be_served

    if not document_may_be_served(document, request):
        raise Http404("No such document.")
