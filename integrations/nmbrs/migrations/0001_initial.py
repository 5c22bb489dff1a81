"""Nmbrs' state moves out of the portal app into this one (issue: each integration owns its state).

- NmbrsCredentials: by state only. Its table stays `portal_nmbrscredentials` (Meta.db_table), so every
  installed portal keeps its rows; portal's migration 0029 drops it from the portal's state (also by state
  only) after the columns that pointed at it are gone.
- NmbrsLink (per administration), NmbrsPortalAccess (the portal's credentials) and NmbrsImportOptions
  (per import settings row) are new tables, filled here from the portal's former columns:
  Administration.use_portal_nmbrs_credentials / own_nmbrs_credentials / nmbrs_company_id / _number / _name,
  PortalSettings.nmbrs_credentials, ImportSettings.wage_tax_return_status / nmbrs_number_must_match.
  Portal's 0029 drops those columns afterwards.
"""

import django.db.models.deletion
from django.db import migrations, models

import portal.fields

CONNECTION_STATUSES = [("not_connected", "Not connected"), ("authorised", "Authorised"),
                       ("broken", "Re-authorisation needed")]
LINK_FIELDS = {"use_portal_credentials": "use_portal_nmbrs_credentials", "own_credentials_id": "own_nmbrs_credentials_id",
               "company_id": "nmbrs_company_id", "company_number": "nmbrs_company_number",
               "company_name": "nmbrs_company_name"}
OPTION_FIELDS = {"wage_tax_return_status": "wage_tax_return_status", "number_must_match": "nmbrs_number_must_match"}


def copy_from_portal(apps, schema_editor):
    Administration = apps.get_model("portal", "Administration")
    PortalSettings = apps.get_model("portal", "PortalSettings")
    ImportSettings = apps.get_model("portal", "ImportSettings")
    NmbrsLink = apps.get_model("nmbrs", "NmbrsLink")
    NmbrsPortalAccess = apps.get_model("nmbrs", "NmbrsPortalAccess")
    NmbrsImportOptions = apps.get_model("nmbrs", "NmbrsImportOptions")
    NmbrsLink.objects.bulk_create([
        NmbrsLink(administration_id=row.pop("pk"), **{new: row[old] for new, old in LINK_FIELDS.items()})
        for row in Administration.objects.values("pk", *LINK_FIELDS.values())])
    NmbrsPortalAccess.objects.bulk_create([
        NmbrsPortalAccess(portal_id=pk, credentials_id=credentials)
        for pk, credentials in PortalSettings.objects.values_list("pk", "nmbrs_credentials_id")])
    NmbrsImportOptions.objects.bulk_create([
        NmbrsImportOptions(import_settings_id=row.pop("pk"), **{new: row[old] for new, old in OPTION_FIELDS.items()})
        for row in ImportSettings.objects.values("pk", *OPTION_FIELDS.values())])


def copy_back(apps, schema_editor):
    Administration = apps.get_model("portal", "Administration")
    PortalSettings = apps.get_model("portal", "PortalSettings")
    ImportSettings = apps.get_model("portal", "ImportSettings")
    for link in apps.get_model("nmbrs", "NmbrsLink").objects.all():
        Administration.objects.filter(pk=link.administration_id).update(
            **{old: getattr(link, new) for new, old in LINK_FIELDS.items()})
    for access in apps.get_model("nmbrs", "NmbrsPortalAccess").objects.all():
        PortalSettings.objects.filter(pk=access.portal_id).update(nmbrs_credentials_id=access.credentials_id)
    for options in apps.get_model("nmbrs", "NmbrsImportOptions").objects.all():
        ImportSettings.objects.filter(pk=options.import_settings_id).update(
            **{old: getattr(options, new) for new, old in OPTION_FIELDS.items()})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("portal", "0028_sent_journal_lines"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NmbrsCredentials",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("login_email", models.EmailField(max_length=254,
                                                          verbose_name="Client ID (Nmbrs login e-mail)")),
                        ("api_token", portal.fields.EncryptedTextField(blank=True, default="",
                                                                       verbose_name="Client Secret (Nmbrs API token)")),
                        ("tenant_key", models.CharField(
                            help_text="The part before .nmbrs.nl, e.g. 'kantoor' for kantoor.nmbrs.nl",
                            max_length=100, verbose_name="Tenant Key")),
                        ("tenant_name", models.CharField(blank=True, max_length=200, verbose_name="Tenant Name")),
                        ("status", models.CharField(choices=CONNECTION_STATUSES, default="not_connected",
                                                    max_length=20, verbose_name="connection status")),
                        ("status_reason", models.TextField(blank=True, verbose_name="explanation of the status")),
                        ("validated_at", models.DateTimeField(blank=True, null=True,
                                                              verbose_name="checked with Nmbrs at")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={"verbose_name": "Nmbrs credentials", "verbose_name_plural": "Nmbrs credentials",
                             "db_table": "portal_nmbrscredentials"},
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="NmbrsLink",
            fields=[
                ("administration", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                                        primary_key=True, related_name="nmbrs_link",
                                                        serialize=False, to="portal.administration")),
                ("use_portal_credentials", models.BooleanField(default=False,
                                                               verbose_name="use the portal's Nmbrs credentials")),
                ("own_credentials", models.OneToOneField(blank=True, null=True,
                                                         on_delete=django.db.models.deletion.SET_NULL,
                                                         related_name="+", to="nmbrs.nmbrscredentials")),
                ("company_id", models.BigIntegerField(blank=True, null=True, verbose_name="Nmbrs company ID")),
                ("company_number", models.CharField(blank=True, max_length=40, verbose_name="Nmbrs company number")),
                ("company_name", models.CharField(blank=True, max_length=200, verbose_name="Nmbrs company name")),
            ],
            options={"verbose_name": "Nmbrs link"},
        ),
        migrations.CreateModel(
            name="NmbrsPortalAccess",
            fields=[
                ("portal", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                related_name="nmbrs_access", serialize=False,
                                                to="portal.portalsettings")),
                ("credentials", models.OneToOneField(blank=True, null=True,
                                                     on_delete=django.db.models.deletion.SET_NULL,
                                                     related_name="+", to="nmbrs.nmbrscredentials")),
            ],
            options={"verbose_name": "portal's Nmbrs credentials"},
        ),
        migrations.CreateModel(
            name="NmbrsImportOptions",
            fields=[
                ("import_settings", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                                         primary_key=True, related_name="nmbrs_options",
                                                         serialize=False, to="portal.importsettings")),
                ("wage_tax_return_status", models.CharField(
                    choices=[("locked", "Locked"), ("sent", "Sent"), ("accepted", "Accepted"), ("any", "Any status")],
                    default="locked", max_length=20, verbose_name="wage tax return status to fetch (Nmbrs)")),
                ("number_must_match", models.BooleanField(
                    default=False,
                    verbose_name="Nmbrs: the company number must match the Relatiecode (link automatically)")),
            ],
            options={"verbose_name": "Nmbrs import options", "verbose_name_plural": "Nmbrs import options"},
        ),
        migrations.RunPython(copy_from_portal, copy_back),
    ]
