"""Each integration owns its state: the vendor columns leave the portal's tables.

Runs after the integrations' own 0001 migrations, which copied these columns into their tables
(integrations/loket/migrations/0001_initial.py, integrations/nmbrs/migrations/0001_initial.py). Then:
the columns go, the two moved models leave the portal's state (their tables stay, now owned by the
integrations: state only), their content types follow them, the client number becomes the
administration's vendor-neutral Relatiecode (`relation_code`), and source keys may be 40 characters.
"""

from django.db import migrations, models

import portal.sources.registry

MOVED = {"loketconnection": "loket", "nmbrscredentials": "nmbrs"}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        ContentType.objects.filter(app_label="portal", model=model).update(app_label=app_label)


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model=model).update(app_label="portal")


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0028_sent_journal_lines"),
        ("loket", "0001_initial"),
        ("nmbrs", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        *[migrations.RemoveField(model_name="administration", name=name) for name in (
            "use_portal_loket_access", "own_loket_connection", "use_portal_nmbrs_credentials",
            "own_nmbrs_credentials", "nmbrs_company_id", "nmbrs_company_number", "nmbrs_company_name")],
        migrations.RemoveField(model_name="portalsettings", name="loket_connection"),
        migrations.RemoveField(model_name="portalsettings", name="nmbrs_credentials"),
        migrations.RemoveField(model_name="importsettings", name="wage_tax_return_status"),
        migrations.RemoveField(model_name="importsettings", name="nmbrs_number_must_match"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LoketConnection"),
                              migrations.DeleteModel(name="NmbrsCredentials")],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.AlterField(
            model_name="importsettings", name="import_sepa_files",
            field=models.BooleanField(default=False, verbose_name="SEPA files"),
        ),
        migrations.RenameField(model_name="administration", old_name="loket_client_number", new_name="relation_code"),
        migrations.AlterField(
            model_name="administration", name="relation_code",
            field=models.CharField(blank=True, max_length=20, verbose_name="relation code (Relatiecode)"),
        ),
        migrations.AlterField(
            model_name="administration", name="source",
            field=models.CharField(choices=portal.sources.registry.source_choices,
                                   default=portal.sources.registry.first_key, max_length=40,
                                   verbose_name="payroll source"),
        ),
        migrations.AlterField(
            model_name="assignedemployer", name="source",
            field=models.CharField(choices=portal.sources.registry.source_choices, max_length=40,
                                   verbose_name="payroll source"),
        ),
        migrations.AlterField(model_name="ledgerentry", name="source", field=models.CharField(max_length=40)),
        migrations.AlterField(model_name="importrun", name="source", field=models.CharField(max_length=40)),
        migrations.AlterField(model_name="importrun", name="slot", field=models.CharField(blank=True, max_length=64)),
    ]
