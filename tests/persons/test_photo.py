"""A person's photo: checked by its content, served only to those who may see the person."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from persons import services

from ..conftest import signed_in_client

pytestmark = pytest.mark.django_db


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (90, 60, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("face.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_the_photo_is_served_to_the_administration_only(fj_officer, ws_officer):
    person = services.person_create(by=fj_officer, values={"full_name": "Mele Vea"}, photo=_jpeg())
    response = signed_in_client(fj_officer).get(f"/persons/{person.pk}/photo/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert signed_in_client(ws_officer).get(f"/persons/{person.pk}/photo/").status_code == 404


def test_a_file_that_is_not_a_photo_is_refused(fj_officer):
    fake = SimpleUploadedFile("face.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.person_create(by=fj_officer, values={"full_name": "Mele Vea"}, photo=fake)
    assert refused.value.message_dict == {
        "photo": ["This file is not a photo (JPEG, PNG, WebP or GIF)."]
    }
