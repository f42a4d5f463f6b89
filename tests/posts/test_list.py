"""The "my posts" list: status, the editor's feedback, last change, and a fixed number of queries."""

from django_tenants.utils import tenant_context

from posts.models import Photo, Post
from tests.factories import make_post


def add_posts(world, author, count: int, photos_each: int) -> None:
    with tenant_context(world.community_a):
        for _ in range(count):
            i = Post.objects.count()
            post = Post.objects.create(author=author, title=f"Tulisan {i}", slug=f"tulisan-{i}")
            post.tags.add("batik", f"tag{i}")
            for n in range(photos_each):
                Photo.objects.create(post=post, uploaded_by=author, width=8, height=6, position=n)


def test_it_shows_status_feedback_and_last_change(world, client_for):
    post = make_post(world.community_a, world.member_a, title="Panen raya", submit=True)
    with tenant_context(world.community_a):
        Post.objects.filter(pk=post.pk).update(status="changes_requested", feedback="Foto kurang jelas.")

    text = client_for(world.community_a, user=world.member_a).get("/kelola/").content.decode()

    assert "Panen raya" in text and "Perlu perbaikan" in text
    assert "Catatan editor:" in text and "Foto kurang jelas." in text
    assert "diubah" in text


def test_an_empty_list_invites_to_write(world, client_for):
    text = client_for(world.community_a, user=world.member_a).get("/kelola/").content.decode()

    assert "Belum ada tulisan." in text and 'href="/kelola/tulisan/baru/"' in text


def test_the_query_count_does_not_grow_with_posts_or_photos(world, client_for, django_assert_num_queries):
    client = client_for(world.community_a, user=world.admin_a)

    def count_queries(expected: int):
        client.get("/kelola/")  # warm: host cache, and the connection already on this schema
        with django_assert_num_queries(expected):
            return client.get("/kelola/")

    add_posts(world, world.member_a, 1, 1)
    small = count_queries(6)  # session, user, membership, page count, page, the account menu

    add_posts(world, world.admin_a, 12, 3)
    add_posts(world, world.member_a, 8, 2)
    large = count_queries(6)

    assert small.status_code == large.status_code == 200
    assert large.content.decode().count('class="post-row"') == 21
