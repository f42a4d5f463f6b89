from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from communities import services
from communities.hosts import community_url
from communities.models import Membership, Regency
from kimportal.hosts import main_url


class Command(BaseCommand):
    help = "Create a community (KIM) whose subdomain serves at once."

    def add_arguments(self, parser):
        parser.add_argument("name", help='Display name, e.g. "KIM Kraton Kidul"')
        parser.add_argument("slug", help="Subdomain, e.g. kratonkidul")
        parser.add_argument("regency_code", help="Kemendagri code of the kabupaten/kota, e.g. 33.75")
        parser.add_argument("--admin-email", help="Make this account (created if new) the community admin")

    def handle(self, *args, name, slug, regency_code, admin_email=None, **options):
        regency = Regency.objects.filter(code=regency_code).first()
        if regency is None:
            raise CommandError(
                f"No kabupaten/kota with code {regency_code!r}; run seed_demo or load_regions."
            )
        try:
            community = services.community_create(name=name, slug=slug, regency=regency)
        except ValidationError as error:
            raise CommandError("; ".join(m for ms in error.message_dict.values() for m in ms)) from error
        self.stdout.write(self.style.SUCCESS(f"{community.name} is live at {community_url(community)}"))
        if admin_email:
            # An invitation, not a bare account: it works for a new address (the link creates the
            # account with its password) and for an existing one (sign in, then accept).
            with transaction.atomic():
                invitation = services.invitation_create(
                    community=community, invited_by=None, role=Membership.Role.ADMIN, email=admin_email
                )
            link = main_url(invitation.get_absolute_url())
            self.stdout.write(f"Invitation to be its admin sent to {invitation.email}: {link}")
