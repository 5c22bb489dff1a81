"""Demo domains and administrations for sandbox mode, wired to the sandboxes' known accounts."""

from portal.models import Domain


def seed_demo_data() -> list[str]:
    """Idempotent. Returns lines describing what exists."""
    lines = []
    domain, _ = Domain.objects.get_or_create(
        yuki_domain_id="demo-domain", defaults={"name": "Demo Accountants", "payroll_link_active": True}
    )
    lines.append(f"Domain '{domain.name}' with {domain.administrations.count()} administrations")
    return lines
