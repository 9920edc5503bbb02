from jaring.accounts.models import AuditEvent, User


def record(
    *,
    actor: User | None,
    action: str,
    target,
    region_code: str,
    before: dict | None,
    after: dict | None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        region_code=region_code,
        before=before,
        after=after,
        reason=reason,
    )


def history(target) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk)
        ).select_related("actor")
    )
