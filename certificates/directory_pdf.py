"""The partner's support directory as a PDF, attached to the certificate email.

A4 portrait, one service after another: its name, what it helps with, phone, hours and website,
in near-black on white so it prints and photocopies in greyscale (the partner's colour is only a
thin rule). Built with fpdf2 and the certificate's Unicode font.
"""

from django.utils import timezone

from cms.directory import directory_entries, support_services
from cms.models import BrandingSettings, Partner

from .pdf import UnicodePDF, _hex_to_rgb

FILENAME = "support-directory.pdf"
TEXT = (11, 12, 12)
SECONDARY = (80, 90, 95)


def directory_title(partner: Partner) -> str:
    return f"Where to signpost people: {partner.name} Safe Haven support directory"


class _DirectoryPDF(UnicodePDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="portrait")
        self.footer_text = footer_text

    def t(self, value: str) -> str:
        return self.text_safe(value)

    def footer(self):
        self.set_y(-14)
        self.set_font(self.family, "", 9)
        self.set_text_color(*SECONDARY)
        self.cell(0, 6, self.t(f"{self.footer_text}   Page {self.page_no()} of {{nb}}"), align="C")


def render_directory_pdf(partner: Partner, services=None, *, today=None) -> bytes:
    """`services` defaults to the partner's whole directory in its order."""
    entries = directory_entries(support_services(partner) if services is None else services)
    today = today or timezone.now().astimezone(partner.zone).date()
    brand = _hex_to_rgb(BrandingSettings.for_site(partner.site).brand_colour or "#1d70b8")
    pdf = _DirectoryPDF(f"{partner.name} Safe Haven scheme, {today:%-d %B %Y}. In an emergency call 999.")
    t = pdf.t
    pdf.set_title(directory_title(partner))
    pdf.set_author(partner.name)
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    width = pdf.w - 36

    pdf.set_text_color(*TEXT)
    pdf.set_font(pdf.family, "B", 20)
    pdf.multi_cell(width, 9, t(directory_title(partner)), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*brand)
    pdf.set_line_width(1.2)
    pdf.line(18, pdf.get_y() + 2, 18 + width, pdf.get_y() + 2)
    pdf.ln(6)
    pdf.set_font(pdf.family, "", 12)
    pdf.multi_cell(
        width, 6,
        t("Services you can tell someone about, or let them call from your venue. Offer the information; "
          "do not push. In an emergency, call 999."),
        align="L", new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.ln(4)
    pdf.set_draw_color(*SECONDARY)
    pdf.set_line_width(0.2)
    for item in entries:
        if pdf.get_y() > pdf.h - 50:  # keep a service's lines together
            pdf.add_page()
        pdf.set_font(pdf.family, "B", 14)
        pdf.set_text_color(*TEXT)
        pdf.multi_cell(width, 7, t(item["name"]), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdf.family, "", 11)
        pdf.multi_cell(width, 5.5, t(item["helps_with"]), align="L", new_x="LMARGIN", new_y="NEXT")
        for label, value in (("Phone", item["phone"]), ("When", item["hours"]), ("Website", item["website_label"])):
            if not value:
                continue
            pdf.set_font(pdf.family, "B", 11)
            pdf.cell(22, 6, t(label), new_x="RIGHT", new_y="TOP")
            pdf.set_font(pdf.family, "", 11)
            link = item["tel"] if label == "Phone" else item["website"] if label == "Website" else ""
            pdf.multi_cell(width - 22, 6, t(value), link=link, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.line(18, pdf.get_y(), 18 + width, pdf.get_y())
        pdf.ln(4)
    return bytes(pdf.output())
