"""The venue's window sticker as a PDF (A5 or A6, portrait): the scheme's name, what it means, the
venue, and a QR code to the venue's live status page, so a sticker left in a window after the venue
stops being a Safe Haven says so when scanned.

Drawn for a black-and-white office printer as much as a colour one: black words on white, the
partner's colour only behind white text (which BrandingSettings already requires to have 4.5:1
contrast), and a QR code drawn as vector squares, so it prints sharp at any size.
"""

import logging

from django.urls import reverse

from cms.models import BrandingSettings
from cms.tenancy import site_root_url

from .models import Venue
from .pdf import UnicodePDF, _hex_to_rgb, draw_qr, fit_font, logo_png

logger = logging.getLogger(__name__)

# Portrait page sizes in mm; everything is drawn for A5 and scaled to the page width.
SIZES = {"a5": (148.0, 210.0), "a6": (105.0, 148.0)}
DEFAULT_SIZE = "a5"
SCHEME_NAME = "Safe Haven"
HEADLINE = "Come in if you feel unsafe, lost or unwell"
BLACK = (11, 12, 12)


def check_url(venue: Venue) -> str:
    """Absolute address of the venue's live status page on its partner's own site."""
    path = reverse("certificates:check", kwargs={"code": venue.sticker_code})
    return site_root_url(venue.partner.site) + path


def short_check_url(venue: Venue) -> str:
    """The status page's address as printed under the QR code: no scheme, no trailing slash."""
    return check_url(venue).split("://", 1)[1].rstrip("/")


def render_sticker_pdf(venue: Venue, *, size: str = DEFAULT_SIZE) -> bytes:
    partner = venue.partner
    branding = BrandingSettings.for_site(partner.site)
    brand = _hex_to_rgb(branding.brand_colour or "#1d70b8")
    url = check_url(venue)
    short_url = short_check_url(venue)
    width, height = SIZES.get(size, SIZES[DEFAULT_SIZE])
    s = width / SIZES["a5"][0]  # drawing scale: 1 on A5
    margin = 10 * s
    inner = width - 2 * margin

    pdf = UnicodePDF()
    pdf.set_title(f"{SCHEME_NAME} window sticker: {venue.name}")
    pdf.set_author(partner.name)
    pdf.set_auto_page_break(False)
    pdf.set_margins(margin, margin, margin)
    pdf.add_page(orientation="portrait", format=(width, height))
    t = pdf.text_safe

    # Top band: the scheme's name, white on the partner's colour (dark grey in greyscale).
    band = 38 * s
    pdf.set_fill_color(*brand)
    pdf.rect(0, 0, width, band, style="F")
    logo = logo_png(branding, purpose="Sticker")
    text_x, text_w = margin, inner
    if logo is not None:
        box = band - 12 * s
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(margin, 6 * s, box * 1.6, box, style="F")
        pdf.image(logo, x=margin + 2 * s, y=8 * s, w=box * 1.6 - 4 * s, h=box - 4 * s, keep_aspect_ratio=True,
                  alt_text=f"{partner.name} logo")  # fmt: skip
        text_x = margin + box * 1.6 + 4 * s
        text_w = width - margin - text_x
    pdf.set_text_color(255, 255, 255)
    fit_font(pdf, SCHEME_NAME, width=text_w, largest=46 * s, smallest=20 * s, style="B")
    pdf.set_xy(text_x, 6 * s)
    pdf.cell(text_w, 20 * s, SCHEME_NAME, align="C")
    fit_font(pdf, t(partner.name), width=text_w, largest=13 * s, smallest=7 * s)
    pdf.set_xy(text_x, 26 * s)
    pdf.cell(text_w, 7 * s, t(partner.name), align="C")

    # What it means, large enough to read from the pavement.
    pdf.set_text_color(*BLACK)
    pdf.set_xy(margin, band + 7 * s)
    pdf.set_font(pdf.family, "B", 25 * s)
    pdf.multi_cell(inner, 11 * s, HEADLINE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 14 * s)
    pdf.multi_cell(inner, 7 * s, "Ask any member of staff for help.", align="C",
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip

    # The venue, between two rules.
    pdf.set_draw_color(*BLACK)
    pdf.set_line_width(0.4 * s)
    y = pdf.get_y() + 4 * s
    pdf.line(margin, y, width - margin, y)
    pdf.set_xy(margin, y + 2 * s)
    # One line if it fits at a readable size, else wrapped (a long name still reads from a step away).
    name_size = fit_font(pdf, t(venue.name), width=inner, largest=18 * s, smallest=13 * s, style="B")
    pdf.multi_cell(inner, name_size * 0.46, t(venue.name), align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 2 * s
    pdf.line(margin, y, width - margin, y)

    # The QR code and its address, above the footer band; as large as the space left allows.
    footer = 17 * s
    caption_top = height - footer - 16 * s
    y += 3 * s
    space = caption_top - y - 1 * s
    qr_size = min(78 * s, space)
    # Error correction Q: a sticker in a shop window gets dirty and scratched.
    draw_qr(pdf, url, x=(width - qr_size) / 2, y=y + (space - qr_size) / 2, size=qr_size, error="q")
    pdf.set_xy(margin, caption_top + 1 * s)
    pdf.set_font(pdf.family, "B", 11 * s)
    pdf.cell(inner, 6 * s, "Scan to check this is a Safe Haven today", align="C", new_x="LMARGIN", new_y="NEXT")
    fit_font(pdf, short_url, width=inner, largest=10.5 * s, smallest=5)
    pdf.cell(inner, 6 * s, short_url, align="C", link=url)

    # Footer band: what to do in an emergency, always, whether or not the venue is open.
    pdf.set_fill_color(*brand)
    pdf.rect(0, height - footer, width, footer, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(margin, height - footer + 2.5 * s)
    pdf.set_font(pdf.family, "B", 12 * s)
    pdf.cell(inner, 6 * s, "In an emergency call 999", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 10 * s)
    pdf.cell(inner, 5 * s, "If it is not an emergency call 101", align="C")
    return bytes(pdf.output())
