import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# Kemendagri province codes (the first two digits of every NIK).
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
        "97",
    }
)


def validate_nik(value):
    """A NIK's structure: PP KK CC DD MM YY NNNN (women add 40 to the day)."""
    if not re.fullmatch(r"\d{16}", value):
        raise ValidationError(_("NIK harus 16 angka."), code="nik_length")
    if value[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("Dua angka pertama NIK (%(code)s) bukan kode provinsi."),
            code="nik_province",
            params={"code": value[:2]},
        )
    day, month = int(value[6:8]), int(value[8:10])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        raise ValidationError(
            _("Tanggal lahir dalam NIK harus 01–31 (laki-laki) atau 41–71 (perempuan)."),
            code="nik_day",
        )
    if not 1 <= month <= 12:
        raise ValidationError(_("Bulan lahir dalam NIK harus 01–12."), code="nik_month")
    if value[12:] == "0000":
        raise ValidationError(_("Empat angka terakhir NIK tidak boleh 0000."), code="nik_serial")


#: A civil servant's NIP: 18 digits (birth date, appointment month, sex, serial).
validate_nip = RegexValidator(r"^\d{18}$", _("NIP harus 18 angka, tanpa spasi."), code="nip")


def normalize_phone(value):
    """Indonesian mobile numbers in one spelling: 08…, from +62…, 62… or with separators."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    if not digits:
        return ""
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0\d{8,13}", digits):
        raise ValidationError(
            _("Nomor telepon tidak dikenali; tulis seperti 081234567890 atau +6281234567890."),
            code="phone",
        )
    return digits


@deconstructible
class RangeValidator:
    """A value between `low` and `high`, both included, refused with `message`, which
    names the two as %(low)s and %(high)s, written the Indonesian way."""

    def __init__(self, low, high, message):
        self.low, self.high, self.message = low, high, message

    def __call__(self, value):
        if not self.low <= value <= self.high:
            raise ValidationError(
                self.message,
                code="out_of_range",
                params={"low": number_format(self.low), "high": number_format(self.high)},
            )

    def __eq__(self, other):
        return isinstance(other, RangeValidator) and (self.low, self.high, self.message) == (
            other.low,
            other.high,
            other.message,
        )
