"""The certificate as a PDF: pure Python (fpdf2), partner branding, QR code to the verification page."""

import io
import os

import segno
from django.conf import settings
from django.urls import reverse
from fpdf import FPDF

from cms.models import BrandingSettings
from cms.tenancy import site_root_url

from .models import Certificate

DEFAULT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEFAULT_BOLD_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


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


def render_certificate_pdf(certificate: Certificate) -> bytes:
    partner = certificate.partner
    branding = BrandingSettings.for_site(partner.site)
    brand = _hex_to_rgb(branding.brand_colour or "#1d70b8")
    url = verification_url(certificate)
    course = certificate.course_page.title
    venue = certificate.venue.name

    pdf = UnicodePDF()
    pdf.set_title(f"Safe Haven certificate {certificate.display_code}")
    pdf.set_author(partner.name)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    t = pdf.text_safe
    width = pdf.w - 40

    pdf.set_fill_color(*brand)
    pdf.rect(0, 0, pdf.w, 28, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(pdf.family, "B", 20)
    pdf.set_xy(20, 9)
    pdf.cell(width, 10, t(f"{partner.name} Safe Haven scheme"))

    pdf.set_text_color(11, 12, 12)
    pdf.set_xy(20, 42)
    pdf.set_font(pdf.family, "B", 30)
    pdf.cell(width, 14, "Certificate of completion", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 14)
    pdf.set_x(20)
    pdf.cell(width, 12, "This certifies that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "B", 26)
    pdf.set_x(20)
    pdf.cell(width, 14, t(certificate.holder_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 14)
    pdf.set_x(20)
    pdf.cell(width, 10, "has completed", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "B", 18)
    pdf.set_x(20)
    pdf.multi_cell(width, 9, t(course), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 14)
    pdf.set_x(20)
    pdf.multi_cell(width, 9, t(f"for {venue}"), align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(148)
    pdf.set_font(pdf.family, "", 12)
    for line in (
        f"Issued: {certificate.issued_on:%-d %B %Y}",
        f"Valid until: {certificate.expires_on:%-d %B %Y}",
        f"Verification code: {certificate.display_code}",
        f"Check this certificate at {url}",
    ):
        pdf.set_x(20)
        pdf.cell(200, 7, t(line), new_x="LMARGIN", new_y="NEXT")
    if partner.delivery_organisation:
        pdf.set_x(20)
        pdf.cell(200, 7, t(f"Delivered by {partner.delivery_organisation}"), new_x="LMARGIN", new_y="NEXT")

    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - 20 - 45, y=140, w=45, h=45, alt_text=f"QR code linking to {url}")

    pdf.set_fill_color(*brand)
    pdf.rect(0, pdf.h - 8, pdf.w, 8, style="F")
    return bytes(pdf.output())
