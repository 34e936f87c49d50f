"""Demo Safe Havens for both partners, certified through the real service. Idempotent.

Benchmark venues (`--venues N`) are bench/volume.py's.
"""

import datetime

from django.utils import timezone

from certificates.models import Certificate, OpeningHours, Venue, VenueHelp
from certificates.services import issue_certificate, record_sticker_pack_sent, refresh_accreditation, suspend_venue
from cms.models import Area, Partner
from courses.models import CoursePage, TrainingIndexPage

COURSE_SLUG = "safe-haven-training"
COURSE_TITLE = "Safe Haven training (90 minutes)"

WEEKDAYS = (0, 1, 2, 3, 4)
MON_SAT = (0, 1, 2, 3, 4, 5)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
CORE_HELP = ["let_in", "safe_space", "call_help", "directions"]

# (name, type, address, postcode, area, lat, lng, hours [(days, opens, closes)], extra help, state)
BARKING_VENUES = [
    ("Barking Learning Centre", "library", "2 Town Square, Barking", "IG11 7NB", "Barking Town Centre",
     51.53885, 0.08075, [(WEEKDAYS, "09:00", "20:00"), ((5,), "09:00", "17:00")],
     ["phone_charging", "accessible_toilet", "step_free"], "accredited"),
    ("Ripple Road Café", "cafe", "14 Ripple Road, Barking", "IG11 7PB", "Barking Town Centre",
     51.53720, 0.08230, [(MON_SAT, "07:30", "16:00")], ["phone_charging"], "accredited"),
    ("East Street Pharmacy", "shop", "35 East Street, Barking", "IG11 8EJ", "Barking Town Centre",
     51.53955, 0.07905, [(MON_SAT, "08:30", "18:30"), ((6,), "10:00", "16:00")], ["step_free"], "accredited"),
    ("The Barking Dog", "pub", "61 Station Parade, Barking", "IG11 8TU", "Barking Town Centre",
     51.53970, 0.08120, [((0, 1, 2, 3), "11:00", "23:00"), ((4, 5), "11:00", "01:00"), ((6,), "12:00", "22:30")],
     ["call_taxi", "phone_charging"], "accredited"),
    ("Heathway Community Centre", "community_centre", "240 Heathway, Dagenham", "RM10 8QS", "Dagenham Heathway",
     51.54105, 0.14750, [(WEEKDAYS, "09:00", "21:00"), ((5,), "10:00", "16:00")],
     ["accessible_toilet", "step_free", "phone_charging"], "accredited"),
    ("Heathway Books", "shop", "300 Heathway, Dagenham", "RM10 8RB", "Dagenham Heathway",
     51.54190, 0.14680, [(MON_SAT, "09:30", "17:30")], [], "accredited"),
    ("Barking Park Café", "cafe", "Barking Park, Longbridge Road, Barking", "IG11 8TA", "Parks",
     51.54520, 0.08800, [(EVERY_DAY, "08:00", "17:00")], ["accessible_toilet", "step_free"], "accredited"),
    ("Parsloes Park Pavilion", "community_centre", "Parsloes Avenue, Dagenham", "RM9 5QT", "Parks",
     51.55300, 0.12300, [((5, 6), "09:00", "18:00"), (WEEKDAYS, "15:00", "20:00")], ["accessible_toilet"],
     "accredited"),
    ("Valence House Museum", "library", "Becontree Avenue, Dagenham", "RM8 3HT", "Parks",
     51.56000, 0.13100, [((1, 2, 3, 4, 5), "10:00", "16:00")], ["accessible_toilet", "step_free"], "accredited"),
    ("Station Parade Newsagent", "shop", "8 Station Parade, Barking", "IG11 8ED", "Barking Town Centre",
     51.53930, 0.08150, [(EVERY_DAY, "06:00", "21:00")], [], "lapsed"),
    ("Heathway Grill", "restaurant", "212 Heathway, Dagenham", "RM10 8QP", "Dagenham Heathway",
     51.54060, 0.14790, [(EVERY_DAY, "12:00", "23:00")], [], "suspended"),
]  # fmt: skip

TUNBRIDGE_WELLS_VENUES = [
    ("The Amelia Scott", "library", "Mount Pleasant Road, Royal Tunbridge Wells", "TN1 1JN",
     "Tunbridge Wells Town Centre", 51.13350, 0.26345, [(MON_SAT, "09:30", "17:00")],
     ["accessible_toilet", "step_free", "phone_charging"], "accredited"),
    ("Pantiles Coffee House", "cafe", "22 The Pantiles, Royal Tunbridge Wells", "TN2 5TN",
     "Tunbridge Wells Town Centre", 51.12705, 0.25980, [(EVERY_DAY, "08:00", "17:30")], ["call_taxi"], "accredited"),
    ("Calverley Road Stationers", "shop", "41 Calverley Road, Royal Tunbridge Wells", "TN1 2TE",
     "Tunbridge Wells Town Centre", 51.13480, 0.26520, [(MON_SAT, "09:00", "17:30")], [], "accredited"),
    ("Mount Pleasant Church", "faith_space", "Mount Pleasant Road, Royal Tunbridge Wells", "TN1 1QX",
     "Tunbridge Wells Town Centre", 51.13220, 0.26290, [((6,), "09:30", "13:00"), ((2,), "10:00", "14:00")],
     ["safe_space"], "accredited"),
]  # fmt: skip

HOLDERS = [
    "Amara Okafor", "Tomasz Nowak", "Priya Shah", "Daniel Murphy", "Fatima Begum", "Grace Adeyemi",
    "Liam O'Connor", "Zoë Clarke", "Samuel Mensah", "Hannah Price", "Yusuf Ali", "Ellie Turner",
    "Olu Bakare", "Megan Hughes", "Ravi Patel",
]  # fmt: skip


# Who signs each partner's certificates (invented people; staff change them in Scheme settings).
SIGNATORIES = {
    "Barking and Dagenham": ("Adaeze Okonkwo", "Community Safety Partnership Manager"),
    "Tunbridge Wells": ("Robert Fairweather", "Head of Community Safety"),
}


def course_page_for(partner: Partner) -> CoursePage | None:
    """The partner's Safe Haven course page; other apps' seeds share this slug and create it the same way."""
    training = TrainingIndexPage.objects.descendant_of(partner.site.root_page).first()
    if training is None:
        return None
    existing = CoursePage.objects.child_of(training).filter(slug=COURSE_SLUG).first()
    if existing:
        return existing
    return training.add_child(
        instance=CoursePage(
            title=COURSE_TITLE,
            slug=COURSE_SLUG,
            overview="<p>A free 90-minute online workshop for staff at venues that want to become Safe Havens.</p>",
            audience="Anyone who works or volunteers at a shop, café, pub, library, school or community space.",
        )
    )


def seed(*, stdout):
    today = timezone.localdate()
    for partner_name, venues in (("Barking and Dagenham", BARKING_VENUES), ("Tunbridge Wells", TUNBRIDGE_WELLS_VENUES)):
        partner = Partner.objects.filter(name=partner_name).select_related("site").first()
        course = partner and course_page_for(partner)
        if course is None:
            continue
        name, role = SIGNATORIES[partner_name]
        # Only where none is set, so a signatory staff chose survives a second seed_demo.
        Partner.objects.filter(pk=partner.pk, certificate_signatory_name="").update(
            certificate_signatory_name=name, certificate_signatory_role=role
        )
        areas = {area.name: area for area in Area.objects.filter(partner=partner)}
        for index, row in enumerate(venues):
            _seed_venue(partner, course, areas, index, row, today)
        stdout.write(f"{partner.name}: {Venue.objects.listed(today=today).filter(partner=partner).count()} Safe Havens")


def _seed_venue(partner, course, areas, index, row, today):
    name, venue_type, address, postcode, area, lat, lng, hours, extra_help, state = row
    holder = HOLDERS[index % len(HOLDERS)]
    key = f"demo:{partner.slug}:{index}"
    is_new = not Certificate.objects.filter(completion_key=key).exists()
    certificate = issue_certificate(
        partner=partner,
        course_page=course,
        holder_name=holder,
        holder_email=f"{holder.split()[0].lower()}.{index}@example.org",
        organisation=name,
        postcode=postcode,
        venue_type=venue_type,
        completion_key=key,
        agreed_to_pledge=True,
        agreed_to_be_listed=True,
        notify=False,
    )
    if not is_new:
        return
    venue = certificate.venue
    Venue.objects.filter(pk=venue.pk).update(
        address=address, area=areas.get(area), latitude=lat, longitude=lng, phone=f"020 8{index:03d} 4{index:03d}"
    )
    for days, opens, closes in hours:
        OpeningHours.objects.bulk_create(
            [OpeningHours(venue=venue, weekday=day, opens=opens, closes=closes) for day in days]
        )
    VenueHelp.objects.bulk_create([VenueHelp(venue=venue, code=code) for code in dict.fromkeys(CORE_HELP + extra_help)])
    if state == "lapsed":
        Certificate.objects.filter(pk=certificate.pk).update(
            issued_on=today - datetime.timedelta(days=400),
            expires_on=today - datetime.timedelta(days=35),
            status=Certificate.Status.EXPIRED,
        )
        refresh_accreditation(venue=venue)
    elif state == "suspended":
        suspend_venue(venue=venue, reason="Staff have changed: waiting for someone to attend the training.", actor=None)
    if index % 2 == 0 and state == "accredited":
        record_sticker_pack_sent(venue=venue, sent_on=today - datetime.timedelta(days=7), actor=None)
