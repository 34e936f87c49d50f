"""Staff spreadsheet exports (CSV and XLSX), safe to open in Excel and always logged.

Every cell a member of the public typed could be read as a formula by a spreadsheet
(`=HYPERLINK(...)`, `+cmd|...`), so text starting with = + - @ (or a tab / carriage return) is
prefixed with an apostrophe, as OWASP advises for CSV injection. Each export writes a Wagtail log
entry against the partner: who, what, which format, how many rows, and whether access needs
were included.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from openpyxl import Workbook
from wagtail.log_actions import log

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel on Windows reads a CSV without a byte-order mark as the local code page ("CafÃ©").
CSV_BOM = "\ufeff"
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
MAX_COLUMN_WIDTH = 60
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """A value ready for a spreadsheet: text that could start a formula is made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def xlsx_cell(value):
    """Like `safe_cell`, but dates and times stay real date cells (in the partner's local time)."""
    if isinstance(value, datetime.datetime):
        return timezone.make_naive(timezone.localtime(value)) if timezone.is_aware(value) else value
    return safe_cell(value)


def sheet_name(what: str) -> str:
    """What Excel accepts as a sheet name: at most 31 characters, none of [ ] : * ? / \\."""
    return " ".join(what.translate(SHEET_NAME_FORBIDDEN).split())[:31] or "Export"


def xlsx_bytes(export: "Export") -> bytes:
    """A workbook with a bold, frozen header row, columns as wide as their contents and real dates."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(export.what)
    sheet.append(export.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [len(str(header)) for header in export.headers]
    for row in export.rows:
        cells = [xlsx_cell(value) for value in row]
        sheet.append(cells)
        for index, value in enumerate(cells[: len(widths)]):
            widths[index] = max(widths[index], 16 if isinstance(value, datetime.datetime) else len(str(value)))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_COLUMN_WIDTH)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Export:
    """A table to download: `what` names it in the log and the file name."""

    what: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    partners: list = field(default_factory=list)
    includes_access_needs: bool = False
    detail: dict = field(default_factory=dict)

    @classmethod
    def from_columns(cls, what: str, columns, objects, **kwargs) -> "Export":
        """A table from (heading, value-of-object) pairs: one row per object."""
        return cls(
            what=what,
            headers=[heading for heading, _ in columns],
            rows=[[value(obj) for _, value in columns] for obj in objects],
            **kwargs,
        )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label="Format", choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")], widget=forms.RadioSelect, initial="csv"
    )
    include_access_needs = forms.BooleanField(
        label="Include access needs",
        required=False,
        help_text="Only when you need them, for example to arrange support. The export is logged.",
    )


def export_form(data=None, *, access_needs: bool = True) -> ExportForm:
    form = ExportForm(data)
    if not access_needs:
        del form.fields["include_access_needs"]
    return form


class ExportButtonIndexMixin:
    """An "Export" button in a listing's header, for viewsets that have an `export` URL."""

    @cached_property
    def header_buttons(self):
        from django.urls import reverse
        from wagtail.admin.widgets.button import HeaderButton

        return [*super().header_buttons, HeaderButton("Export", url=reverse(f"{self.url_namespace}:export"),
                                                      icon_name="download")]  # fmt: skip


class ListExportViewSetMixin:
    """A viewset's whole-list export (`export/`): the partner-scoped rows, never access needs.

    Set `export_title` and define `build_export(*, user)`; pair the index view with
    `ExportButtonIndexMixin` for the header button.
    """

    export_title = "Export"

    def build_export(self, *, user) -> Export:
        raise NotImplementedError

    def get_urlpatterns(self):
        from django.urls import path

        return [*super().get_urlpatterns(), path("export/", self.export_view, name="export")]

    def export_view(self, request):
        from django.urls import reverse

        from cms.admin_scoping import require_partner_staff

        require_partner_staff(request)
        return export_or_form(
            request,
            title=self.export_title,
            build=lambda _include: self.build_export(user=request.user),
            back_url=reverse(self.get_url_name("index")),
            access_needs=False,
        )


def export_response(*, export: Export, file_format: str, user) -> HttpResponse:
    """The download itself, logged once per partner the rows belong to."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{slugify(export.what)}-{stamp}.{file_format}"
    if file_format == "xlsx":
        response = HttpResponse(xlsx_bytes(export), content_type=XLSX_TYPE)
    else:
        buffer = io.StringIO()
        buffer.write(CSV_BOM)
        writer = csv.writer(buffer)
        writer.writerow(export.headers)
        writer.writerows([safe_cell(value) for value in row] for row in export.rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    for partner in export.partners:
        log(
            partner,
            "cms.export",
            user=user,
            data={
                "what": export.what,
                "format": file_format,
                "rows": len(export.rows),
                "access_needs": export.includes_access_needs,
                **export.detail,
            },
        )
    return response


def export_or_form(request, *, title, build, back_url, access_needs=True):
    """GET with a format chosen → the download; otherwise the form asking which format.

    `build(include_access_needs)` returns the `Export`; access needs are only ever included when
    the user ticked the box.
    """
    from django.template.response import TemplateResponse

    form = export_form(request.GET if "format" in request.GET else None, access_needs=access_needs)
    if form.is_bound and form.is_valid():
        export = build(form.cleaned_data.get("include_access_needs", False))
        return export_response(export=export, file_format=form.cleaned_data["format"], user=request.user)
    return TemplateResponse(request, "cms/admin/export.html", {"title": title, "form": form, "index_url": back_url})
