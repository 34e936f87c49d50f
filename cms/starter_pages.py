"""Pages every partner's site starts with, written once here so `create_partner`, `seed_demo` and
`create_accessibility_statements` give each council the same words to edit.

They are ordinary `StandardPage`s: the council changes them in the Wagtail admin like any other page,
and nothing here overwrites a page that already exists.
"""

import datetime
from html import escape

ACCESSIBILITY_STATEMENT_SLUG = "accessibility-statement"
STAYING_SAFE_SLUG = "staying-safe-online"

EASS_URL = "https://www.equalityadvisoryservice.com/"
ECNI_URL = "https://www.equalityni.org/Home"
ABILITYNET_URL = "https://mcmw.abilitynet.org.uk/"
WCAG_URL = "https://www.w3.org/TR/WCAG22/"
RESPONSE_WORKING_DAYS = 10


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>'


def _list(items) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def accessibility_statement_fields(*, partner, prepared_on: datetime.date) -> dict:
    """Title, intro and body of a partner's accessibility statement, after GOV.UK's sample statement.

    Honest about what is known not to work (the PDFs, the map), names the standard (WCAG 2.2 AA),
    how to report a problem, how soon we answer, and where to go if the answer does not satisfy:
    the EHRC's Equality Advisory and Support Service, or the ECNI in Northern Ireland.
    """
    name = escape(partner.name)
    runner = name + (f" with {escape(partner.delivery_organisation)}" if partner.delivery_organisation else "")
    email = escape(partner.contact_email)
    mail = f'<a href="mailto:{email}">{email}</a>'
    host = escape(partner.site.hostname) if partner.site_id else ""
    prepared = f"{prepared_on.day} {prepared_on:%B %Y}"  # "6 December 2026", GOV.UK style
    days = RESPONSE_WORKING_DAYS
    return {
        "title": "Accessibility statement",
        "slug": ACCESSIBILITY_STATEMENT_SLUG,
        "intro": f"This accessibility statement applies to the {partner.name} Safe Havens website"
        + (f" at {partner.site.hostname}" if host else "")
        + ": finding a Safe Haven, booking the training, certificates and venue accounts.",
        "listing_summary": f"How accessible the {partner.name} Safe Havens website is, and how to report a problem.",
        "body": [
            (
                "paragraph",
                f"<p>This website is run by {runner}. We want as many people as possible to be able to use it. "
                "For example, that means you should be able to:</p>"
                + _list(
                    [
                        "change colours, contrast levels and fonts using browser or device settings",
                        "zoom in up to 400% without the text spilling off the screen",
                        "use the website on a phone as well as a computer",
                        "get around the website using just a keyboard",
                        "get around the website using speech recognition software",
                        "listen to the website using a screen reader (including recent versions of JAWS, "
                        "NVDA and VoiceOver)",
                    ]
                )
                + "<p>We have also made the text as simple as possible to understand.</p>"
                f"<p>{_link(ABILITYNET_URL, 'AbilityNet')} has advice on making your device easier to use "
                "if you have a disability.</p>",
            ),
            ("heading", "How accessible this website is"),
            (
                "paragraph",
                "<p>We know some parts of this website are not fully accessible:</p>"
                + _list(
                    [
                        "training certificates and window stickers are PDF documents, which may not work well "
                        "with screen readers; you can check any certificate on an ordinary web page at "
                        '<a href="/certificates/verify/">Check a Safe Haven certificate</a>',
                        "the map of Safe Havens needs a mouse, a finger or another pointer to explore; every "
                        'Safe Haven on the map is also in the list on the same page, at <a href="/safe-havens/">'
                        "Find a Safe Haven</a>, which works with a keyboard and a screen reader",
                        "videos in the training come from YouTube or Vimeo and their captions may not all be accurate",
                        "leaflets and other documents we upload may not all be accessible",
                    ]
                ),
            ),
            ("heading", "Feedback and contact information"),
            (
                "paragraph",
                "<p>If you need information on this website in a different format, like accessible PDF, "
                f"large print, easy read, audio recording or braille, email {mail}.</p>"
                f"<p>We will consider your request and get back to you within {days} working days.</p>",
            ),
            ("heading", "Reporting accessibility problems with this website"),
            (
                "paragraph",
                "<p>We are always looking to improve the accessibility of this website. If you find a problem "
                "that is not listed on this page, or think we are not meeting accessibility requirements, "
                f"email {mail}. Tell us the web address of the page and what went wrong.</p>"
                f"<p>We will reply within {days} working days.</p>",
            ),
            ("heading", "Enforcement procedure"),
            (
                "paragraph",
                "<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
                "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "
                "‘accessibility regulations’). If you are not happy with how we respond to your complaint, "
                f"contact the {_link(EASS_URL, 'Equality Advisory and Support Service (EASS)')}.</p>"
                "<p>If you are in Northern Ireland and are not happy with how we respond to your complaint, "
                f"you can contact the {_link(ECNI_URL, 'Equality Commission for Northern Ireland')}, who are "
                "responsible for enforcing the accessibility regulations in Northern Ireland.</p>",
            ),
            ("heading", "Technical information about this website’s accessibility"),
            (
                "paragraph",
                f"<p>{name} is committed to making its website accessible, in accordance with the Public "
                "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>"
                "<p>This website is partially compliant with the "
                f"{_link(WCAG_URL, 'Web Content Accessibility Guidelines version 2.2')} AA standard, because "
                "of the problems listed above.</p>",
            ),
            ("heading", "How we test this website"),
            (
                "paragraph",
                "<p>Every change to the website is checked before it goes live with automated accessibility "
                "tests (axe-core, against WCAG 2.2 A and AA) on phone and computer screen sizes, and by "
                "people using the website with a keyboard.</p>",
            ),
            ("heading", "Preparation of this accessibility statement"),
            (
                "paragraph",
                f"<p>This statement was prepared on {prepared}. We will review it at least once a year, and "
                "when we make a large change to the website.</p>",
            ),
        ],
    }


def staying_safe_online_fields() -> dict:
    """The page Exit this page's guidance links to: leaving quickly, specialist help, Silent Solution,
    and how to clear history in the common browsers (each vendor's own help page)."""
    browsers = [
        _link("https://support.google.com/chrome/answer/95589", "Google Chrome: delete your browsing data"),
        _link(
            "https://support.apple.com/en-gb/105082",
            "Safari on iPhone or iPad: clear the history and cookies",
        ),
        _link(
            "https://support.apple.com/en-gb/guide/safari/sfri35513/mac",
            "Safari on a Mac: clear your browsing history",
        ),
        _link(
            "https://support.mozilla.org/en-US/kb/delete-browsing-search-download-history-firefox",
            "Firefox: delete browsing, search and download history",
        ),
        _link(
            "https://support.microsoft.com/en-gb/microsoft-edge/view-and-delete-browser-history-in-microsoft-"
            "edge-00cf7943-a9e1-975a-a33d-ac10ce454ca4",
            "Microsoft Edge: view and delete browser history",
        ),
    ]
    return {
        "title": "Staying safe online",
        "slug": STAYING_SAFE_SLUG,
        "intro": "If someone might check what you look at online, these steps help keep your visit private.",
        "listing_summary": "Leaving this website quickly, covering your tracks and where to get specialist help.",
        "body": [
            (
                "paragraph",
                _list(
                    [
                        "Use the <strong>Exit this page</strong> button, or press Shift three times, to leave "
                        "this website at once. It opens another website, but it does not delete your "
                        "history.",
                        "Use a private or incognito browser window: it does not keep the pages you visit.",
                        "Clear your browsing history, or delete just the pages from this website.",
                        "If you are in danger now, call 999.",
                    ]
                ),
            ),
            ("heading", "If you call 999 and cannot speak"),
            (
                "paragraph",
                "<p>If you call 999 and it is not safe to talk, listen to the operator’s questions. Cough or tap "
                "the phone if you can.</p>"
                "<p>On a mobile, when a recorded message asks you to, press 55. This tells the police it is a "
                "real emergency and puts you through to them. It is called the Silent Solution. Pressing 55 "
                "does not tell the police where you are, so answer their questions by tapping if you can.</p>"
                "<p>On a landline, stay on the line: if the operator is worried, you will be put through to the "
                "police.</p>"
                "<p>"
                + _link(
                    "https://www.police.uk/pu/contact-us/what-and-how-to-report/what-report/",
                    "police.uk explains how to contact the police",
                )
                + ".</p>",
            ),
            ("heading", "Specialist help"),
            (
                "paragraph",
                "<p>The National Domestic Abuse Helpline, run by Refuge, is free and open 24 hours a day: call "
                '<a href="tel:08082000247">0808 2000 247</a>, or visit '
                + _link("https://www.nationaldahelpline.org.uk", "nationaldahelpline.org.uk")
                + " for a live chat and a web form. Its website has its own quick exit button.</p>",
            ),
            ("heading", "Clearing your browsing history"),
            (
                "paragraph",
                "<p>Clearing all your history can itself be noticed. You may prefer to delete only the pages "
                "from this website. Each browser explains how:</p>"
                + _list(browsers)
                + "<p>Do this in each browser you used, on each phone, tablet or computer.</p>",
            ),
        ],
    }
