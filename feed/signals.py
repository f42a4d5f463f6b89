"""feed's answers to the tenancy layer's hook."""

from django.dispatch import receiver

from communities.models import Community
from communities.signals import community_changed

from .services import entries_follow_community


@receiver(community_changed, sender=Community)
def community_changed_follow(sender, community: Community, changed: set[str], **kwargs) -> None:
    entries_follow_community(community=community, changed=changed)
