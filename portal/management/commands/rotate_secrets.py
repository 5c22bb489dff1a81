from django.apps import apps
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import crypto
from portal.fields import EncryptedTextField
from portal.management.base import PortalCommand


class Command(PortalCommand):
    help = gettext_lazy("Re-encrypt every stored secret with the newest key of SECRET_ENCRYPTION_KEYS.")

    @transaction.atomic
    def handle(self, **options):
        quote = connection.ops.quote_name
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            table, pk_column = quote(model._meta.db_table), quote(model._meta.pk.column)
            # Raw SQL: the ORM would hand us decrypted values, we want the stored ciphertext.
            with connection.cursor() as cursor:
                columns = ", ".join(quote(f.column) for f in fields)
                cursor.execute(f"SELECT {pk_column}, {columns} FROM {table}")
                for pk, *values in cursor.fetchall():
                    updates = {f.column: crypto.rotate(v) for f, v in zip(fields, values, strict=True) if v}
                    if updates:
                        sets = ", ".join(f"{quote(c)} = %s" for c in updates)
                        cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk_column} = %s",
                                       [*updates.values(), pk])
                        total += len(updates)
        self.stdout.write(self.style.SUCCESS(_("Re-encrypted %(count)s secrets with the newest key.") % {
            "count": total}))
