"""The match endpoint at a million persons: latency of the top-10 candidates and recall of
names typed with one mistake.

    python bench/match.py [--runs 500] [--seed 7] [--with-birth-year] [--typo any] [--worst 10]

Draws ``--runs`` persons of FJ at random, misspells each full name once (a letter dropped,
doubled, swapped or replaced: ``persons.generate.misspell``, never the first or last letter;
or with ``--typo any`` one edit anywhere, the first and last letters included: a random
letter inserted, a letter dropped, replaced by a random one, or swapped with the next), asks
``GET /api/v1/persons/match/?q=<misspelled>`` (with ``birth_year`` too when asked) as a
signed-in officer through Django's test Client, and reports p50/p95 of the whole request
(and of the SQL statements it sent, summed per request, and of the CPU time of this process
during it, which leaves out PostgreSQL's and waiting for a core) and the share of persons
found among the first 1 and first 3 candidates; ``--worst N`` lists the N slowest names.
A person recorded twice (generate_data makes 4 % duplicates) counts as found if either
record is: both records are that person.

Recall is given twice: over every person drawn, and over those whose name no one else
bears. When forty records are called "Ashwin Ali", a misspelled "Ahswin Ali" cannot tell
them apart, whatever the matching: only a document, a phone or the date of birth can, and
``--with-birth-year`` shows what the year alone adds.
"""

import argparse
import os
import random
import string
import sys
import time
from contextlib import contextmanager

from common import ms, p50_p95, signed_in, table
from django.db import connection

from ncen.models import Role, User
from persons.generate import misspell
from persons.models import IdentityDocument, Person


def typo(rng: random.Random, name: str) -> str:
    """One edit at any letter: a random letter inserted, a letter dropped, replaced by
    another random letter, or swapped with the next character."""
    i = rng.choice([i for i, c in enumerate(name) if c.isalpha()])
    letter = rng.choice(string.ascii_lowercase.replace(name[i].lower(), ""))
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + letter + name[i:]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2 and i + 1 < len(name) and name[i + 1] != name[i]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + letter + name[i + 1 :]


@contextmanager
def sql_time(spent: list[float]):
    """Adds the milliseconds this connection spends in the database to ``spent``."""

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append((time.perf_counter() - started) * 1000)

    with connection.execute_wrapper(timed):
        yield


def sample(administration_id: int, runs: int, rng: random.Random) -> list[Person]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(id), max(id) FROM persons_person WHERE administration_id = %s",
            [administration_id],
        )
        low, high = cursor.fetchone()
    if low is None:
        sys.exit("No persons: run python manage.py generate_data --persons 1000000 first.")
    ids = rng.sample(range(low, high + 1), runs * 2)
    persons = Person.objects.filter(pk__in=ids, administration_id=administration_id).current()
    return list(persons.prefetch_related("documents")[:runs])


def same_person(person: Person) -> set[int]:
    """The person's ids: theirs and any other record carrying the same passport."""
    keys = [d.number_key for d in person.documents.all()]
    return {person.pk} | set(
        IdentityDocument.objects.filter(number_key__in=keys).values_list("person_id", flat=True)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--with-birth-year", action="store_true")
    parser.add_argument("--typo", choices=("clerk", "any"), default="clerk")
    parser.add_argument("--worst", type=int, default=0, help="list the N slowest names")
    options = parser.parse_args()
    rng = random.Random(options.seed)
    user = User.objects.filter(administration__code="FJ", role=Role.OFFICER).first()
    client = signed_in(user)
    persons = sample(user.administration_id, options.runs, rng)
    total = Person.objects.filter(administration_id=user.administration_id).count()
    print(f"{total:,} persons of FJ; {len(persons)} misspelled names asked.")
    client.get("/api/v1/persons/match/", {"q": "warm up"})
    mistake = typo if options.typo == "any" else misspell
    times, sql_times, cpu_times, first, top3, examples = [], [], [], 0, 0, []
    slowest = []
    unique, unique_top3 = 0, 0
    for person in persons:
        typed = mistake(rng, person.full_name)
        query = {"q": typed}
        if options.with_birth_year:
            query["birth_year"] = person.birth_year
        spent = []
        started, cpu_started = time.perf_counter(), time.process_time()
        with sql_time(spent):
            response = client.get("/api/v1/persons/match/", query)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
        sql_times.append(sum(spent))
        slowest.append((times[-1], sum(spent), cpu_times[-1], typed))
        assert response.status_code == 200, response.content
        found = [candidate["id"] for candidate in response.json()]
        wanted = same_person(person)
        first += bool(found[:1] and found[0] in wanted)
        top3 += bool(wanted & set(found[:3]))
        namesakes = Person.objects.filter(
            administration_id=user.administration_id, full_name=person.full_name
        ).exclude(pk__in=wanted)
        if not namesakes.exists():
            unique += 1
            unique_top3 += bool(wanted & set(found[:3]))
            if len(examples) < 8 and not wanted & set(found[:3]):
                examples.append((person.full_name, typed, len(found)))
    p50, p95 = p50_p95(times)
    sql_p50, sql_p95 = p50_p95(sql_times)
    cpu_p50, cpu_p95 = p50_p95(cpu_times)
    print(
        table(
            [
                (
                    ms(p50),
                    ms(p95),
                    ms(sql_p50),
                    ms(sql_p95),
                    ms(cpu_p50),
                    ms(cpu_p95),
                    ms(max(times)),
                    f"{first / len(persons):.1%}",
                    f"{top3 / len(persons):.1%}",
                    f"{unique_top3 / max(unique, 1):.1%} of {unique}",
                )
            ],
            (
                "p50 ms",
                "p95 ms",
                "SQL p50",
                "SQL p95",
                "CPU p50",
                "CPU p95",
                "max ms",
                "first",
                "top 3",
                "top 3, name borne by no one else",
            ),
        )
    )
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for wall, sql, cpu, typed in sorted(slowest, reverse=True)[: options.worst]:
        print(f"  slow: {typed!r} {ms(wall)} ms (SQL {ms(sql)}, CPU {ms(cpu)})")
    for name, typed, count in examples:
        print(
            f"  missed (name borne by no one else): {name!r} typed {typed!r} ({count} candidates)"
        )


if __name__ == "__main__":
    main()
