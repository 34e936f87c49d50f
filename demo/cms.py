"""Demo partners, pages and a demo admin. Called by `manage.py seed_demo`; idempotent."""

from wagtail.models import Page, Site

from cms.models import InterestFormField, InterestFormPage, StandardPage, SupportService, User
from cms.services import create_partner
from cms.starter_pages import staying_safe_online_fields

from .content import SUPPORT_DIRECTORIES

WAGTAIL_PLACEHOLDER = "Welcome to your new Wagtail site!"
DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "safehaven-demo"  # noqa: S105 - printed by `make run`; the demo is local only

BARKING = {
    "name": "Barking and Dagenham",
    "host": "localhost",
    "organisation": "Studio 3 Arts",
    "contact_email": "safehavens@lbbd.example",
    "example_postcode": "RM10 8AB",
    "brand_colour": "#5b2c6f",
    "default_site": True,
    "areas": ("Barking Town Centre", "Dagenham Heathway", "Parks"),
}
TUNBRIDGE_WELLS = {
    "name": "Tunbridge Wells",
    "host": "tunbridgewells.localhost",
    "organisation": "#TogetherAsAllies",
    "contact_email": "safehavens@tunbridgewells.example",
    "example_postcode": "TN1 1YS",
    "brand_colour": "#0b5e55",
    "default_site": False,
    "areas": ("Tunbridge Wells Town Centre", "Southborough", "Paddock Wood"),
}

CORE_HELP = [
    "let in someone who is being threatened or followed",
    "give them a space to feel safe and calm",
    "call an emergency service, a friend or a family member for them",
    "give directions or public-transport information",
]
EXTRA_HELP_TW = ["call a taxi", "let them charge their phone"]

VENUE_TYPES = "Shop\nCafé\nPub\nRestaurant\nLibrary\nSchool\nCommunity centre\nFaith space\nOther"
INTEREST_FIELDS = [
    ("Your name", "singleline", True, "", "name"),
    ("Organisation or venue name", "singleline", True, "", "organisation"),
    ("Venue type", "dropdown", True, VENUE_TYPES, "venue_type"),
    ("Postcode", "singleline", True, "", "postcode"),
    ("Email address", "email", True, "", "email"),
    ("Phone number", "singleline", False, "", "phone"),
    ("Message", "multiline", False, "", "message"),
    ("I agree to be contacted about the Safe Haven scheme", "checkbox", True, "", "consent"),
]  # fmt: skip


def _rich_list(items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _add_child(parent, page):
    existing = parent.get_children().filter(slug=page.slug).first()
    return existing.specific if existing else parent.add_child(instance=page)


def seed(*, stdout):
    if not User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        User.objects.create_superuser(DEMO_ADMIN_USERNAME, "admin@safehaven.example", DEMO_ADMIN_PASSWORD)
    # Wagtail's first migration makes a placeholder welcome page and site; the demo replaces them.
    Site.objects.filter(partner__isnull=True, root_page__title=WAGTAIL_PLACEHOLDER).delete()
    Page.objects.filter(depth=2, title=WAGTAIL_PLACEHOLDER).delete()
    for config in (BARKING, TUNBRIDGE_WELLS):
        setup = create_partner(**config)
        partner, home = setup.partner, setup.home
        if not partner.example_postcode:  # a demo database from before the setting existed
            partner.example_postcode = config["example_postcode"]
            partner.save(update_fields=["example_postcode"])
        if setup.created:
            home.intro = (
                f"Safe Havens are places in {partner.name} where anyone who feels lost, harassed, "
                "bullied, unwell or unsafe can walk in and get help."
            )
            home.body = [
                ("paragraph", "<p>Look for the Safe Haven sticker in the window of shops, cafés, libraries, "
                 "community centres and faith spaces.</p>"),
                ("callout", {"title": "In an emergency",
                             "text": "<p>Call 999. Safe Havens do not replace the emergency services.</p>"}),
            ]  # fmt: skip
            home.save_revision().publish()
        help_offered = CORE_HELP + (EXTRA_HELP_TW if partner.name == "Tunbridge Wells" else [])
        _add_child(
            home,
            StandardPage(
                title="What is a Safe Haven?",
                slug="what-is-a-safe-haven",
                show_in_menus=True,
                intro="A Safe Haven is a place where someone who feels unsafe can go for help.",
                body=[
                    ("heading", "Who it helps"),
                    (
                        "paragraph",
                        "<p>Anyone who feels lost, harassed, bullied, unwell or unsafe — "
                        "particularly women, girls and young people.</p>",
                    ),
                    ("heading", "What a Safe Haven can do"),
                    ("paragraph", "<p>Staff at a Safe Haven can:</p>" + _rich_list(help_offered)),
                    ("paragraph", "<p>They can also signpost people to specialist support services.</p>"),
                    # Every page ends with what to do next: find one now, or make your own venue one.
                    ("heading", "What to do next"),
                    (
                        "paragraph",
                        '<ul><li><a href="/safe-havens/">Find a Safe Haven</a>, or '
                        '<a href="/safe-havens/near/">find one open near you now</a>.</li>'
                        "<li>If you run a shop, café, library or other venue, "
                        '<a href="/register-interest/">register interest in the free 90-minute training</a> '
                        "to make it a Safe Haven.</li></ul>",
                    ),
                ],  # fmt: skip
            ),
        )
        _staying_safe_online(home)
        if not home.get_children().filter(slug="register-interest").exists():
            form_page = InterestFormPage(
                title="Register interest",
                slug="register-interest",
                show_in_menus=True,
                intro=f"<p>Tell us about your venue and the {partner.name} team will be in touch about the free "
                "90-minute training.</p>",
                to_address=partner.contact_email,
                from_address="no-reply@safehaven.example",
                subject=f"{partner.name}: new Safe Haven interest",
            )
            home.add_child(instance=form_page)
            for order, (label, field_type, required, choices, clean_name) in enumerate(INTEREST_FIELDS):
                InterestFormField.objects.create(
                    page=form_page,
                    sort_order=order,
                    label=label,
                    field_type=field_type,
                    required=required,
                    choices=choices,
                    clean_name=clean_name,
                )
            form_page.save_revision().publish()
        _support_directory(partner)
        stdout.write(f"{partner.name}: http://{partner.site.hostname}:PORT/")


def _support_directory(partner):
    """The partner's support directory: entries missing by name are added; a council's edits are kept."""
    existing = set(SupportService.objects.filter(partner=partner).values_list("name", flat=True))
    for order, service in enumerate(SUPPORT_DIRECTORIES.get(partner.name, [])):
        if service["name"] not in existing:
            SupportService.objects.create(partner=partner, sort_order=order, **service)


def _staying_safe_online(home):
    """The page `create_partner` gives every new partner (`cms.starter_pages`). A demo seeded before
    it had a shorter page: that one is brought up to date unless someone has edited it in the admin."""
    fields = staying_safe_online_fields()
    page = home.get_children().filter(slug=fields["slug"]).first()
    if page is None:
        page = home.add_child(instance=StandardPage(**fields))
    elif page.latest_revision_id is None:  # made by an older seed_demo, never edited
        page = page.specific
        for name, value in fields.items():
            setattr(page, name, value)
    else:
        return
    page.save_revision().publish()
