"""The "To check" page at scale: a partial index on the documents waiting for a check, an index
on the domains' names, and statistics on (state, check_by_person).

Without the statistics PostgreSQL multiplies the two columns' frequencies as if they were independent,
while check_by_person is only ever true for a document in needs_check: with 9,000 of a million documents
waiting for a person it expected about 100, so it could not see that walking the domains by name and
reading the waiting documents of their administrations (the two indexes) finds the page's 50 rows after a
few domains. With the statistics it plans that, and still reads the waiting documents directly and sorts
them when only a few wait (the usual case). README's benchmark section (bench_pages) has the figures."""

from django.db import migrations, models

STATISTICS = "ledger_state_check_by_person"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":  # make run's SQLite has no extended statistics
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (mcv) ON state, check_by_person FROM portal_ledgerentry")
    # Extended statistics are empty until the table is analysed; autovacuum may not do that for days on a
    # large table that changes little. A sample of the table, about a second at a million documents.
    schema_editor.execute("ANALYZE portal_ledgerentry")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0029_vendor_state_in_the_integrations"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="domain",
            index=models.Index(fields=["name"], name="domain_by_name"),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(condition=models.Q(("state", "needs_check")), fields=["check_by_person", "administration"],
                               name="ledger_waiting_for_check"),
        ),
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
    ]
