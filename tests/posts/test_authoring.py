"""Writing a post in the member area, from the outside: the form, photos, saving, preview."""

from posts.models import Post

from .conftest import form_data, upload


def test_it_creates_a_draft_with_photos(world, client_for, in_tenant, media_in_tmp):
    client = client_for(world.community_a, user=world.member_a)

    response = client.post(
        "/kelola/tulisan/baru/", form_data(photos=[upload("a.jpg"), upload("b.png", content=None)])
    )

    assert response.status_code == 302
    with in_tenant(world.community_a):
        post = Post.objects.get()
        assert response["Location"] == f"/kelola/tulisan/{post.pk}/"
        assert post.author == world.member_a
        assert post.status == Post.Status.DRAFT
        assert post.slug == "posyandu-balita-di-rw-05"
        assert post.body == (
            "<p>Kader posyandu menimbang 40 balita.</p><p>Warga juga mendapat penyuluhan gizi.</p>"
        )
        assert sorted(post.tags.names()) == ["kesehatan", "posyandu"]
        photos = list(post.photos.all())
    assert len(photos) == 2
    assert [p.position for p in photos] == [1, 2]
    paths = photos[0].renditions
    assert paths["jpeg"].endswith("/og.jpg") and paths["jpeg"].startswith("photos/")
    assert set(paths["webp"]) == {"480"}
    assert (media_in_tmp / world.community_a.schema_name / paths["webp"]["480"]).exists()
