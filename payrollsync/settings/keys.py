"""The secret key and the keys that encrypt secrets at rest: refused at start when a deployment lacks real ones."""

from cryptography.fernet import Fernet

from payrollsync.setting_errors import SettingRefused, gettext_noop
from payrollsync.settings.environment import DEBUG, env

_MAKE_A_FERNET_KEY = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"

_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY)
# Fernet keys for secrets at rest, newest first: the first encrypts, all decrypt (rotation).
SECRET_ENCRYPTION_KEYS = env.list("SECRET_ENCRYPTION_KEYS", default=[])
_DEV_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1wcm9kdWN0aW9uISE="

if DEBUG:
    # Only a development run (DEBUG on) may use the built-in keys. The sandbox switch alone does not:
    # a sandbox reachable by others with DEBUG off is a deployment, and gets the production checks.
    SECRET_ENCRYPTION_KEYS = SECRET_ENCRYPTION_KEYS or [_DEV_ENCRYPTION_KEY]
else:
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50:
        raise SettingRefused(gettext_noop("Set SECRET_KEY to a random value of at least 50 characters."))
    if not SECRET_ENCRYPTION_KEYS or _DEV_ENCRYPTION_KEY in SECRET_ENCRYPTION_KEYS:
        raise SettingRefused(gettext_noop("Set SECRET_ENCRYPTION_KEYS (comma-separated Fernet keys, newest first). "
                                          "Make one with: %(command)s"), command=_MAKE_A_FERNET_KEY)
    if "change-me" in SECRET_KEY:
        raise SettingRefused(gettext_noop("SECRET_KEY is still the placeholder from .env.example: set a random value."))

# A key that is not a Fernet key would only fail at the first secret saved: refuse it at start.
for _key in SECRET_ENCRYPTION_KEYS:
    try:
        Fernet(_key.encode())
    except ValueError:
        raise SettingRefused(gettext_noop("SECRET_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 bytes, "
                                          "URL-safe base64). Make one with: %(command)s"),
                             command=_MAKE_A_FERNET_KEY) from None
