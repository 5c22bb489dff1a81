"""Loket's state moves out of the portal app into this one (issue: each integration owns its state).

- LoketConnection: by state only. Its table stays `portal_loketconnection` (Meta.db_table), so every
  installed portal keeps its rows and tokens; portal's migration 0029 drops it from the portal's state
  (also by state only) after the columns that pointed at it are gone.
- LoketLink (per administration) and LoketPortalAccess (the portal's connection) are new tables, filled
  here from the portal's former columns: Administration.use_portal_loket_access / own_loket_connection and
  PortalSettings.loket_connection. Portal's 0029 drops those columns afterwards.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import portal.fields


def copy_from_portal(apps, schema_editor):
    Administration = apps.get_model("portal", "Administration")
    PortalSettings = apps.get_model("portal", "PortalSettings")
    LoketLink = apps.get_model("loket", "LoketLink")
    LoketPortalAccess = apps.get_model("loket", "LoketPortalAccess")
    LoketLink.objects.bulk_create([
        LoketLink(administration_id=pk, use_portal_access=use_portal, own_connection_id=own)
        for pk, use_portal, own in Administration.objects.values_list(
            "pk", "use_portal_loket_access", "own_loket_connection_id")])
    LoketPortalAccess.objects.bulk_create([
        LoketPortalAccess(portal_id=pk, connection_id=connection)
        for pk, connection in PortalSettings.objects.values_list("pk", "loket_connection_id")])


def copy_back(apps, schema_editor):
    Administration = apps.get_model("portal", "Administration")
    PortalSettings = apps.get_model("portal", "PortalSettings")
    for link in apps.get_model("loket", "LoketLink").objects.all():
        Administration.objects.filter(pk=link.administration_id).update(
            use_portal_loket_access=link.use_portal_access, own_loket_connection_id=link.own_connection_id)
    for access in apps.get_model("loket", "LoketPortalAccess").objects.all():
        PortalSettings.objects.filter(pk=access.portal_id).update(loket_connection_id=access.connection_id)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("portal", "0028_sent_journal_lines"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LoketConnection",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("environment", models.CharField(max_length=20, verbose_name="Loket environment")),
                        ("access_token", portal.fields.EncryptedTextField(blank=True, default="")),
                        ("refresh_token", portal.fields.EncryptedTextField(blank=True, default="")),
                        ("access_token_expires_at", models.DateTimeField(blank=True, null=True)),
                        ("status", models.CharField(choices=[("not_connected", "Not connected"),
                                                             ("authorised", "Authorised"),
                                                             ("broken", "Re-authorisation needed")],
                                                    default="not_connected", max_length=20)),
                        ("status_reason", models.TextField(blank=True)),
                        ("authorised_at", models.DateTimeField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("authorised_by", models.ForeignKey(blank=True, null=True,
                                                            on_delete=django.db.models.deletion.SET_NULL,
                                                            related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"verbose_name": "Loket connection", "db_table": "portal_loketconnection"},
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="LoketLink",
            fields=[
                ("administration", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                                        primary_key=True, related_name="loket_link",
                                                        serialize=False, to="portal.administration")),
                ("use_portal_access", models.BooleanField(default=True,
                                                          verbose_name="use the portal's Loket access")),
                ("own_connection", models.OneToOneField(blank=True, null=True,
                                                        on_delete=django.db.models.deletion.SET_NULL,
                                                        related_name="+", to="loket.loketconnection")),
            ],
            options={"verbose_name": "Loket link"},
        ),
        migrations.CreateModel(
            name="LoketPortalAccess",
            fields=[
                ("portal", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                related_name="loket_access", serialize=False,
                                                to="portal.portalsettings")),
                ("connection", models.OneToOneField(blank=True, null=True,
                                                    on_delete=django.db.models.deletion.SET_NULL,
                                                    related_name="+", to="loket.loketconnection")),
            ],
            options={"verbose_name": "portal's Loket access"},
        ),
        migrations.RunPython(copy_from_portal, copy_back),
    ]
