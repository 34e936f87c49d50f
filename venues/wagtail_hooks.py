from wagtail import hooks

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


@hooks.register("register_log_actions")
def register_venue_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)
