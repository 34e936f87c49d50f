"""factory_boy factories shared by the suite."""

import factory
from django.utils.text import slugify

from cms.models import Partner, User
from cms.services import create_partner


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class PartnerFactory(factory.Factory):
    """A partner made the way `create_partner` makes one: Site, home page, groups, branding.

    Without the starter pages (accessibility statement, staying safe online) unless a test asks for
    them with `starter_pages=True`: most tests never read them, and they triple a partner's cost.
    """

    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Borough {n}")
    host = factory.LazyAttribute(lambda o: f"{slugify(o.name)}.example.org")
    contact_email = factory.LazyAttribute(lambda o: f"team@{o.host}")
    starter_pages = False

    @classmethod
    def _create(cls, model_class, **kwargs):
        return create_partner(**kwargs).partner

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("Partners need a Site and pages: use create().")


def coordinator_of(partner, **kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(partner.coordinators)
    return user


# --- bookings -------------------------------------------------------------------------------


def training_page_for(
    partner, *, slug="safe-haven-training", title="Safe Haven training (90 minutes)", price=0, kind=None
):
    """A published course (or networking event) page under the partner's /training/."""
    from decimal import Decimal

    from courses.models import CoursePage, TrainingIndexPage

    kind = kind or CoursePage
    home = partner.site.root_page
    index = home.get_children().filter(slug="training").first()
    if index is None:
        index = home.add_child(instance=TrainingIndexPage(title="Training", slug="training"))
    existing = index.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    return index.add_child(instance=kind(title=title, slug=slug, price=Decimal(price)))


def session_for(
    partner, *, page=None, starts_at=None, capacity=10, joining_link="https://meet.example.org/abc", **kwargs
):
    from datetime import timedelta

    from django.utils import timezone

    from bookings.services import create_session

    page = page or training_page_for(partner)
    starts_at = starts_at or (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    return create_session(
        partner=partner, page=page, starts_at=starts_at, capacity=capacity, joining_link=joining_link, **kwargs
    )


def attendee(n=0, **overrides):
    from bookings.services import AttendeeDetails

    values = {
        "name": f"Attendee {n}",
        "email": f"attendee{n}@example.org",
        "organisation": f"Venue {n}",
        "venue_type": "cafe",
        "postcode": "RM10 8AB",
    }
    values.update(overrides)
    return AttendeeDetails(**values)


def editor_of(partner, **kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(partner.editors)
    return user


class ModuleFactory(factory.django.DjangoModelFactory):
    """A published training module; pass `shared=True` to offer it to other partners."""

    class Meta:
        model = "courses.Module"
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "What this module covers."
    duration_minutes = 15
    body = factory.LazyAttribute(lambda m: [("paragraph", f"<p>Body of {m.title}.</p>")])
    live = False

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.save_revision().publish()


# --- certificates ----------------------------------------------------------------------------


def safe_haven_course(partner):
    """The partner's Safe Haven CoursePage, with a /training/ page made first when missing."""
    from courses.models import TrainingIndexPage
    from demo.certificates import course_page_for

    home = partner.site.root_page
    if not TrainingIndexPage.objects.child_of(home).exists():
        home.add_child(instance=TrainingIndexPage(title="Training", slug="training"))
    return course_page_for(partner)


_completion_counter = iter(range(1, 10**9))


def certify(partner, *, organisation="Heathway Books", postcode="RM10 8RB", venue_type="shop", pledge=True,
            listed=True, holder_name="Asha Patel", holder_email="asha.patel@example.org", completion_key=None,
            hours=((0, 1, 2, 3, 4, 5, 6), "09:00", "17:00"), help_offered=("let_in", "safe_space"),
            latitude=None, longitude=None, area=None):  # fmt: skip
    """Issue a certificate through the service (no email) and give its venue hours, help and a place."""
    from certificates.models import OpeningHours, Venue, VenueHelp
    from certificates.services import issue_certificate
    from cms.content_version import content_changed

    certificate = issue_certificate(
        partner=partner,
        course_page=safe_haven_course(partner),
        holder_name=holder_name,
        holder_email=holder_email,
        organisation=organisation,
        postcode=postcode,
        venue_type=venue_type,
        completion_key=completion_key or f"test:{next(_completion_counter)}",
        agreed_to_pledge=pledge,
        agreed_to_be_listed=listed,
        notify=False,
    )
    venue = certificate.venue
    updates = {"area": area}
    if latitude is not None:
        updates.update(latitude=latitude, longitude=longitude)
    Venue.objects.filter(pk=venue.pk).update(**updates)
    if hours and not venue.opening_hours.exists():
        days, opens, closes = hours
        OpeningHours.objects.bulk_create(
            [OpeningHours(venue=venue, weekday=d, opens=opens, closes=closes) for d in days]
        )
    VenueHelp.objects.bulk_create([VenueHelp(venue=venue, code=c) for c in help_offered], ignore_conflicts=True)
    content_changed()  # the writes above send no save signal; a staff edit would move the version
    certificate.venue = Venue.objects.get(pk=venue.pk)
    return certificate


# --- attendance --------------------------------------------------------------------------------


def attended_session(partner, *, page=None, offset_minutes=0, **kwargs):
    """A session that started ten minutes ago (check-in and the register are open)."""
    from datetime import timedelta

    from django.utils import timezone

    starts_at = (timezone.now() - timedelta(minutes=10 - offset_minutes)).replace(microsecond=0)
    return session_for(partner, page=page, starts_at=starts_at, **kwargs)


def booking_on(session, n=0, **overrides):
    """A confirmed booking made the day before the session, through the booking service."""
    return booked_with_link(session, n, **overrides)[0]


def booked_with_link(session, n=0, **overrides):
    """(booking, manage token): the private link the confirmation email carries."""
    from datetime import timedelta

    from bookings.services import book_place

    result = book_place(session=session, attendee=attendee(n, **overrides), now=session.starts_at - timedelta(days=1))
    return result.booking, result.token


def add_knowledge_check(course, *, questions=5, pass_mark=80):
    """Give a course page a knowledge check: question n's right answer is option 1 of 2."""
    from courses.models import CoursePage, KnowledgeCheckQuestion

    course = CoursePage.objects.get(pk=course.pk)
    CoursePage.objects.filter(pk=course.pk).update(pass_mark=pass_mark)
    return [
        KnowledgeCheckQuestion.objects.create(
            page=course, sort_order=n, question=f"Question {n + 1}?", options="Right\nWrong", correct_option=1
        )
        for n in range(questions)
    ]
