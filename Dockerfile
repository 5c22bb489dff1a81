FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Exactly the locked versions, every hash checked (README: "Dependencies"); a layer of its own, so a
# code change does not reinstall them.
COPY requirements/pip.txt requirements/app.txt requirements/
RUN pip install --no-cache-dir --require-hashes -r requirements/pip.txt && \
    pip install --no-cache-dir --require-hashes -r requirements/app.txt
COPY pyproject.toml README.md CHANGELOG.md ./
COPY payrollsync payrollsync
COPY portal portal
COPY connectors connectors
COPY integrations integrations
COPY yuki_client yuki_client
COPY sandbox sandbox
COPY templates templates
COPY static static
COPY locale locale
COPY manage.py gunicorn.conf.py ./
# The portal itself, without resolving anything again: its dependencies and setuptools come from the lock.
# collectstatic loads the settings, which refuse to start without real keys: throw-away ones, build only.
RUN pip install --no-cache-dir --no-deps --no-build-isolation . && \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    SECRET_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    python manage.py collectstatic --noinput && pip check
# The portal writes its WSDL cache (and the local broker, if used) under var/: owned by the run user.
RUN mkdir -p /app/var && chown -R nobody /app/var
USER nobody
EXPOSE 8000
