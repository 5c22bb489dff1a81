"""The Celery app: reads Django settings under the CELERY_ namespace and finds tasks in the apps."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payrollsync.settings")

app = Celery("payrollsync")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
