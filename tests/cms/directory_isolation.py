"""The support directory's row in the staff isolation matrix (tests/staff/test_isolation.py)."""

from cms.models import SupportService


def support_service_of(programme) -> SupportService:
    """The partner's one directory entry, named after it so the other partner's pages can be searched for it."""
    service, _ = SupportService.objects.get_or_create(
        partner=programme["partner"],
        name=f"{programme['tag']} Listening Line",
        defaults={"helps_with": f"{programme['tag']} people who need someone to listen.", "phone": "0800 123 456"},
    )
    return service
