import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("portal", "0029_vendor_state_in_the_integrations"),
    ]

    operations = [
        migrations.CreateModel(
            name="PaperclipLink",
            fields=[
                ("administration", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                                        primary_key=True, related_name="paperclip_link",
                                                        serialize=False, to="portal.administration")),
                ("employer_code", models.CharField(blank=True, max_length=20, verbose_name="employer code")),
            ],
        ),
    ]
