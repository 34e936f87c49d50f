"""The certificate as a PDF: pure Python (fpdf2), partner branding, QR code to the verification page.

A4 landscape, drawn to be framed and to print well on a black-and-white office printer: black words
on white, the partner's colour in the border, the emblem and the seal (BrandingSettings already
requires it to be dark enough for white text, so it prints as a dark grey), and a QR code drawn as
vector squares, so it stays sharp at any printer's resolution.
"""

import io
import logging
import os

import segno
from django.conf import settings
from django.urls import reverse
from fpdf import FPDF

from cms import formats
from cms.colour import contrast_ratio
from cms.models import BrandingSettings
from cms.tenancy import site_root_url

from .models import Certificate

DEFAULT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEFAULT_BOLD_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
# The certificate's headings and the holder's name; the body font stands in where it is missing.
DISPLAY_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
DISPLAY_BOLD_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
BLACK = (11, 12, 12)
GREY = (80, 90, 95)  # secondary text: 7.5:1 on white, a clear grey on paper

logger = logging.getLogger(__name__)


def verification_url(certificate: Certificate) -> str:
    """Absolute address of the public verification page on the partner's own site."""
    path = reverse("certificates:verify", kwargs={"code": certificate.display_code})
    return site_root_url(certificate.partner.site) + path


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


class UnicodePDF(FPDF):
    """An A4 page in the deployment's Unicode font, so names like Zoë Łukasiewicz print as written
    (Helvetica, with unprintable characters replaced, when the font is missing). Certificates,
    stickers and the support directory share it."""

    def __init__(self, orientation: str = "landscape"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        regular = getattr(settings, "CERTIFICATE_FONT", DEFAULT_FONT)
        bold = getattr(settings, "CERTIFICATE_BOLD_FONT", DEFAULT_BOLD_FONT)
        if os.path.exists(regular) and os.path.exists(bold):
            self.add_font("body", "", regular)
            self.add_font("body", "B", bold)
            self.family = "body"
            self.unicode = True
        else:
            self.family = "helvetica"
            self.unicode = False

    def text_safe(self, value: str) -> str:
        return value if self.unicode else value.encode("latin-1", "replace").decode("latin-1")


def _text_colour(brand: tuple[int, int, int], hex_colour: str) -> tuple[int, int, int]:
    """The brand colour for words where it is dark enough to read as well as black in print (7:1
    on white, WCAG AAA), black otherwise."""
    return brand if contrast_ratio(hex_colour, "#ffffff") >= 7 else BLACK


def logo_png(branding, *, purpose: str = "certificate") -> io.BytesIO | None:
    """The partner's logo as a PNG file object, or None (no logo, or its file cannot be read)."""
    if not branding.logo_id:
        return None
    try:
        rendition = branding.logo.get_rendition("max-900x360|format-png")
        with rendition.file.open("rb") as handle:
            return io.BytesIO(handle.read())
    except Exception:  # a missing or unreadable image file must not stop the document
        logger.warning("%s for site %s printed without its logo", purpose, branding.site_id, exc_info=True)
        return None


def draw_qr(pdf: FPDF, data: str, *, x: float, y: float, size: float, error: str = "m") -> None:
    """A QR code as filled black squares (one per dark run of a row) on white, its four-module quiet
    zone inside `size`: vector, so it prints sharp on any printer."""
    qr = segno.make(data, error=error, boost_error=False)
    rows = list(qr.matrix)
    cell = size / (len(rows) + 8)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                # A hair wider than the run, so no white seam shows between adjacent squares.
                pdf.rect(x + (start + 4) * cell, y + (r + 4) * cell, (c - start) * cell + 0.02, cell + 0.02, style="F")
            else:
                c += 1


def draw_emblem(pdf: FPDF, *, x: float, y: float, size: float, colour, heart=(255, 255, 255)) -> None:
    """The Safe Haven emblem: a house with a heart in its doorway, `size` wide and high from (x, y).
    Solid shapes, no tints, so it survives a greyscale printer and a photocopier."""
    s = size / 100
    pdf.set_fill_color(*colour)
    # Roof and walls in one outline; the eaves overhang the walls a little.
    pdf.polygon(
        [(x + 50 * s, y), (x + 100 * s, y + 44 * s), (x + 86 * s, y + 44 * s), (x + 86 * s, y + 100 * s),
         (x + 14 * s, y + 100 * s), (x + 14 * s, y + 44 * s), (x, y + 44 * s)],
        style="F",
    )  # fmt: skip
    pdf.set_fill_color(*heart)
    r = 11 * s  # the heart: two round lobes over a point
    cx, top = x + 50 * s, y + 46 * s
    pdf.ellipse(cx - 2 * r, top, 2 * r, 2 * r, style="F")
    pdf.ellipse(cx, top, 2 * r, 2 * r, style="F")
    pdf.polygon(
        [(cx - 1.94 * r, top + 1.3 * r), (cx, top + r), (cx + 1.94 * r, top + 1.3 * r), (cx, top + 3.3 * r)],
        style="F",
    )


def fit_font(pdf, text: str, *, width: float, largest: float, smallest: float, style: str = "", family=None):
    """Set the largest font size (down to `smallest`, in half points) at which `text` fits on one
    line of `width`; the certificate's and the sticker's headings both shrink this way."""
    family = family or pdf.family
    size = largest
    while size > smallest:
        pdf.set_font(family, style, size)
        if pdf.get_string_width(text) <= width:
            return size
        size -= 0.5
    pdf.set_font(family, style, smallest)
    return smallest


def _centred_lines(pdf: FPDF, text: str, *, width: float) -> list[str]:
    """`text` broken into the lines it takes at `width` in the current font."""
    return pdf.multi_cell(width, 5, text, dry_run=True, output="LINES")


def render_certificate_pdf(certificate: Certificate) -> bytes:
    partner = certificate.partner
    branding = BrandingSettings.for_site(partner.site)
    brand_hex = branding.brand_colour or "#1d70b8"
    brand = _hex_to_rgb(brand_hex)
    ink = _text_colour(brand, brand_hex)
    url = verification_url(certificate)

    pdf = UnicodePDF()
    pdf.set_title(f"Safe Haven certificate {certificate.display_code}")
    pdf.set_author(partner.name)
    pdf.set_subject(f"{certificate.holder_name}, {certificate.venue.name}")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    t = pdf.text_safe
    body = pdf.family
    display = body
    if pdf.unicode and os.path.exists(DISPLAY_FONT) and os.path.exists(DISPLAY_BOLD_FONT):
        pdf.add_font("display", "", DISPLAY_FONT)
        pdf.add_font("display", "B", DISPLAY_BOLD_FONT)
        display = "display"
    W, H = pdf.w, pdf.h  # 297 x 210 mm
    cx = W / 2
    text_w = W - 60  # inside the frame, with room to breathe

    # The frame: a heavy rule in the partner's colour, a fine one inside it, a diamond at each corner.
    pdf.set_draw_color(*brand)
    pdf.set_line_width(2.2)
    pdf.rect(8, 8, W - 16, H - 16)
    pdf.set_line_width(0.5)
    pdf.rect(12.5, 12.5, W - 25, H - 25)
    pdf.set_fill_color(*brand)
    for x, y in ((12.5, 12.5), (W - 12.5, 12.5), (12.5, H - 12.5), (W - 12.5, H - 12.5)):
        pdf.polygon([(x, y - 3.2), (x + 3.2, y), (x, y + 3.2), (x - 3.2, y)], style="F")

    # Who awards it: the council's logo, over the scheme's name.
    logo = logo_png(branding)
    top = 20
    if logo is not None:
        pdf.image(logo, x=cx - 45, y=top, w=90, h=22, keep_aspect_ratio=True, alt_text=f"{partner.name} logo")
        top += 25
    scheme = t(f"{partner.name} Safe Haven scheme")
    pdf.set_text_color(*ink)
    fit_font(pdf, scheme, width=text_w, largest=13 if logo is not None else 16, smallest=9, family=body, style="B")
    pdf.set_xy(30, top)
    pdf.cell(text_w, 8, scheme, align="C")
    header_bottom = top + 8

    # The certificate itself, centred in the space between the header and the foot.
    completed = formats.govuk_date(certificate.issued_on, weekday=False)
    expires = formats.govuk_date(certificate.expires_on, weekday=False)
    name_size = fit_font(pdf, t(certificate.holder_name), width=text_w - 20, largest=40, smallest=18, family=display,
                     style="B")  # fmt: skip
    course_size = fit_font(pdf, t(certificate.course_page.title), width=text_w, largest=20, smallest=15, family=body,
                       style="B")  # fmt: skip
    course_lines = _centred_lines(pdf, t(certificate.course_page.title), width=text_w)
    venue_line = t(f"for {certificate.venue.name}")
    venue_size = fit_font(pdf, venue_line, width=text_w, largest=15, smallest=12, family=body)
    venue_lines = _centred_lines(pdf, venue_line, width=text_w)
    # (text or None for the rule, font family, style, size, line height, space after)
    rows = [
        ("Certificate of completion", display, "B", 34, 15, 5),
        ("This certifies that", body, "", 13, 7, 2),
        (t(certificate.holder_name), display, "B", name_size, max(name_size * 0.5, 10), 1.5),
        (None, None, "", 0, 1, 4),
        ("has completed", body, "", 13, 7, 1),
        *((line, body, "B", course_size, course_size * 0.48, 0) for line in course_lines),
        *((line, body, "", venue_size, venue_size * 0.5, 0) for line in venue_lines),
    ]
    rows[-1] = (*rows[-1][:5], 4)
    sep = "\u2022" if pdf.unicode else "-"
    rows.append((f"Completed on {completed}   {sep}   Valid until {expires}", body, "", 12, 7, 0))
    foot = 146
    height = sum(row[4] + row[5] for row in rows)
    room = foot - 8 - header_bottom
    if height > room:  # a logo, a long course title or venue name: everything a little smaller
        squeeze = room / height
        rows = [(text, family, style, size * squeeze, h * squeeze, after * squeeze)
                for text, family, style, size, h, after in rows]  # fmt: skip
        height = room
    y = header_bottom + 2 + (room - height) / 2
    pdf.set_text_color(*BLACK)
    for text, family, style, size, line_height, after in rows:
        if text is None:
            pdf.set_draw_color(*brand)
            pdf.set_line_width(0.6)
            half = min(text_w, max(160, pdf.get_string_width(t(certificate.holder_name)) + 16)) / 2
            pdf.line(cx - half, y + 0.5, cx + half, y + 0.5)
        else:
            pdf.set_font(family, style, size)
            pdf.set_xy(30, y)
            pdf.cell(text_w, line_height, text, align="C")
        y += line_height + after

    # Foot, left: who signs it (or, with no signatory set, who awards it).
    left, column = 24, 78
    name = " ".join(partner.certificate_signatory_name.split())
    role = " ".join(partner.certificate_signatory_role.split())
    pdf.set_text_color(*BLACK)
    if name:
        pdf.set_draw_color(*BLACK)
        pdf.set_line_width(0.35)
        pdf.line(left, foot + 14, left + column, foot + 14)
        pdf.set_xy(left, foot + 16)
        fit_font(pdf, t(name), width=column, largest=12, smallest=8, family=body, style="B")
        pdf.cell(column, 6, t(name), new_x="LMARGIN", new_y="NEXT")
        lines = [role, partner.name] if role else [partner.name]
    else:
        pdf.set_xy(left, foot + 14)
        pdf.set_font(body, "", 10)
        pdf.cell(column, 5, "Awarded by", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(left)
        fit_font(pdf, t(partner.name), width=column, largest=12, smallest=8, family=body, style="B")
        pdf.cell(column, 6, t(partner.name), new_x="LMARGIN", new_y="NEXT")
        lines = []
    if partner.delivery_organisation:
        lines.append(f"Delivered by {partner.delivery_organisation}")
    pdf.set_text_color(*GREY)
    for line in lines:
        pdf.set_x(left)
        fit_font(pdf, t(line), width=column, largest=10, smallest=7, family=body)
        pdf.cell(column, 5, t(line), new_x="LMARGIN", new_y="NEXT")

    # Foot, centre: the Safe Haven emblem as a seal, in a ring of the partner's colour.
    seal_r, seal_y = 16, foot + 15
    pdf.set_fill_color(*brand)
    pdf.ellipse(cx - seal_r, seal_y - seal_r, 2 * seal_r, 2 * seal_r, style="F")
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.6)
    pdf.ellipse(cx - seal_r + 1.8, seal_y - seal_r + 1.8, 2 * seal_r - 3.6, 2 * seal_r - 3.6, style="D")
    draw_emblem(pdf, x=cx - 9.5, y=seal_y - 10.5, size=19, colour=(255, 255, 255), heart=brand)

    # Foot, right: the code and the QR code that opens the verification page.
    qr_size = 34
    qr_x = W - 22 - qr_size
    draw_qr(pdf, url, x=qr_x, y=foot, size=qr_size)
    block_x, block_w = qr_x - 62, 60
    pdf.set_text_color(*BLACK)
    pdf.set_font(body, "", 9)
    pdf.set_xy(block_x, foot + 7)
    pdf.cell(block_w, 5, "Certificate code", align="R")
    pdf.set_font(body, "B", 13)
    pdf.set_xy(block_x, foot + 12)
    pdf.cell(block_w, 7, certificate.display_code, align="R")
    pdf.set_font(body, "", 9)
    pdf.set_xy(block_x, foot + 20)
    pdf.multi_cell(block_w, 4.5, "Scan the code to check this certificate is valid", align="R")

    check = t(f"Check this certificate at {url}")
    pdf.set_text_color(*BLACK)
    fit_font(pdf, check, width=text_w, largest=10, smallest=7, family=body)
    pdf.set_xy(30, H - 24)
    pdf.cell(text_w, 6, check, align="C", link=url)
    return bytes(pdf.output())
