"""The partner's support directory: each site shows its own council's list (a shared module too),
coordinators keep it in the admin for their own council only, and the certificate email carries it
as a PDF."""

import datetime
import html
import io
import re

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from certificates.directory_pdf import render_directory_pdf
from certificates.services import issue_certificate
from cms.directory import tel_href
from cms.models import SupportService
from courses.models import CourseModule, CoursePage, TrainingIndexPage
from tests.factories import (
    ModuleFactory,
    PartnerFactory,
    coordinator_of,
    editor_of,
    safe_haven_course,
)

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2027, 5, 11, 15, 0, tzinfo=datetime.UTC)
DIRECTORY_BLOCK = ("support_directory", {"intro": "Services you can tell people about."})


def service(partner, name, **fields):
    defaults = {"helps_with": f"What {name} helps with.", "phone": "0800 123 456", "hours": "24 hours, every day."}
    return SupportService.objects.create(partner=partner, name=name, **{**defaults, **fields})


@pytest.fixture
def alpha():
    return PartnerFactory(name="Alphaborough", host="alpha.localhost", contact_email="team@alpha.example")


@pytest.fixture
def beta():
    return PartnerFactory(name="Betaford", host="beta.localhost", contact_email="team@beta.example")


def course_with(partner, modules, slug="signposting-course"):
    training = TrainingIndexPage.objects.child_of(partner.site.root_page).first()
    if training is None:
        training = partner.site.root_page.add_child(instance=TrainingIndexPage(title="Training", slug="training"))
    course = CoursePage(
        title=f"{partner.name} workshop",
        slug=slug,
        duration_minutes=sum(m.duration_minutes for m in modules),
        course_modules=[CourseModule(module=m, sort_order=i) for i, m in enumerate(modules)],
    )
    training.add_child(instance=course)
    course.save_revision().publish()
    return course


@pytest.fixture
def shared_signposting(alpha, beta):
    """Alpha's shared signposting module carrying the directory block, in both partners' courses."""
    module = ModuleFactory(
        partner=alpha, title="Signposting to specialist support", shared=True,
        body=[("paragraph", "<p>Tell people about services that can help.</p>"), DIRECTORY_BLOCK],
    )  # fmt: skip
    course_with(alpha, [module])
    course_with(beta, [module])
    return module


def text(response) -> str:
    """What a person reads: tags out, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))).strip()


# --- the block on each site ---------------------------------------------------------------------


def test_a_shared_module_shows_each_site_its_own_councils_directory(client, alpha, beta, shared_signposting):
    service(alpha, "Alphaborough Women's Aid", phone="0800 111 222")
    service(beta, "Betaford Listening Line", phone="0800 333 444")

    alpha_page = client.get("/training/signposting-course/", HTTP_HOST="alpha.localhost")
    beta_page = client.get("/training/signposting-course/", HTTP_HOST="beta.localhost")

    assert alpha_page.status_code == beta_page.status_code == 200
    assert "Alphaborough Women's Aid" in text(alpha_page) and "Betaford Listening Line" not in text(alpha_page)
    assert "Betaford Listening Line" in text(beta_page) and "Alphaborough Women's Aid" not in text(beta_page)
    assert "Services you can tell people about." in text(beta_page)
    assert 'href="tel:0800333444"' in beta_page.text


def test_the_list_is_in_the_councils_order_with_what_each_service_helps_with(client, alpha, shared_signposting):
    service(alpha, "Zeta Helpline", sort_order=1, hours="Monday to Friday, 9am to 5pm.",
            website="https://www.zeta.example/help/")  # fmt: skip
    service(alpha, "Able Advice", sort_order=2, phone="")
    service(alpha, "Samaritans", sort_order=0, phone="116 123", helps_with="Anyone who needs someone to listen.")

    response = client.get("/training/signposting-course/", HTTP_HOST="alpha.localhost")
    page = text(response)

    assert page.index("Samaritans") < page.index("Zeta Helpline") < page.index("Able Advice")
    assert "Anyone who needs someone to listen." in page
    assert "Phone: 116 123" in page and "Monday to Friday, 9am to 5pm." in page
    assert '<a class="govuk-link" href="https://www.zeta.example/help/">www.zeta.example/help</a>' in response.text
    # A service without a phone number gets no empty call link.
    able = response.text[response.text.index("Able Advice") :]
    assert "Phone:" not in able[: able.index("</dd>")]


def test_an_empty_directory_says_so_and_the_page_still_works(client, alpha, beta, shared_signposting):
    service(alpha, "Alphaborough Women's Aid")

    response = client.get("/training/signposting-course/", HTTP_HOST="beta.localhost")

    assert response.status_code == 200
    assert "Your council has not listed local services yet." in text(response)
    assert "Alphaborough Women's Aid" not in text(response)
    assert "Tell people about services that can help." in text(response)


@pytest.mark.parametrize(
    "phone,href",
    [("0808 2000 247", "tel:08082000247"), ("116 123", "tel:116123"), ("+44 20 8215 3000", "tel:+442082153000")],
)
def test_phone_links_dial_the_number_without_spaces(phone, href):
    assert tel_href(phone) == href


def test_a_standard_page_can_carry_the_directory_too(client, alpha):
    from cms.models import StandardPage

    service(alpha, "Alphaborough Women's Aid")
    page = StandardPage(title="Where to get help", slug="where-to-get-help", body=[DIRECTORY_BLOCK])
    alpha.site.root_page.add_child(instance=page)
    page.save_revision().publish()

    assert "Alphaborough Women's Aid" in text(client.get("/where-to-get-help/", HTTP_HOST="alpha.localhost"))


def test_a_cached_page_is_per_site_and_retired_when_the_directory_changes(
    client, settings, alpha, beta, shared_signposting
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    service(alpha, "Alphaborough Women's Aid")
    url = "/training/signposting-course/"
    client.get(url, HTTP_HOST="alpha.localhost")
    assert client.get(url, HTTP_HOST="alpha.localhost")["X-Page-Cache"] == "hit"

    # The other site's copy of the same module is its own page: never Alpha's stored one.
    beta_page = client.get(url, HTTP_HOST="beta.localhost")
    assert beta_page["X-Page-Cache"] == "miss"
    assert "Alphaborough Women's Aid" not in text(beta_page)

    service(alpha, "Alphaborough Night Bus")
    fresh = client.get(url, HTTP_HOST="alpha.localhost")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Alphaborough Night Bus" in text(fresh)


def test_a_preview_shows_the_previewers_own_councils_list(rf, alpha, beta):
    """A module preview is drawn on a stand-in host: an editor of one council sees their own list."""
    from cms.directory import directory_partner, entries_for_request

    service(beta, "Betaford Listening Line")
    request = rf.get("/", HTTP_HOST="alpha.localhost")
    request.user = editor_of(beta)
    assert directory_partner(request) == alpha  # a public page: the site's council, whoever looks

    request.is_preview = True
    assert directory_partner(request) == beta
    assert [entry["name"] for entry in entries_for_request(request)] == ["Betaford Listening Line"]


def test_the_block_picker_preview_shows_an_example_list(client, alpha):
    from courses.models import Module

    client.force_login(editor_of(alpha))
    block = Module._meta.get_field("body").stream_block.child_blocks["support_directory"]
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})

    assert response.status_code == 200
    assert "Example: your council's own list appears here." in text(response)
    assert "Samaritans" in text(response) and 'href="tel:116123"' in response.text


def test_the_block_has_a_description_and_a_preview_value_it_accepts():
    from cms.directory import SupportDirectoryBlock

    block = SupportDirectoryBlock()
    assert block.get_description().endswith(".")
    value = block.get_preview_value()
    assert block.get_prep_value(block.clean(value)) == {"intro": value["intro"]}


# --- the admin ------------------------------------------------------------------------------------


def test_a_coordinator_lists_and_adds_their_own_councils_services_only(client, alpha, beta):
    service(alpha, "Alphaborough Women's Aid")
    service(beta, "Betaford Listening Line")
    coordinator = coordinator_of(alpha)
    client.force_login(coordinator)

    listing = client.get(reverse("support_directory:index"))
    assert listing.status_code == 200
    assert "Alphaborough Women's Aid" in text(listing) and "Betaford Listening Line" not in text(listing)
    assert "Betaford" not in text(listing)

    form = client.get(reverse("support_directory:add"))
    # One council: the partner is not asked, and no other council is offered.
    assert 'name="partner"' not in form.content.decode() and "Council" not in text(form)
    assert "Betaford" not in text(form)
    assert "Listed now, by order number: 0: Alphaborough Women's Aid" in text(form)

    response = client.post(reverse("support_directory:add"), {
        "partner": beta.pk, "name": "Sneaky Line", "helps_with": "Nothing.", "phone": "0800 100", "sort_order": 3,
    })  # fmt: skip
    assert response.status_code == 302  # the partner posted is ignored: the entry is Alpha's own
    assert SupportService.objects.get(name="Sneaky Line").partner == alpha

    response = client.post(reverse("support_directory:add"), {
        "name": "alphaborough women's aid", "helps_with": "Again.", "sort_order": 4,
    })  # fmt: skip
    assert response.status_code == 200
    assert "Alphaborough already lists a service called alphaborough women's aid." in text(response)

    response = client.post(reverse("support_directory:add"), {
        "partner": alpha.pk, "name": "Alphaborough Night Bus", "helps_with": "Getting home late.",
        "phone": "+44  20 7946 0000", "hours": "Friday and Saturday nights.", "website": "https://bus.example",
        "sort_order": 3,
    })  # fmt: skip
    assert response.status_code == 302
    added = SupportService.objects.get(name="Alphaborough Night Bus")
    assert (added.partner, added.phone) == (alpha, "+44 20 7946 0000")
    entry = ModelLogEntry.objects.get(object_id=str(added.pk), action="wagtail.create")
    assert entry.user == coordinator


def test_another_councils_entry_is_not_found(client, alpha, beta):
    theirs = service(beta, "Betaford Listening Line")
    client.force_login(coordinator_of(alpha))

    for name in ("edit", "delete", "history"):
        response = client.get(reverse(f"support_directory:{name}", args=[theirs.pk]))
        assert response.status_code == 404, name
        assert "Betaford Listening Line" not in text(response)
    assert client.post(reverse("support_directory:delete", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("support_directory:edit", args=[theirs.pk]), {
        "partner": beta.pk, "name": "Renamed", "helps_with": "x", "sort_order": 0,
    }).status_code == 404  # fmt: skip
    assert SupportService.objects.get(pk=theirs.pk).name == "Betaford Listening Line"


def test_edit_and_delete_are_logged(client, alpha):
    own = service(alpha, "Alphaborough Women's Aid")
    coordinator = coordinator_of(alpha)
    client.force_login(coordinator)

    response = client.post(reverse("support_directory:edit", args=[own.pk]), {
        "partner": alpha.pk, "name": "Alphaborough Women's Aid", "helps_with": "Women and girls.",
        "phone": "0800 999 000", "hours": "", "website": "", "sort_order": 0,
    })  # fmt: skip
    assert response.status_code == 302
    assert SupportService.objects.get(pk=own.pk).helps_with == "Women and girls."
    assert client.post(reverse("support_directory:delete", args=[own.pk])).status_code == 302
    assert not SupportService.objects.filter(pk=own.pk).exists()
    actions = set(ModelLogEntry.objects.filter(object_id=str(own.pk)).values_list("action", flat=True))
    assert {"wagtail.edit", "wagtail.delete"} <= actions


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("phone", "call 0800 123", "Enter a phone number using digits and spaces only"),
        ("phone", "0800-123-456", "Enter a phone number using digits and spaces only"),
        ("phone", "+ 1", "Enter a phone number with at least 3 digits"),
        ("website", "javascript:alert(1)", "Enter a"),
        ("website", "ftp://files.example.org", "Enter a website address starting with https://"),
    ],
)
def test_the_form_refuses_a_phone_or_website_people_could_not_use(client, alpha, field, value, message):
    client.force_login(coordinator_of(alpha))
    data = {"partner": alpha.pk, "name": "A service", "helps_with": "Help.", "sort_order": 0, field: value}

    response = client.post(reverse("support_directory:add"), data)

    assert response.status_code == 200
    assert message in text(response)
    assert not SupportService.objects.exists()


def test_editors_and_people_without_a_council_cannot_open_the_directory(client, alpha):
    service(alpha, "Alphaborough Women's Aid")
    for user in (editor_of(alpha), coordinator_of(PartnerFactory(name="Gammaton"))):
        client.force_login(user)
        response = client.get(reverse("support_directory:index"))
        assert "Alphaborough Women's Aid" not in text(response)
    client.force_login(editor_of(alpha))
    assert client.get(reverse("support_directory:index")).status_code == 302


def test_a_coordinator_of_two_councils_chooses_which_one(client, alpha, beta):
    PartnerFactory(name="Gammaton")
    coordinator = coordinator_of(alpha)
    coordinator.groups.add(beta.coordinators)
    client.force_login(coordinator)

    page = client.get(reverse("support_directory:add")).content.decode()

    assert re.search(r'<select name="partner"', page)
    assert "Alphaborough" in page and "Betaford" in page
    assert "Gammaton" not in page

    response = client.post(reverse("support_directory:add"), {
        "partner": beta.pk, "name": "Betaford Listening Line", "helps_with": "Listening.", "sort_order": 0,
    })  # fmt: skip
    assert response.status_code == 302
    assert SupportService.objects.get(name="Betaford Listening Line").partner == beta


# --- the certificate email ------------------------------------------------------------------------


def certify_by_email(partner, mailoutbox, callbacks):
    with callbacks(execute=True):
        issue_certificate(
            partner=partner, course_page=safe_haven_course(partner), holder_name="Asha Patel",
            holder_email="asha.patel@example.org", organisation="Parsloes Park Café", postcode="RM10 8RB",
            venue_type="shop", completion_key="booking:1",
        )  # fmt: skip
    [email] = [m for m in mailoutbox if m.subject.startswith("Your Safe Haven certificate")]
    return email


def pdf_text(content: bytes) -> str:
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


@time_machine.travel(DAY, tick=False)
def test_the_certificate_email_attaches_the_councils_directory(
    alpha, beta, mailoutbox, django_capture_on_commit_callbacks
):
    service(alpha, "Samaritans", phone="116 123", hours="24 hours, every day.", website="https://www.samaritans.org",
            helps_with="Anyone who needs someone to listen.", sort_order=0)  # fmt: skip
    service(alpha, "Alphaborough Women's Aid", phone="0800 111 222", sort_order=1)
    service(beta, "Betaford Listening Line")

    email = certify_by_email(alpha, mailoutbox, django_capture_on_commit_callbacks)

    names = [filename for filename, _content, _type in email.attachments]
    assert names[1:] == ["support-directory.pdf"] and names[0].startswith("safe-haven-certificate-")
    _, content, mimetype = email.attachments[1]
    assert mimetype == "application/pdf"
    words = pdf_text(content)
    assert "Where to signpost people: Alphaborough Safe Haven support directory" in words
    assert "Samaritans" in words and "Anyone who needs someone to listen." in words
    assert "116 123" in words and "24 hours, every day." in words and "www.samaritans.org" in words
    assert words.index("Samaritans") < words.index("Alphaborough Women's Aid")
    assert "0800 111 222" in words
    assert "Betaford" not in words
    assert "our support directory is attached too (support-directory.pdf)" in email.body


@time_machine.travel(DAY, tick=False)
def test_no_directory_attachment_when_the_council_has_listed_nothing(
    alpha, beta, mailoutbox, django_capture_on_commit_callbacks
):
    service(beta, "Betaford Listening Line")

    email = certify_by_email(alpha, mailoutbox, django_capture_on_commit_callbacks)

    assert len(email.attachments) == 1 and email.attachments[0][0].startswith("safe-haven-certificate-")
    assert "support directory" not in email.body


def test_the_pdf_runs_to_more_pages_for_a_long_directory(alpha):
    for n in range(30):
        service(alpha, f"Service number {n:02}", sort_order=n)

    content = render_directory_pdf(alpha, today=datetime.date(2027, 5, 11))

    reader, words = PdfReader(io.BytesIO(content)), pdf_text(content)
    assert len(reader.pages) > 1
    assert all(f"Service number {n:02}" in words for n in range(30))
    assert "11 May 2027" in words


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_signposting_module_shows_each_partners_own_directory(client, demo):
    barking = text(client.get("/training/safe-haven-training/", HTTP_HOST="localhost"))
    tw = text(client.get("/training/safe-haven-training/", HTTP_HOST="tunbridgewells.localhost"))

    assert "Barking and Dagenham Council" in barking and "Tunbridge Wells Borough Council" not in barking
    assert "Tunbridge Wells Borough Council" in tw and "Barking and Dagenham Council" not in tw
    assert "Release the Pressure" in tw and "Metropolitan Police" in barking
    for page in (barking, tw):
        assert "0808 2000 247" in page and "116 123" in page
    assert 'href="tel:08082000247"' in client.get("/training/safe-haven-training/", HTTP_HOST="localhost").text
