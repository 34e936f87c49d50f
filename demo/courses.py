"""Demo training: shared modules, both partners' workshop pages, networking events. Idempotent.

Called by `manage.py seed_demo` after cms has made the partners. The bookings seed may already
have made a bare course page with the slug `safe-haven-training`; this fills it in.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from cms.models import Partner
from courses.models import (
    CourseModule,
    CoursePage,
    KnowledgeCheckQuestion,
    Module,
    NetworkingEventPage,
    TrainingIndexPage,
)
from courses.services import grant_module_permissions

from .content import BARKING_MODULES, KNOWLEDGE_CHECK, SIGNPOSTING_DIRECTORY_BLOCK, TOGETHER_AS_ALLIES_MODULE

COURSE_SLUG = "safe-haven-training"
COURSE_TITLE = "Safe Haven training (90 minutes)"
LONDON = ZoneInfo("Europe/London")
# Tunbridge Wells reuses Barking and Dagenham's modules, except the London transport one.
TW_REUSED = [m["title"] for m in BARKING_MODULES if m["title"] != "Directions and transport information"]


def seed(*, stdout):
    partners = {p.name: p for p in Partner.objects.select_related("site__root_page")}
    for partner in partners.values():
        grant_module_permissions(partner=partner)
        _training_index(partner)
    barking = partners.get("Barking and Dagenham")
    tunbridge_wells = partners.get("Tunbridge Wells")
    if barking:
        modules = [_module(barking, content, shared=True) for content in BARKING_MODULES]
        _with_support_directory(modules)
        _course(
            barking,
            modules,
            overview="<p>A free 90-minute online workshop for anyone working in a venue that wants to become a "
            "Safe Haven in Barking and Dagenham. Delivered by Studio 3 Arts for the council.</p>",
        )
        _networking_events(barking, _barking_events())
    if tunbridge_wells:
        _networking_events(tunbridge_wells, _tunbridge_wells_events())
    if barking and tunbridge_wells:
        by_title = {m.title: m for m in Module.objects.filter(partner=barking, title__in=TW_REUSED)}
        own = _module(tunbridge_wells, TOGETHER_AS_ALLIES_MODULE, shared=False)
        modules = [by_title[title] for title in TW_REUSED[:4]] + [own] + [by_title[t] for t in TW_REUSED[4:]]
        _course(
            tunbridge_wells,
            modules,
            overview="<p>A free 90-minute online workshop for venues joining the Tunbridge Wells Safe Haven "
            "scheme, run by #TogetherAsAllies with Kent Police.</p>",
        )


def _training_index(partner):
    home = partner.site.root_page
    training = TrainingIndexPage.objects.child_of(home).first()
    if training is None:
        training = home.add_child(
            instance=TrainingIndexPage(
                title="Training",
                slug="training",
                show_in_menus=True,
                intro="Free 90-minute online workshops for venue staff, and networking events for Safe Havens.",
            )
        )
    return training


def _module(partner, content, *, shared):
    module = Module.objects.filter(partner=partner, title=content["title"]).first()
    if module:
        return module
    module = Module.objects.create(
        partner=partner,
        title=content["title"],
        summary=content["summary"],
        learning_outcomes=content["learning_outcomes"],
        duration_minutes=content["duration_minutes"],
        body=content["body"],
        shared=shared,
        live=False,
    )
    module.save_revision().publish()
    return module


def _with_support_directory(modules):
    """A demo from before the support directory: its signposting module gets the directory block in
    place of the list of national numbers it used to spell out (now in each partner's directory)."""
    for module in modules:
        if module.title != "Signposting to specialist support":
            continue
        if any(block.block_type == "support_directory" for block in module.body):
            continue
        body = [(block.block_type, block.value) for block in module.body]
        numbers = [i for i, (kind, value) in enumerate(body) if kind == "paragraph" and "116 123" in str(value)]
        national = numbers[0] if numbers else None
        if national is None:
            body.append(SIGNPOSTING_DIRECTORY_BLOCK)
        else:
            body[national] = SIGNPOSTING_DIRECTORY_BLOCK
        module.body = body
        module.save_revision().publish()


def _course(partner, modules, *, overview):
    training = _training_index(partner)
    course = CoursePage.objects.child_of(training).filter(slug=COURSE_SLUG).first()
    if course is None:
        course = CoursePage(title=COURSE_TITLE, slug=COURSE_SLUG)
        training.add_child(instance=course)
    defaults = {
        "title": COURSE_TITLE,
        "overview": overview,
        "audience": "Staff and volunteers at shops, cafés, pubs, libraries, schools, community centres and faith "
        "spaces.",
        "learning_outcomes": "<ul><li>recognise when someone needs help</li><li>let them in and keep them safe</li>"
        "<li>call the right help</li><li>point them to specialist support</li></ul>",
        "listing_summary": "Free 90-minute online workshop for venue staff.",
    }
    # Fill in what is missing (a bare page from the bookings seed), never overwrite an editor's words.
    changed = not course.live or course.title != COURSE_TITLE
    course.title = COURSE_TITLE
    for field, value in defaults.items():
        if not getattr(course, field):
            setattr(course, field, value)
            changed = True
    if not course.course_modules.exists():
        course.course_modules = [CourseModule(module=module, sort_order=i) for i, module in enumerate(modules)]
        course.duration_minutes = sum(module.duration_minutes for module in modules)
        changed = True
    if not course.knowledge_check_questions.exists():
        course.knowledge_check_questions = [
            KnowledgeCheckQuestion(
                sort_order=i,
                question=q["question"],
                options="\n".join(q["options"]),
                correct_option=q["correct_option"],
            )
            for i, q in enumerate(KNOWLEDGE_CHECK)
        ]
        changed = True
    if changed:
        course.show_in_menus = True
        course.save_revision().publish()
    return course


def _next(month: int) -> int:
    """The year of the next coming `month` (this year's if it is still ahead)."""
    today = timezone.localdate()
    return today.year if today.month < month else today.year + 1


def _barking_events():
    may_year, june_year = _next(5), _next(6)
    return [
        {
            "slug": "networking-may",
            "title": f"Safe Haven networking evening, May {may_year}",
            "starts_at": datetime.datetime(may_year, 5, 13, 18, 0, tzinfo=LONDON),
            "location": "Barking Learning Centre, 2 Town Square, Barking IG11 7NB",
            "description": "<p>Meet other Safe Havens in the borough, share what has worked, and hear from the "
            "community safety team. Drinks and snacks provided.</p>",
        },
        {
            "slug": "networking-june",
            "title": f"Safe Haven online catch-up, June {june_year}",
            "starts_at": datetime.datetime(june_year, 6, 17, 10, 0, tzinfo=LONDON),
            "location": "",
            "description": "<p>An online hour for Safe Havens to talk through situations they have met, with "
            "the scheme team and specialist services.</p>",
        },
    ]


def _tunbridge_wells_events():
    may_year = _next(5)
    return [
        {
            "slug": "networking-may",
            "title": f"Tunbridge Wells Safe Haven networking morning, May {may_year}",
            "starts_at": datetime.datetime(may_year, 5, 20, 9, 30, tzinfo=LONDON),
            "location": "The Amelia Scott, Mount Pleasant Road, Royal Tunbridge Wells TN1 1JN",
            "description": "<p>Meet the other Safe Havens in the town, #TogetherAsAllies and Kent Police, and "
            "share what has helped. Coffee provided.</p>",
        }
    ]


def _networking_events(partner, events):
    training = _training_index(partner)
    for event in events:
        if NetworkingEventPage.objects.child_of(training).filter(slug=event["slug"]).exists():
            continue
        page = training.add_child(
            instance=NetworkingEventPage(
                **event, duration_minutes=90 if event["location"] else 60, capacity=30, show_in_menus=False
            )
        )
        page.save_revision().publish()
