"""Nmbrs REST's own state: the OAuth connections, each administration's link, the portal's app
and subscription key and its shared connection. New tables only: nothing of the portal changes."""

import django.db.models.deletion
import portal.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('portal', '0029_vendor_state_in_the_integrations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NmbrsRestConnection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('environment', models.CharField(max_length=200, verbose_name='Nmbrs REST environment')),
                ('access_token', portal.fields.EncryptedTextField(blank=True, default='')),
                ('refresh_token', portal.fields.EncryptedTextField(blank=True, default='')),
                ('access_token_expires_at', models.DateTimeField(blank=True, null=True)),
                ('scope', models.TextField(blank=True, verbose_name='permissions granted')),
                ('status', models.CharField(choices=[('not_connected', 'Not connected'), ('authorised', 'Authorised'), ('broken', 'Re-authorisation needed')], default='not_connected', max_length=20, verbose_name='connection status')),
                ('status_reason', models.TextField(blank=True, verbose_name='explanation of the status')),
                ('authorised_at', models.DateTimeField(blank=True, null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('authorised_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'Nmbrs REST connection',
            },
        ),
        migrations.CreateModel(
            name='NmbrsRestLink',
            fields=[
                ('administration', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='nmbrs_rest_link', serialize=False, to='portal.administration')),
                ('use_portal_access', models.BooleanField(default=True, verbose_name="use the portal's Nmbrs REST access")),
                ('company_id', models.CharField(blank=True, max_length=40, verbose_name='Nmbrs company (REST ID)')),
                ('company_number', models.CharField(blank=True, max_length=40, verbose_name='Nmbrs company number')),
                ('company_name', models.CharField(blank=True, max_length=200, verbose_name='Nmbrs company name')),
                ('debtor_id', models.CharField(blank=True, max_length=40)),
                ('moved_from_soap_at', models.DateTimeField(blank=True, null=True)),
                ('own_connection', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='nmbrs_rest.nmbrsrestconnection')),
            ],
            options={
                'verbose_name': 'Nmbrs REST link',
            },
        ),
        migrations.CreateModel(
            name='NmbrsRestPortalAccess',
            fields=[
                ('portal', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='nmbrs_rest_access', serialize=False, to='portal.portalsettings')),
                ('client_id', models.CharField(blank=True, max_length=200, verbose_name='Client ID (Nmbrs app)')),
                ('client_secret', portal.fields.EncryptedTextField(blank=True, default='', verbose_name='Client secret (Nmbrs app)')),
                ('subscription_key', portal.fields.EncryptedTextField(blank=True, default='', verbose_name='Subscription key (Nmbrs product)')),
                ('connection', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='nmbrs_rest.nmbrsrestconnection')),
            ],
            options={
                'verbose_name': "portal's Nmbrs REST access",
            },
        ),
    ]
