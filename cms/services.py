"""Operations that change partners and their sites."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page, Site

from .models import Area, BrandingSettings, HomePage, Partner, StandardPage
from .postcodes import normalise_uk_postcode
from .sanitise import clean_text, normalise_email
from .starter_pages import accessibility_statement_fields, staying_safe_online_fields

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
]


@dataclass
class PartnerSetup:
    partner: Partner
    home: HomePage
    created: bool


def grant_page_permissions(*, group: Group, home: Page) -> None:
    """Let a partner's group edit, publish and lock pages under its home page.

    Both groups get them: a coordinator does everything an editor does (see "Roles" in the README).
    """
    for codename in EDITOR_PAGE_PERMISSIONS:
        perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=home, permission=perm)


@transaction.atomic
def create_partner(
    *,
    name: str,
    host: str,
    organisation: str = "",
    contact_email: str,
    example_postcode: str = "",
    knowledge_check_nudge_days: int = 3,
    port: int = 80,
    default_site: bool = False,
    brand_colour: str = "#1d70b8",
    areas: tuple[str, ...] = (),
    starter_pages: bool = True,
) -> PartnerSetup:
    """Start a council on this installation: Site, home page, groups, branding and areas, and with
    `starter_pages` the accessibility statement and "Staying safe online" pages every partner needs
    (tests that do not read those pages leave them out: publishing two pages costs 90 ms).

    Idempotent by name, so `seed_demo` and a repeated `create_partner` leave one of each.
    """
    existing = Partner.objects.filter(name=name).select_related("site").first()
    if existing:
        public_documents_collection(root_collection_child(name))  # partners made before it existed
        if existing.coordinators_id:  # partners made when only editors had page permissions
            grant_page_permissions(group=existing.coordinators, home=existing.site.root_page)
        if starter_pages:
            create_accessibility_statement(partner=existing)  # partners made before it existed
        return PartnerSetup(partner=existing, home=existing.site.root_page.specific, created=False)

    root = ensure_wagtail_roots()
    slug = slugify(name)[:50]
    home = root.add_child(instance=HomePage(title=f"{name} Safe Havens", slug=slug, intro=""))
    if default_site:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    site = Site.objects.create(
        hostname=host, port=port, root_page=home, is_default_site=default_site, site_name=f"{name} Safe Havens"
    )
    coordinators, _ = Group.objects.get_or_create(name=f"{name} coordinators")
    editors, _ = Group.objects.get_or_create(name=f"{name} editors")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    collection = root_collection_child(name)
    public_documents_collection(collection)
    for group in (coordinators, editors):
        group.permissions.add(access_admin)
        for codename in EDITOR_COLLECTION_PERMISSIONS:
            perm = Permission.objects.filter(codename=codename).first()
            if perm:
                GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=perm)
    for group in (coordinators, editors):
        grant_page_permissions(group=group, home=home)

    partner = Partner.objects.create(
        name=name,
        slug=slug,
        delivery_organisation=organisation,
        contact_email=contact_email,
        example_postcode=normalise_uk_postcode(example_postcode) or "",
        knowledge_check_nudge_days=knowledge_check_nudge_days,
        site=site,
        coordinators=coordinators,
        editors=editors,
    )
    BrandingSettings.objects.update_or_create(
        site=site,
        defaults={
            "brand_colour": brand_colour,
            "organisation_names": f"{name} with {organisation}" if organisation else name,
        },
    )
    for area in areas:
        Area.objects.get_or_create(partner=partner, slug=slugify(area)[:60], defaults={"name": area})
    if starter_pages:
        create_accessibility_statement(partner=partner)
        _add_starter_page(home, staying_safe_online_fields())
        home.refresh_from_db()  # it has children now: a stale count would clash on the next add_child
    return PartnerSetup(partner=partner, home=home, created=True)


def create_accessibility_statement(*, partner: Partner, today=None, actor=None) -> StandardPage | None:
    """Give a partner the accessibility statement UK public-sector websites must publish, at
    /accessibility-statement/, from the template in `cms.starter_pages`; the council edits it as a page.

    Returns the new page, or None when the partner already has a page at that address (kept as it is,
    even as a draft: its editors may be reworking it). Safe to run again, and on many partners.
    """
    fields = accessibility_statement_fields(partner=partner, prepared_on=today or timezone.localdate())
    return _add_starter_page(partner.site.root_page, fields, actor=actor)


def _add_starter_page(home: Page, fields: dict, *, actor=None) -> StandardPage | None:
    """Add and publish one of `cms.starter_pages` under a partner's home page, unless its slug is taken."""
    with transaction.atomic():
        home = Page.objects.select_for_update().get(pk=home.pk)  # two runs at once add one page
        if home.get_children().filter(slug=fields["slug"]).exists():
            return None
        page = home.add_child(instance=StandardPage(**fields))
        page.save_revision(user=actor, log_action=False).publish(user=actor)
    return page


PUBLIC_DOCUMENTS = "Public documents"


def public_documents_collection(partner_collection: Collection) -> Collection:
    """The partner's collection for documents anyone may download (leaflets, the pledge), even
    before a page links them; every other document is private until a published page does."""
    existing = partner_collection.get_children().filter(name=PUBLIC_DOCUMENTS).first()
    return existing or partner_collection.add_child(name=PUBLIC_DOCUMENTS)


def root_collection_child(name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def ensure_wagtail_roots() -> Page:
    """The root page, root collection and default locale Wagtail's migrations create.

    A database flushed after migrating (transactional tests, a wiped demo) lacks them.
    """
    if not Locale.objects.exists():
        Locale.objects.create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", content_type_id=_page_content_type_id()))
    return root


def _page_content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page).pk


def set_interest_status(*, submission, status: str, note: str = "", actor=None, now=None):
    """Record how the follow-up of an interest registration went (new, contacted, booked...).

    Every change, and every note even without one, is kept as an `InterestFollowUp` so the
    registration's page shows who did what and why.
    """
    from wagtail.log_actions import log

    from .models import InterestFollowUp, InterestSubmission

    if status not in InterestSubmission.Status.values:
        raise ValueError(f"Unknown status {status!r}")
    note = clean_text(note or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        locked = InterestSubmission.objects.select_for_update().get(pk=submission.pk)
        previous = locked.status
        if previous != status:
            locked.status = status
            locked.status_changed_at = now
            locked.save(update_fields=["status", "status_changed_at"])
            log(locked, "cms.interest_status", user=actor, data={"from": previous, "to": status})
        if previous != status or note:
            InterestFollowUp.objects.create(
                submission=locked, status_from=previous, status_to=status, note=note, actor=actor, created_at=now
            )
    submission.status = status
    submission.status_changed_at = locked.status_changed_at
    return submission


NEW_DATES_SALT = "cms.interest.new-dates-unsubscribe"


def new_dates_unsubscribe_token(submission) -> str:
    """The signed value in a new-dates email's unsubscribe link: names the registration, unforgeable."""
    return signing.dumps({"s": submission.pk, "p": submission.partner_id}, salt=NEW_DATES_SALT)


def submission_for_unsubscribe_token(token: str, *, partner):
    """The registration a token names on this partner's site, or None for a bad or foreign token."""
    from .models import InterestSubmission

    if not token or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=NEW_DATES_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or partner is None or value.get("p") != partner.pk:
        return None
    return InterestSubmission.objects.filter(pk=value.get("s"), partner=partner).first()


def stop_new_dates_emails(*, submission, now=None) -> int:
    """Stop new-dates emails to this registration's address (every registration of it with the
    partner, so a person who registered twice is not still written to). Idempotent."""
    from wagtail.log_actions import log

    from .models import InterestSubmission

    now = now or timezone.now()
    email = normalise_email(submission.email)
    with transaction.atomic():
        rows = [
            row
            for row in InterestSubmission.objects.filter(
                partner_id=submission.partner_id, wants_new_dates=True, new_dates_unsubscribed_at__isnull=True
            )
            if row.pk == submission.pk or (email and normalise_email(row.email) == email)
        ]
        InterestSubmission.objects.filter(pk__in=[row.pk for row in rows]).update(new_dates_unsubscribed_at=now)
        for row in rows:
            log(row, "cms.interest_new_dates_stopped", user=None)
    return len(rows)


def update_scheme_settings(
    *,
    partner,
    actor,
    pledge_text: str,
    renewal_months: int,
    nearby_km,
    visit_every_months: int,
    refresher_days: int,
    help_log_retention_months: int,
    certificate_signatory_name: str,
    certificate_signatory_role: str,
) -> list[str]:
    """Change a partner's scheme settings; returns the names of the fields that changed (logged).

    Takes every setting, already validated against the Partner fields (the scheme settings form)."""
    values = {
        "pledge_text": "\n".join(line.strip() for line in clean_text(pledge_text).splitlines() if line.strip()),
        "renewal_months": renewal_months,
        "nearby_km": nearby_km,
        "visit_every_months": visit_every_months,
        "refresher_days": refresher_days,
        "help_log_retention_months": help_log_retention_months,
        "certificate_signatory_name": " ".join(clean_text(certificate_signatory_name).split()),
        "certificate_signatory_role": " ".join(clean_text(certificate_signatory_role).split()),
    }
    from wagtail.log_actions import log

    with transaction.atomic():
        locked = Partner.objects.select_for_update().get(pk=partner.pk)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        if changed:
            for name in changed:
                setattr(locked, name, values[name])
            locked.save(update_fields=changed)
            log(locked, "cms.scheme_settings", user=actor, data={"changed": changed})
    return changed
