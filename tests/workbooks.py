"""Working in an exported workbook as an officer does in Excel: open it, change cells
by column title, add or blank rows, save, and send it back."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

SHEETS = {"kampung": "Kampung KB", "orang": "Orang", "profil": "Profil"}
EXPORTS = {
    "kampung": "villages:export",
    "orang": "villages:person_export",
    "profil": "villages:profile_export",
}


class Sheet:
    """The data sheet of an exported workbook, edited by column title."""

    def __init__(self, content, kind):
        self.book = load_workbook(BytesIO(content))
        self.sheet = self.book[SHEETS[kind]]
        self.titles = [cell.value for cell in self.sheet[1]]

    def column(self, title):
        return self.titles.index(title) + 1

    def line_of(self, title, value):
        """The line whose cell under `title` holds `value`."""
        column = self.column(title)
        for line in range(2, self.sheet.max_row + 1):
            if self.sheet.cell(line, column).value == value:
                return line
        raise AssertionError(f"no {title} = {value!r}")

    def get(self, line, title):
        return self.sheet.cell(line, self.column(title)).value

    def set(self, line, title, value, *, as_text=False):
        cell = self.sheet.cell(line, self.column(title))
        cell.value = value
        if as_text:  # typed into a text cell: never a number, never a formula
            cell.number_format, cell.data_type = "@", "s"
        return cell

    def add(self, **values):
        """A new row at the end, its cells by title (underscores for spaces)."""
        line = self.sheet.max_row + 1
        for title, value in values.items():
            self.set(line, title.replace("_", " "), value)
        return line

    def blank(self, line):
        for column in range(1, len(self.titles) + 1):
            self.sheet.cell(line, column).value = None

    def rows(self):
        return [
            dict(zip(self.titles, values, strict=False))
            for values in self.sheet.iter_rows(min_row=2, values_only=True)
        ]

    def content(self):
        buffer = BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def export(client, kind, **params):
    response = client.get(reverse(EXPORTS[kind]), params)
    assert response.status_code == 200, response.status_code
    return Sheet(response.content, kind)


def upload(client, kind, content):
    """The preview of a file sent for import."""
    if isinstance(content, Sheet):
        content = content.content()
    return client.post(
        reverse("villages:import", args=[kind]),
        {"file": SimpleUploadedFile(f"{kind}.xlsx", content)},
    )


def confirm(client, kind):
    return client.post(reverse("villages:import", args=[kind]), {"confirm": "1"})


def verdicts(response):
    """{line: (status, changes or reasons)} of a preview."""
    preview = response.context["preview"]
    assert preview is not None, response.context["form"].errors
    return {row.line: (row.status, row.changes or row.reasons) for row in preview.rows}


def file_error(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("file", []))
