"""Official documents a committee signs and files: every kind on the organiser's
letterhead, with a place-and-date line and a signatory, and no character off its
page or card, even for an event full of the longest texts the forms accept."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reportlab.lib.units import mm

from coaching.models import CoachingVisit
from training import pdf as training_pdf
from training import services
from training.models import Attendance
from villages.models import Agency, AgencyOffice, City
from villages.photos import checked_photo

from .documents import character_boxes, characters_outside, pdf_pages, pdf_text, word_boxes
from .factories import make_event, make_person, make_village, photo_bytes

pytestmark = pytest.mark.django_db
TWO_DAYS = (datetime.date(2024, 3, 27), datetime.date(2024, 3, 28))


def longest(max_length, word):
    """Whole words of `word` up to `max_length` characters, as a form takes them."""
    words = []
    while len(" ".join([*words, word])) <= max_length:
        words.append(word)
    return " ".join(words)


def words_of(text):
    return " ".join(text.split())


@pytest.fixture
def office():
    upload = SimpleUploadedFile("logo.png", photo_bytes("PNG", size=(300, 200)))
    office = AgencyOffice(
        city=City.objects.get(code="61.71"),
        agency=Agency.objects.get(abbreviation="DP2KBP3A"),
        address=longest(200, "Jalan"),
        phone="(0561) 123456",
        head_name="Dra. Kepala Dinas Uji",
        head_position="Kepala DP2KBP3A Kota Pontianak",
        head_nip="197001012000031001",
    )
    office.logo.save("logo.png", checked_photo(upload), save=False)
    office.save()
    return office


def registered(event, people):
    """Register `people` (name, category, unit) and mark each present on every day."""
    for person, category, unit in people:
        registration = services.registration_create(
            event=event, person=person, category=category, **unit
        )
        for day in event.days.all():
            Attendance.objects.create(registration=registration, day=day, status="hadir")
    services.certificates_issue(event=event)


@pytest.fixture
def longest_event(office):
    event = make_event(
        code="PANJANG-1",
        title=longest(200, "Lokakarya"),
        venue=longest(200, "Gedung"),
        committee_chair=longest(150, "Ketua"),
        contact_name=longest(150, "Kontak"),
        contact_phone="081234567890",
        signatory_name=longest(150, "Penanda"),
        signatory_title=longest(200, "Jabatan"),
        signatory_nip="198001012005011002",
        days=TWO_DAYS,
        capacity=50,
    )
    village = make_village("61.71.05.1001", name=longest(150, "Kampung"))
    agency = Agency.objects.get(abbreviation="DISPERKIM")  # the longest full name
    people = [
        (make_person(name=longest(150, "Namapanjang"), position=longest(150, "Posisi")),
         "pengelola", {"kampung": village}),
        (make_person(name=longest(150, "Sri")), "kepala_pd", {"agency": agency}),
        (make_person(name="<b>Siti</b> & =HYPERLINK(\"x\")"), "undangan", {}),
        (make_person(name="W" * 150), "pokja", {"kampung": village}),  # one word, no space
    ]  # fmt: skip
    registered(event, people)
    stand_in = event.registrations.get(category="kepala_pd")
    services.registration_substitute(
        registration=stand_in, substitute=make_person(name=longest(150, "Wakil"))
    )
    return event


def documents(client, event):
    """Every PDF of an event as its page offers them: the daftar hadir of each day,
    the cards, the certificates and the summary."""
    urls = {
        f"daftar hadir {day.date}": reverse("training:attendance_pdf", args=[event.pk])
        + f"?hari={day.pk}"
        for day in event.days.all()
    }
    urls["kartu"] = reverse("training:cards_pdf", args=[event.pk])
    urls["sertifikat"] = reverse("training:certificates_pdf", args=[event.pk])
    urls["rekap"] = reverse("training:summary", args=[event.pk]) + "?format=pdf"
    return {name: client.get(url) for name, url in urls.items()}


def test_every_document_keeps_every_character_on_its_page(client, dinas, longest_event):
    client.force_login(dinas)
    for name, response in documents(client, longest_event).items():
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf", name
        # 5 mm in: inside what any printer prints, and inside every border
        assert characters_outside(response.content, margin=5 * mm) == [], name


def test_cards_keep_every_character_on_its_own_card(client, dinas, longest_event):
    client.force_login(dinas)
    content = client.get(reverse("training:cards_pdf", args=[longest_event.pk])).content
    cards = [
        (x, y, x + training_pdf.CARD_WIDTH, y + training_pdf.CARD_HEIGHT)
        for x, y in training_pdf.CARD_POSITIONS
    ]
    for _page, character, (left, bottom, right, top), _size in character_boxes(content):
        assert any(
            x0 <= left and right <= x1 and y0 <= bottom and top <= y1 for x0, y0, x1, y1 in cards
        ), character


def test_certificate_text_stays_clear_of_the_qr_code_and_signature(client, dinas, longest_event):
    """The venue, the lowest line of a certificate's text however long its name and
    title, ends above the signature block (its place-and-date line on top) and the QR
    code (whose top is 56 mm up)."""
    client.force_login(dinas)
    content = client.get(reverse("training:certificates_pdf", args=[longest_event.pk])).content
    venue, signature = word_boxes(content, "Gedung"), word_boxes(content, "Pontianak, 28")
    assert venue.keys() == signature.keys() and len(venue) == 4  # every certificate
    for page, boxes in venue.items():
        lowest_text = min(bottom for _left, bottom, _right, _top in boxes)
        highest_block = max([56 * mm, *(top for *_rest, top in signature[page])])
        assert lowest_text > highest_block, page


def test_every_document_carries_the_letterhead_place_date_and_signatory(
    client, dinas, longest_event
):
    client.force_login(dinas)
    event = longest_event
    for name, response in documents(client, event).items():
        text = words_of(pdf_text(response.content))
        if name == "kartu":  # a door pass: its compact letterhead, no signature
            assert "DP2KBP3A KOTA PONTIANAK" in text
            continue
        assert "PEMERINTAH KOTA PONTIANAK" in text, name
        assert "DINAS PENGENDALIAN PENDUDUK" in text, name
        assert "Pontianak, 2" in text and "Maret 2024" in text, name  # place and date
        assert words_of(event.signatory_title) in text, name
        assert words_of(event.signatory_name) in text and "NIP. 198001012005011002" in text, name


def test_long_names_wrap_between_words_never_inside_one(client, dinas, longest_event):
    client.force_login(dinas)
    for name, response in documents(client, longest_event).items():
        printed = set(pdf_text(response.content).split())
        assert "Namapanjang" in printed or name == "rekap", name
        assert not {word for word in printed if word.startswith("Namapanjan")} - {"Namapanjang"}


def test_the_daftar_hadir_ends_with_the_blank_rows_asked_for(client, dinas, longest_event):
    client.force_login(dinas)
    event = longest_event
    url = reverse("training:attendance_pdf", args=[event.pk])
    seated = event.registrations.filter(status="registered").count()
    text = pdf_text(client.get(url + "?kosong=25").content)
    assert f"{seated + 25}. ...." in text and f"{seated + 26}. " not in text
    assert "Ketua Panitia" in text and "Mengetahui," in text
    default = pdf_text(client.get(url).content)  # the first day, ten blank rows
    assert f"{seated + training_pdf.BLANK_ROWS}. ...." in default


def test_a_daftar_hadir_asked_with_a_wrong_number_of_rows_says_so(client, dinas, longest_event):
    client.force_login(dinas)
    url = reverse("training:attendance_pdf", args=[longest_event.pk])
    for wrong in ("-1", "201", "banyak"):
        response = client.get(f"{url}?kosong={wrong}")
        assert response.status_code == 400
        page = response.content.decode()
        assert "Baris kosong" in page and "data-error-summary" in page
        assert f'value="{wrong}"' in page  # kept, to correct


def test_documents_of_an_organiser_without_an_office_carry_its_names(client, dinas):
    """Before the admin describes the office, the letterhead carries the city and
    the agency's full name, and the event's own signatory signs."""
    event = make_event(signatory_name="Musa", signatory_title="Sekretaris")
    registered(event, [(make_person(name="Ahmad"), "pengelola", {})])
    client.force_login(dinas)
    for name, response in documents(client, event).items():
        assert characters_outside(response.content) == [], name
        if name != "kartu":
            text = words_of(pdf_text(response.content))
            assert "PEMERINTAH KOTA PONTIANAK" in text and "Musa" in text, name


def test_an_event_without_its_own_signatory_is_signed_by_the_head_of_the_office(
    client, dinas, office
):
    event = make_event()
    registered(event, [(make_person(name="Ahmad"), "pengelola", {})])
    client.force_login(dinas)
    text = words_of(
        pdf_text(client.get(reverse("training:certificates_pdf", args=[event.pk])).content)
    )
    assert "Dra. Kepala Dinas Uji" in text and "NIP. 197001012000031001" in text


# -- nothing offered that would be empty -----------------------------------------------------


def test_an_event_without_participants_offers_its_documents_disabled_with_the_reason(client, dinas):
    event = make_event()
    client.force_login(dinas)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("training:cards_pdf", args=[event.pk]) not in page
    assert reverse("training:certificates_pdf", args=[event.pk]) not in page
    assert page.count("disabled aria-describedby") == 2
    assert "Belum ada peserta terdaftar pada kegiatan ini." in page
    assert "Belum ada sertifikat bernomor" in page


def test_an_event_with_participants_offers_its_cards_then_its_certificates(client, dinas):
    event = make_event()
    services.registration_create(event=event, person=make_person(), category="pengelola")
    client.force_login(dinas)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("training:cards_pdf", args=[event.pk]) in page
    assert reverse("training:certificates_pdf", args=[event.pk]) not in page
    Attendance.objects.create(
        registration=event.registrations.get(), day=event.days.get(), status="hadir"
    )
    services.certificates_issue(event=event)
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("training:certificates_pdf", args=[event.pk]) in page


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("training:cards_pdf", "Belum ada peserta terdaftar"),
        ("training:certificates_pdf", "Belum ada sertifikat bernomor"),
    ],
)
def test_an_empty_document_asked_anyway_is_one_page_that_says_why(client, dinas, name, reason):
    event = make_event()
    client.force_login(dinas)
    response = client.get(reverse(name, args=[event.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(pdf_pages(response.content)) == 1
    assert reason in words_of(pdf_text(response.content))


def test_a_daftar_hadir_without_participants_still_prints_its_blank_rows(client, dinas):
    event = make_event()
    client.force_login(dinas)
    url = reverse("training:attendance_pdf", args=[event.pk])
    assert "10. ...." in pdf_text(client.get(url).content)
    empty = client.get(url + "?kosong=0").content
    assert len(pdf_pages(empty)) == 1 and "Belum ada peserta" in pdf_text(empty)


# -- the certificate rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("min_days", "certified", "rule"),
    [
        (1, {"Dua hari", "Sehari"}, "paling sedikit 1 hari"),
        (2, {"Dua hari"}, "paling sedikit 2 hari"),
        (None, {"Dua hari"}, "hadir setiap hari kegiatan"),
    ],
)
def test_the_certificate_rule_decides_who_is_numbered(client, dinas, min_days, certified, rule):
    event = make_event(days=TWO_DAYS, certificate_min_days=min_days)
    first, second = event.days.all()
    for name, days in (("Dua hari", [first, second]), ("Sehari", [first]), ("Absen", [])):
        registration = services.registration_create(
            event=event, person=make_person(name=name), category="pengelola"
        )
        for day in days:
            Attendance.objects.create(registration=registration, day=day, status="terlambat")
    services.certificates_issue(event=event)
    numbered = event.registrations.exclude(certificate_number=None)
    assert {r.person.name for r in numbered} == certified
    client.force_login(dinas)
    for url in (event.get_absolute_url(), reverse("training:summary", args=[event.pk])):
        assert rule in client.get(url).content.decode()
    summary = client.get(reverse("training:summary", args=[event.pk]) + "?format=pdf")
    assert rule in words_of(pdf_text(summary.content))
    printed = pdf_text(client.get(reverse("training:certificates_pdf", args=[event.pk])).content)
    assert {name for name in ("Dua hari", "Sehari", "Absen") if name in printed} == certified


def test_a_persons_page_says_how_many_days_they_attended_and_their_certificate(client, dinas):
    event = make_event(days=TWO_DAYS, title="Bimtek Dua Hari")
    person = make_person(name="Sehari Saja")
    registration = services.registration_create(event=event, person=person, category="pengelola")
    Attendance.objects.create(registration=registration, day=event.days.first(), status="hadir")
    services.certificates_issue(event=event)
    registration.refresh_from_db()
    client.force_login(dinas)
    page = " ".join(client.get(person.get_absolute_url()).content.decode().split())
    assert "hadir 1 dari 2 hari" in page
    assert f"sertifikat {registration.certificate_number}" in page


# -- the coaching report ----------------------------------------------------------------------


def test_the_coaching_report_is_on_the_dinas_letterhead_signed_as_asked(client, dinas, office):
    office.leads_programme = True
    office.save()
    village = make_village("61.71.05.1001", name="Kampung KB Bangkong")
    CoachingVisit.objects.create(
        kampung=village, date=datetime.date(2018, 8, 17), status="verified", findings="Baik"
    )
    client.force_login(dinas)
    url = reverse("coaching:report")
    query = "?kota=61.71&kecamatan=61.71.05&mulai=2018-08&format=pdf"
    content = client.get(url + query).content
    text = words_of(pdf_text(content))
    assert "PEMERINTAH KOTA PONTIANAK" in text and "DINAS PENGENDALIAN PENDUDUK" in text
    assert "17-08-2018" in text and "Terverifikasi" in text  # whole, not broken
    assert text.count("Tidak ada") == 2  # no new needs, none met
    assert "Dra. Kepala Dinas Uji" in text and "NIP. 197001012000031001" in text
    signed = client.get(url + query + "&ttd-name=Musa&ttd-position=Sekretaris&ttd-nip=").content
    assert "Musa" in words_of(pdf_text(signed))
    assert characters_outside(content, margin=5 * mm) == []


def test_a_coaching_report_asked_with_a_wrong_nip_says_so_on_the_page(client, dinas):
    make_village("61.71.05.1001")
    client.force_login(dinas)
    query = "?kota=61.71&kecamatan=61.71.05&mulai=2018-08&format=pdf&ttd-nip=12345"
    response = client.get(reverse("coaching:report") + query)
    assert response["Content-Type"].startswith("text/html")
    assert "NIP harus 18 angka" in response.content.decode()


# -- the logo ---------------------------------------------------------------------------------


def test_a_logo_that_is_not_a_photo_is_refused_in_the_admin(admin_client):
    url = reverse("admin:villages_agencyoffice_add")
    upload = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image")
    response = admin_client.post(
        url,
        {
            "city": City.objects.get(code="61.71").pk,
            "agency": Agency.objects.get(abbreviation="DINKES").pk,
            "logo": upload,
        },
    )
    assert response.status_code == 200
    assert "bukan foto" in response.content.decode()
    assert not AgencyOffice.objects.exists()


def test_a_logo_is_stored_re_encoded_and_printed(client, dinas, office):
    assert office.logo.name.startswith("logo/") and office.logo.name.endswith(".png")
    event = make_event()
    registered(event, [(make_person(name="Ahmad"), "pengelola", {})])
    client.force_login(dinas)
    content = client.get(reverse("training:certificates_pdf", args=[event.pk])).content
    assert b"/Subtype /Image" in content  # the logo, drawn
