import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tissu.audit.models import AuditEntry
from tissu.funding.models import Document, Status
from tissu.funding.tests.factories import make_application, make_document

pytestmark = pytest.mark.django_db


def test_a_manager_files_a_document_with_its_validity(client_for, manager_a, association_a, private_files):
    response = client_for(manager_a).post(
        reverse("funding:vault", args=[association_a.slug]),
        {
            "kind": "insurance", "title": "Attestation 2027", "valid_until": "2027-12-31",
            "file": SimpleUploadedFile("assurance.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        },
    )  # fmt: skip
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.valid_until == datetime.date(2027, 12, 31)
    assert (private_files / document.file.name).exists()


def test_documents_have_no_public_url_and_download_only_for_the_association_and_the_office(
    client_for, manager_a, manager_b, staff, association_a
):
    document = make_document(association=association_a)
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018
    url = reverse("funding:document-download", args=[document.pk])
    assert client_for(manager_a).get(url).status_code == 200
    assert client_for(staff).get(url).status_code == 200
    assert client_for(manager_b).get(url).status_code == 403
    # The office's reading is in the audit log, the association's own is not.
    opened = AuditEntry.objects.filter(action="funding.document.opened", target_id=str(document.pk))
    assert list(opened.values_list("actor", flat=True)) == [staff.pk]


def test_it_refuses_a_file_of_another_kind(client_for, manager_a, association_a):
    response = client_for(manager_a).post(
        reverse("funding:vault", args=[association_a.slug]),
        {"kind": "statutes", "title": "Statuts", "file": SimpleUploadedFile("statuts.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_a_document_of_a_submitted_application_is_kept(client_for, manager_a):
    application = make_application(status=Status.RECEIVED)
    document = application.documents.first()
    client_for(manager_a).post(reverse("funding:document-delete", args=[document.pk]))
    assert Document.objects.filter(pk=document.pk).exists()
