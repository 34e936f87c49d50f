from django.urls import reverse
from wagtail import hooks

from cms.admin_hooks import register_log_actions
from cms.admin_scoping import CoordinatorMenuItem

LOG_ACTIONS = [
    ("venues.details_changed", "Venue details changed", "Details changed by the venue"),
    ("venues.pledge_agreed", "Pledge agreed", "Pledge agreed by the venue"),
    ("venues.pledge_invitation", "Pledge invitation", "Pledge and listing invitation emailed"),
    ("venues.withdrawn", "Venue withdrew", "Venue left the scheme"),
    ("venues.renewed", "Renewal confirmed", "Yearly check confirmed by the venue"),
    ("venues.renewal_reminder", "Renewal reminder", "Renewal reminder emailed"),
    ("venues.renewal_date_set", "Renewal date set", "Renewal date set"),
    ("venues.colleague_invited", "Colleague invited", "Colleague invited to train"),
    ("venues.contact_added", "Contact added", "Sign-in contact added"),
    ("venues.contact_removed", "Contact removed", "Sign-in contact removed"),
]


register_log_actions(LOG_ACTIONS)


@hooks.register("register_personal_data")
def venue_account_personal_data():
    from .privacy import VenueAccounts

    return VenueAccounts()


@hooks.register("register_admin_urls")
def venue_contact_urls():
    from django.urls import path

    from .admin_views import contacts_view

    return [path("venue-contacts/", contacts_view, name="venue_contacts")]


@hooks.register("register_admin_menu_item")
def venue_contacts_menu_item():
    return CoordinatorMenuItem("Venue contacts", reverse("venue_contacts"), icon_name="group", order=460)
