"""Signals of the tenancy layer: the hook the layers above listen to, and the receivers that drop
cached host answers whenever a community's domains change, however they change (after commit:
dropped earlier, a request in between would cache the old row again)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from .hosts import forget_host
from .models import Community, Domain
from .pages import forget_host_pages

# Sent inside the transaction that changes a community's name, logo, address or kabupaten/kota,
# with `community` and `changed` (the set of field names), so that the rows the layers above keep a
# copy of them in (feed entries, submissions, reports) change in the same transaction.
community_changed = Signal()


def forget(domain: str) -> None:
    forget_host(domain)
    forget_host_pages(domain)


@receiver(pre_save, sender=Domain)
def forget_previous_domain(sender, instance: Domain, **kwargs) -> None:
    if instance.pk:
        previous = Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True).first()
        if previous:
            transaction.on_commit(lambda: forget(previous))


@receiver([post_save, post_delete], sender=Domain)
def forget_domain(sender, instance: Domain, **kwargs) -> None:
    domain = instance.domain
    transaction.on_commit(lambda: forget(domain))


@receiver([post_save, post_delete], sender=Community)
def forget_community_domains(sender, instance: Community, **kwargs) -> None:
    # The cached community carries its profile (name, regency): drop it when the row changes.
    for domain in Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True):
        transaction.on_commit(partial(forget, domain))
