"""moderation's answers to the tenancy layer's hook."""

from django.dispatch import receiver

from communities.models import Community
from communities.signals import community_changed

from .services import community_queue_follow


@receiver(community_changed, sender=Community)
def community_changed_follow(sender, community: Community, changed: set[str], **kwargs) -> None:
    community_queue_follow(community=community, changed=changed)
