"""feed's answers to the hooks of the layers below: the tenancy layer's and the notices'."""

from django.dispatch import receiver

from communities.models import Community
from communities.signals import community_changed
from notices.models import Notice
from notices.signals import notice_changed

from .services import entries_follow_community, notice_index


@receiver(community_changed, sender=Community)
def community_changed_follow(sender, community: Community, changed: set[str], **kwargs) -> None:
    entries_follow_community(community=community, changed=changed)


@receiver(notice_changed, sender=Notice)
def notice_changed_index(sender, notice: Notice, **kwargs) -> None:
    notice_index(notice=notice)
