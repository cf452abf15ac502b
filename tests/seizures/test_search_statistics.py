"""The search vector keeps finer statistics than PostgreSQL's default (migration 0006), so
that a rare word is estimated as rare and read through the GIN index."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_search_vector_keeps_fine_statistics():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'seizures_seizure'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == (2000,)
