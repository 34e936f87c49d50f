from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page, PageViewRestriction, Site

from .blocks import BodyBlock
from .colour import contrast_ratio
from .forms import HONEYPOT_FIELD, NEW_DATES_FIELD, InterestFormBuilder
from .page_cache import mark_public
from .postcodes import validate_uk_postcode
from .sanitise import clean_text


class User(AbstractUser):
    """Custom from the first migration, as Django advises, so it can grow without a rewrite."""


class TwoFactorEnrolment(models.Model):
    """A one-time link that lets a staff member pair an authenticator app.

    A password alone must not be enough to enrol a second factor (whoever holds a stolen password
    would enrol their own phone), so enrolment starts from a link emailed to the user's address,
    or issued by a superuser (`issue_2fa_enrolment`). Only the token's hash is stored.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="two_factor_enrolments")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"2FA enrolment for {self.user}"


class CustomImage(AbstractImage):
    admin_form_fields = Image.admin_form_fields


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class CustomDocument(AbstractDocument):
    admin_form_fields = Document.admin_form_fields


DEFAULT_PLEDGE = """We will let in anyone who feels unsafe, lost, harassed or unwell and asks for help.
We will offer a safe, calm place to wait.
We will call 999 in an emergency, or 101 or someone they trust when they ask.
We will keep our Safe Haven sticker where people can see it.
We will make sure staff on shift know what to do, and send new staff to the training.
We will keep our opening hours and details up to date."""


class Partner(models.Model):
    """A council running a Safe Haven scheme: the tenant. One Wagtail Site each."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    delivery_organisation = models.CharField(
        max_length=120, blank=True, help_text="Who runs the scheme day to day, e.g. Studio 3 Arts."
    )
    contact_email = models.EmailField(help_text="Organiser address on invites; interest forms are sent here.")
    time_zone = models.CharField(max_length=64, default="Europe/London")
    site = models.OneToOneField(Site, on_delete=models.PROTECT, related_name="partner")
    certificate_validity_months = models.PositiveSmallIntegerField(default=12)
    knowledge_check_nudge_days = models.PositiveSmallIntegerField(
        default=3,
        help_text="Days after an attendee is asked to take the knowledge check before one reminder is sent "
        "if they have not passed it. 0 sends no reminder.",
    )
    example_postcode = models.CharField(
        max_length=8,
        blank=True,
        validators=[validate_uk_postcode],
        help_text="A real postcode in the scheme's area, shown on forms as the example, e.g. TN1 1YS.",
    )
    # The scheme settings: coordinators change these at /admin/scheme-settings/, whose form takes its
    # labels, limits and help from here.
    pledge_text = models.TextField(
        "the Safe Haven pledge",
        default=DEFAULT_PLEDGE,
        help_text="What a venue agrees to before it is listed, one promise a line. Venues read it when they "
        "agree and each year when they renew.",
    )
    renewal_months = models.PositiveSmallIntegerField(
        "months between renewals",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="An accredited venue re-confirms its details, hours and the pledge this often. We email it 30 "
        "and 7 days before; it is unlisted if it has not confirmed by then.",
    )
    nearby_km = models.DecimalField(
        "walking distance for “nearest open”, in kilometres",
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.5"),
        validators=[MinValueValidator(Decimal("0.2")), MaxValueValidator(Decimal("10"))],
        help_text="How far “nearest open Safe Haven” looks. 1.5 km is about 20 minutes' walk.",
    )
    visit_every_months = models.PositiveSmallIntegerField(
        "months between spot checks",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="Each Safe Haven should be visited (or phoned) this often. The dashboard lists venues due a "
        "visit, and those overdue by more than a month.",
    )
    refresher_days = models.PositiveSmallIntegerField(
        "days to complete a refresher after a failed visit",
        default=30,
        validators=[MinValueValidator(7), MaxValueValidator(180)],
        help_text="After a failed visit, someone from the venue must complete the workshop within this many days, "
        "or the venue is suspended automatically.",
    )
    help_log_retention_months = models.PositiveSmallIntegerField(
        "months the help given log keeps each row",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Older rows are deleted by the daily purge_help_log command. The log holds nothing about a person.",
    )
    certificate_signatory_name = models.CharField(
        "name of the person who signs certificates",
        max_length=120,
        blank=True,
        help_text="For example, Jane Smith. Printed with a signature line on each certificate; leave it empty "
        "to print none.",
    )
    certificate_signatory_role = models.CharField(
        "their role",
        max_length=120,
        blank=True,
        help_text="For example, Community Safety Manager.",
    )
    coordinators = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="coordinator_of"
    )
    editors = models.OneToOneField(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="editor_of")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def zone_name(self) -> str:
        """The partner's time zone name, as calendars carry it (UK time unless set)."""
        return self.time_zone or "Europe/London"

    @property
    def zone(self) -> ZoneInfo:
        """The partner's clock: every date a person reads or a rule counts in days uses it."""
        return ZoneInfo(self.zone_name)

    def staff_emails(self) -> list[str]:
        """Addresses of this partner's coordinators, for notifications."""
        if not self.coordinators_id:
            return []
        return list(
            User.objects.filter(groups=self.coordinators_id, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )


class Area(models.Model):
    """A part of a partner's patch (a priority area, a town centre) used to group Safe Havens."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["partner", "name"]
        constraints = [models.UniqueConstraint(fields=["partner", "slug"], name="area_unique_slug_per_partner")]

    def __str__(self):
        return self.name


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as # and six hex digits, e.g. #1d70b8.")


class SupportService(models.Model):
    """One entry of a partner's directory of specialist help that venues signpost people to. Shown
    only on that partner's site (a shared training module shows each partner its own list)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="support_services")
    name = models.CharField(max_length=150)
    helps_with = models.CharField("what it helps with", max_length=255)
    phone = models.CharField(max_length=40, blank=True)
    hours = models.CharField(
        "when it is open", max_length=150, blank=True, help_text="For example: 24 hours, every day."
    )
    website = models.URLField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first.")

    class Meta:
        ordering = ["partner", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["partner", "name"], name="support_service_unique_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        for field in ("name", "helps_with", "phone", "hours"):
            setattr(self, field, clean_text(getattr(self, field)).strip())
        super().save(*args, **kwargs)


@register_setting(icon="site")
class BrandingSettings(BaseSiteSetting):
    """How a partner's site looks and what it says about who runs it."""

    logo = models.ForeignKey(CustomImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    brand_colour = models.CharField(
        max_length=7,
        default="#1d70b8",
        validators=[hex_colour],
        help_text="Header and button colour. It must have 4.5:1 contrast with white text.",
    )
    organisation_names = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown in the header, e.g. 'Barking and Dagenham Council with Studio 3 Arts'.",
    )
    footer_text = RichTextField(features=["bold", "italic", "link"], blank=True)
    accessibility_statement_url = models.URLField(blank=True)
    privacy_notice_url = models.URLField(blank=True)

    panels = [
        FieldPanel("logo"),
        FieldPanel("brand_colour"),
        FieldPanel("organisation_names"),
        FieldPanel("footer_text"),
        FieldPanel("accessibility_statement_url"),
        FieldPanel("privacy_notice_url"),
    ]

    def clean(self):
        super().clean()
        valid = self.brand_colour and hex_colour.regex.match(self.brand_colour)
        if valid and contrast_ratio(self.brand_colour, "#ffffff") < 4.5:
            raise ValidationError(
                {"brand_colour": "This colour is too light for white text: choose a darker one (4.5:1 contrast)."}
            )


class BasePage(Page):
    """Every page type inherits this: shared listing fields and the partner of its site."""

    listing_summary = models.CharField(
        max_length=255, blank=True, help_text="One sentence used in lists and search results."
    )

    promote_panels = Page.promote_panels + [FieldPanel("listing_summary")]
    # Served from the public page cache to people not signed in; forms turn this off.
    public_cacheable = True

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if self.public_cacheable:
            mark_public(response)
        return response

    def get_partner(self):
        site = self.get_site()
        return getattr(site, "partner", None) if site else None

    # Set by cms/routing.py on a page it served from a remembered route with no restriction on it
    # or its ancestors: Wagtail then asks no query (two per request otherwise) to learn that again.
    view_restrictions_known_empty = False

    def get_view_restrictions(self):
        if self.view_restrictions_known_empty:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(BasePage):
    intro = models.TextField(blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]


class StandardPage(BasePage):
    intro = models.TextField(blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]


class InterestFormField(AbstractFormField):
    page = ParentalKey("InterestFormPage", on_delete=models.CASCADE, related_name="form_fields")


class InterestSubmission(AbstractFormSubmission):
    """A business asking to become a Safe Haven; staff follow it up."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        BOOKED = "booked", "Booked on training"
        NOT_INTERESTED = "not_interested", "Not interested"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="interest_submissions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    wants_new_dates = models.BooleanField(
        default=False, help_text="Asked on the form to be emailed when new training dates are published."
    )
    new_dates_unsubscribed_at = models.DateTimeField(
        null=True, blank=True, help_text="When they stopped the new-dates emails (from the link in one)."
    )

    class Meta:
        ordering = ["-submit_time"]
        verbose_name = "interest registration"

    def __str__(self):
        return self.who

    @property
    def name(self) -> str:
        return str(self.form_data.get("name") or "").strip()

    @property
    def email(self) -> str:
        return str(self.form_data.get("email") or "").strip()

    @property
    def who(self) -> str:
        """How staff pages and emails name them: "Asha Patel (Heathway Books)"."""
        name, organisation = self.name, str(self.form_data.get("organisation") or "").strip()
        if name and organisation:
            return f"{name} ({organisation})"
        return name or organisation or "Someone"

    def answers(self) -> list[tuple[str, str]]:
        """Each answer under its question's label, as a person reads it ("Yes", never "True")."""
        form_fields = getattr(self.page.specific, "get_form_fields", None) if self.page_id else None
        labels = {field.clean_name: field.label for field in form_fields()} if form_fields else {}
        return [
            (labels.get(key) or key.replace("_", " ").capitalize(), answer_text(value))
            for key, value in self.form_data.items()
            if key != HONEYPOT_FIELD
        ]


def answer_text(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "Not given"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "Not given"
    return str(value)


class InterestFollowUp(models.Model):
    """One step in following up a registration: a status change, a note, an invitation sent."""

    submission = models.ForeignKey(InterestSubmission, on_delete=models.CASCADE, related_name="follow_ups")
    status_from = models.CharField(max_length=20, choices=InterestSubmission.Status.choices)
    status_to = models.CharField(max_length=20, choices=InterestSubmission.Status.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    @property
    def changed_status(self) -> bool:
        return self.status_from != self.status_to


class InterestFormPage(BasePage, AbstractEmailForm):
    """Register interest in becoming a Safe Haven; the partner's team is told by email."""

    public_cacheable = False  # carries a CSRF token

    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    thank_you_text = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            "Notification email",
        ),
    ]

    form_builder = InterestFormBuilder

    def get_submission_class(self):
        return InterestSubmission

    def get_form_parameters(self):
        partner = self.get_partner()
        return {"example_postcode": partner.example_postcode if partner else ""}

    def serve(self, request, *args, **kwargs):
        from .ratelimit import rate_limited_response

        if request.method == "POST":
            limited = rate_limited_response(request, group="interest-form")
            if limited:
                return limited
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.is_spam:
                # Answer as if it worked so the bot learns nothing; store and send nothing.
                return self.render_landing_page(request, None, *args, **kwargs)
        return super().serve(request, *args, **kwargs)

    def process_form_submission(self, form):
        from .tasks import send_interest_notification

        data = {key: clean_text(value) if isinstance(value, str) else value for key, value in form.cleaned_data.items()}
        wants_new_dates = bool(data.pop(NEW_DATES_FIELD, False))
        with transaction.atomic():
            submission = InterestSubmission.objects.create(
                form_data=data, page=self, partner=self.get_partner(), wants_new_dates=wants_new_dates
            )
            transaction.on_commit(lambda: send_interest_notification.enqueue(submission_id=submission.pk))
        return submission

    def notification_recipients(self) -> list[str]:
        addresses = [a.strip() for a in (self.to_address or "").split(",") if a.strip()]
        partner = self.get_partner()
        if partner:
            addresses += [partner.contact_email, *partner.staff_emails()]
        return list(dict.fromkeys(addresses))

    def serialise_submission(self, submission) -> str:
        """The answers as the notification email lists them: "Label: Yes", never JSON or "True"."""
        return "\n".join(f"{label}: {value}" for label, value in submission.answers())
