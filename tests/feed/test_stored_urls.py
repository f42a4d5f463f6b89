"""Feed entries store their post's host and path; scheme, domain and port are joined when shown, so a
change of configuration reaches old entries too."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from feed.models import FeedEntry


def test_old_entries_follow_a_change_of_scheme_and_port(world, publish, main_client, settings, no_page_cache):
    post = publish(world.community_a, world.member_a, "Kabar lama")
    settings.SITE_SCHEME, settings.SITE_PORT = "https", ":8443"

    html = main_client.get("/").content.decode()
    rss = main_client.get(f"/provinsi/{world.province.slug}/rss/").content.decode()

    url = f"https://kratonkidul.kim.localhost:8443/berita/{post.slug}/"
    assert f'href="{url}"' in html
    assert f"<link>{url}</link>" in rss
    assert "http://kratonkidul" not in html + rss


def test_the_migration_turns_stored_urls_into_paths(world, publish):
    post = publish(world.community_a, world.member_a, "Kabar sebelum migrasi")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: the table is altered
    executor = MigrationExecutor(connection)
    executor.migrate([("feed", "0003_feedentry")])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE feed_feedentry SET canonical_url = %s WHERE post_id = %s",
            [f"http://kratonkidul.kim.localhost:8000/berita/{post.slug}/", post.pk],
        )

    executor.loader.build_graph()
    executor.migrate([("feed", "0004_feedentry_path")])

    entry = FeedEntry.objects.get(community=world.community_a, post_id=post.pk)
    assert (entry.community_slug, entry.path) == ("kratonkidul", f"/berita/{post.slug}/")
    assert entry.canonical_url == f"http://kratonkidul.kim.localhost/berita/{post.slug}/"
