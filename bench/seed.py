"""Seed a benchmark database, reproducibly: `python bench/seed.py small|large` (sizes in SIZES).

Community schemas are copies of the template (kim_clone_schema). Only the "hit" community holds real
posts with photos (a few through the real pipeline, their renditions shared); the other feed entries
exist only in the public tables and borrow its covers.
"""

import io
import random
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

from portal import FeedEntry, Submission  # sets Django up: before the other imports

# isort: split
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django_tenants.utils import tenant_context
from PIL import Image, ImageDraw

from communities import services as community_services
from communities.models import Community, Domain, Regency
from feed import services as feed_services
from feed import textsearch
from feed.services import cover_of, post_path
from posts.models import Category, Photo, Post, PostRevision
from posts.photos import photo_add
from posts.snapshots import post_snapshot

SEED = 20261127
SIZES = {
    "small": {"communities": 50, "regencies": 10, "entries": 2_000, "submissions": 500},
    "large": {"communities": 1_000, "regencies": 35, "entries": 100_000, "submissions": 100_000},
}
HIT_POSTS = 200  # real posts in the hit community (the same at both sizes)
HIT_SLUG = "kim-bench-0000"
CLONE_BATCH = 25
WORDS = (
    "warga gotong royong membangun jalan desa posyandu balita kesehatan pelatihan batik umkm panen padi "
    "kerja bakti saluran air sekolah pendidikan lingkungan sampah bank budaya tari festival pasar kelurahan "
    "kecamatan musyawarah pembangunan bantuan sosial vaksinasi lansia remaja karang taruna perpustakaan "
    "pertanian nelayan koperasi wisata kuliner kerajinan bambu sungai hutan mangrove banjir relawan"
).split()
TAGS = [w for w in WORDS if len(w) > 4][:50]


def vocabulary(size: int = 6000) -> tuple[list[str], list[float]]:
    """Real words among made-up ones, Zipf-weighted, so a search matches a realistic share of the feed."""
    rng = random.Random(SEED)
    syllables = "ba ka la ma na pa ra sa ta ja di ri ngu tan pur wa".split()
    made_up = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 2)}
    words = sorted(made_up - set(WORDS))[: size - len(WORDS)]
    rng.shuffle(words)
    for rank, word in zip(range(40, 40 + 15 * len(WORDS), 15), WORDS, strict=False):
        words.insert(rank, word)
    return words, [1 / (rank + 1) for rank in range(len(words))]


VOCABULARY, WEIGHTS = vocabulary()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCABULARY, WEIGHTS, k=n))


# Stories that recur across a province's KIM, each in about 1 post in 60 at either size: the bench's
# search (bench/measure.py SEARCH_WORDS) fills its 20-post page in the small seed as in the large, so
# their server times compare the same page over 50 times as many matches, not 13 posts against 20.
TOPICS = (
    "Warga gotong royong membantu pembangunan jalan desa menuju balai kelurahan.",
    "Posyandu balita dan lansia mengadakan pemeriksaan kesehatan gratis bagi warga.",
    "Kelompok tani memulai panen padi bersama penyuluh pertanian kecamatan.",
    "Karang taruna menggelar festival budaya dan pasar kuliner umkm di lapangan desa.",
)
TOPIC_SHARE = 1 / 15


def body(rng: random.Random, n: int) -> str:
    """n words of the vocabulary; in TOPIC_SHARE of posts, one of the recurring stories after them."""
    words = sentence(rng, n)
    return f"{words} {rng.choice(TOPICS)}" if rng.random() < TOPIC_SHARE else words


def make_communities(rng: random.Random, count: int, regency_count: int) -> list[Community]:
    regencies = list(Regency.objects.order_by("code")[:regency_count])
    rows = [
        Community(
            name=f"KIM Bench {i:04d}",
            slug=f"kim-bench-{i:04d}",
            schema_name=f"kim_bench_{i:04d}",
            regency=regencies[i % len(regencies)],
            about=sentence(rng, 30),
        )
        for i in range(count)
    ]
    Community.objects.bulk_create(rows, batch_size=1000)
    communities = list(Community.objects.filter(slug__startswith="kim-bench-").order_by("slug"))
    Domain.objects.bulk_create(
        [Domain(tenant=c, domain=c.host, is_primary=True) for c in communities], batch_size=1000
    )
    template = settings.COMMUNITY_TEMPLATE_SCHEMA
    # Each clone locks its ~45 relations until commit: batches must fit PostgreSQL's shared lock
    # table (64 x max_connections slots by default), beside what other sessions hold.
    for start in range(0, len(communities), CLONE_BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            for community in communities[start : start + CLONE_BATCH]:
                cursor.execute("SELECT public.kim_clone_schema(%s, %s)", [template, community.schema_name])
    return communities


PHOTO_FILES = 4  # generated photos, their renditions shared by every post
PHOTOS_PER_POST = 2
SHARED = ("caption", "width", "height", "renditions")  # what a post's photo copies of a generated one


def pipeline_photos(author) -> list[Photo]:
    """A few generated 1600x1200 JPEGs through the upload pipeline: real renditions on disk."""
    photos = []
    for i in range(PHOTO_FILES):
        image = Image.new("RGB", (1600, 1200), (30 + 40 * i, 110, 170 - 30 * i))
        ImageDraw.Draw(image).ellipse((200 + 80 * i, 250, 1400, 950), fill=(230, 170 + 20 * i, 40))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        upload = SimpleUploadedFile(f"bench-{i}.jpg", buffer.getvalue(), content_type="image/jpeg")
        photos.append(photo_add(post_or_none=None, uploader=author, uploaded_file=upload, caption="Kegiatan"))
    return photos


def hit_posts(rng: random.Random, community: Community, author, now) -> tuple[list[FeedEntry], list[dict]]:
    """Real posts (live revision, photos) in the hit community's schema: their feed entries and snapshots."""
    entries, snapshots = [], []
    media = Path(settings.MEDIA_ROOT) / community.schema_name
    shutil.rmtree(media, ignore_errors=True)  # an earlier seed's files: no row points at them now
    with tenant_context(community):
        sources = pipeline_photos(author)
        for i in range(HIT_POSTS):
            title = f"{sentence(rng, 6).capitalize()} {i}"
            published = now - timedelta(minutes=37 * i)
            post = Post.objects.create(
                author=author,
                title=title,
                slug=f"{slugify(title)}-{i}",
                body=f"<p>{sentence(rng, 120)}</p><p>{body(rng, 80)}</p>",
                category=rng.choice(Category.values),
                activity_date=published.date(),
                activity_place="Balai warga",
                status=Post.Status.PUBLISHED,
                published_at=published,
            )
            post.tags.set(rng.sample(TAGS, 3))
            chosen = [sources[(i + k) % len(sources)] for k in range(PHOTOS_PER_POST)]
            photos = Photo.objects.bulk_create(
                Photo(post=post, uploaded_by=author, position=k, **{f: getattr(src, f) for f in SHARED})
                for k, src in enumerate(chosen)
            )
            post.cover = photos[0]
            snapshot = post_snapshot(post)
            revision = PostRevision.objects.create(post=post, number=1, snapshot=snapshot)
            Post.objects.filter(pk=post.pk).update(live_revision=revision, cover=post.cover)
            entries.append(feed_entry(community, post.pk, snapshot, published))
            snapshots.append(snapshot)
        Photo.objects.filter(pk__in=[source.pk for source in sources]).delete()  # files stay: shared
    return entries, snapshots


def feed_entry(community: Community, post_id: int, snapshot: dict, published) -> FeedEntry:
    text = " ".join(snapshot["body"].replace("<p>", " ").replace("</p>", " ").split())
    places = feed_services.place_text(community, snapshot.get("activity_place", ""))
    tags = " ".join(snapshot["tags"])
    # The search index as publishing writes it (feed.textsearch), inserted with the row.
    index = textsearch.document((snapshot["title"], "A"), (tags, "A"), (places, "B"), (text, "C"))
    return FeedEntry(
        place_text=places,
        search_vector=index,
        search_version=textsearch.STEMMER_VERSION,
        community=community,
        community_name=community.name,
        regency_id=community.regency_id,
        province_id=community.regency.province_id,
        post_id=post_id,
        slug=snapshot["slug"],
        title=snapshot["title"],
        excerpt=" ".join(text.split()[:40]),
        body_text=text,
        category=snapshot["category"],
        tag_names=snapshot["tags"],
        tag_slugs=[slugify(t) for t in snapshot["tags"]],
        cover=cover_of(snapshot),
        community_slug=community.slug,
        path=post_path(snapshot["slug"]),
        activity_date=published.date(),
        published_at=published,
    )


def synthetic_entries(rng, communities, count, covers: list[dict], now, offset) -> list[FeedEntry]:
    entries = []
    for i in range(offset, offset + count):
        community = communities[rng.randrange(1, len(communities))]  # not the hit community
        title = f"{sentence(rng, 7).capitalize()} {i}"
        snapshot = {
            "title": title,
            "slug": f"{slugify(title)}-{i}",
            "body": f"<p>{body(rng, 90)}</p>",
            "category": rng.choice(Category.values),
            "tags": rng.sample(TAGS, 3),
            "photos": covers[i % len(covers)]["photos"],
            "cover_id": covers[i % len(covers)]["cover_id"],
        }
        entries.append(
            feed_entry(community, 1_000_000 + i, snapshot, now - timedelta(seconds=rng.randrange(63_000_000)))
        )
    return entries


def main(size: str) -> None:
    spec = SIZES[size]
    rng = random.Random(SEED)
    started = time.perf_counter()
    if Community.objects.filter(slug=HIT_SLUG).exists():
        print(f"{size} seed already present")
        return
    community_services.regions_load()
    author = community_services.user_get_or_create(email="penulis@bench.kim", full_name="Penulis Bench")
    editor = community_services.user_get_or_create(email="editor@bench.kim", full_name="Editor Bench")
    communities = make_communities(rng, spec["communities"], spec["regencies"])
    for regency in {c.regency for c in communities}:
        community_services.editor_assign(user=editor, regency=regency)
    t_schemas = time.perf_counter() - started

    now = timezone.now()
    hit = communities[0]
    real, covers = hit_posts(rng, hit, author, now)
    covers = covers[:PHOTO_FILES]
    FeedEntry.objects.bulk_create(real, batch_size=2000)
    remaining = spec["entries"] - len(real)
    for start in range(0, remaining, 10_000):
        batch = synthetic_entries(rng, communities, min(10_000, remaining - start), covers, now, start)
        FeedEntry.objects.bulk_create(batch, batch_size=2000)
    table = FeedEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(  # what feed.services keeps after each approval
            "UPDATE communities_community c SET last_published_at = latest.at FROM ("
            f" SELECT community_id, max(published_at) AS at FROM {table} GROUP BY community_id"
            ") latest WHERE latest.community_id = c.id"
        )
    feed_services.vocabulary_rebuild()  # the words of every entry, as publishing counts them
    t_entries = time.perf_counter() - started - t_schemas

    submissions = [
        Submission(
            community=community,
            regency_id=community.regency_id,
            post_id=2_000_000 + i,
            revision_number=1,
            author=author,
            snapshot={
                "title": sentence(rng, 6),
                "category": "kegiatan",
                "photos": covers[i % len(covers)]["photos"][:1],
            },
            submitted_at=now - timedelta(minutes=rng.randrange(60 * 24 * 30)),
        )
        for i, community in enumerate(rng.choice(communities) for _ in range(spec["submissions"]))
    ]
    Submission.objects.bulk_create(submissions, batch_size=5000)
    with connection.cursor() as cursor:
        # As autovacuum would leave them: the search index's pending list merged, statistics fresh.
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")
    total = time.perf_counter() - started
    print(
        f"seeded {size}: {len(communities)} communities (schemas {t_schemas:.1f} s), "
        f"{spec['entries']} feed entries ({t_entries:.1f} s), {spec['submissions']} submissions; "
        f"{total:.1f} s in all"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "small")
