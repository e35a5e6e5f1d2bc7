from aircop.audit.models import AuditEntry
from aircop.core.visibility import register, visible_to


@register(AuditEntry)
def _audit_policy(qs, user):
    # The audit log is read by auditors and programme administrators only.
    if getattr(user, "role", None) in {"auditor", "admin"}:
        return qs
    return qs.none()


def audit_entries(user, *, action: str | None = None):
    qs = visible_to(AuditEntry, user).select_related(None)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-seq")
