from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from communities import services
from communities.hosts import community_url
from communities.models import Membership, Regency


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
            user = services.user_get_or_create(email=admin_email)
            services.membership_set(user=user, community=community, role=Membership.Role.ADMIN)
            self.stdout.write(f"{user.email} is its admin.")
            if not user.has_usable_password():
                self.stdout.write("They set a password with 'Lupa kata sandi' on the login page.")
