"""Which pasted links are a video, in what normal form, and the message for those that are not."""

import pytest
from django.core.exceptions import ValidationError

from posts.videos import embed_url, parse_video_url, still_srcset

YT = "dQw4w9WgXcQ"
WATCH = f"https://www.youtube.com/watch?v={YT}"

ACCEPTED = [
    # YouTube, as browsers and the apps' Share buttons give it
    (f"https://www.youtube.com/watch?v={YT}", "youtube", YT, WATCH),
    (f"http://youtube.com/watch?v={YT}", "youtube", YT, WATCH),
    (f"https://m.youtube.com/watch?v={YT}&feature=share", "youtube", YT, WATCH),
    (f"https://www.youtube.com/watch?app=desktop&v={YT}&list=PL123&index=2", "youtube", YT, WATCH),
    (f"https://youtu.be/{YT}", "youtube", YT, WATCH),
    (f"https://youtu.be/{YT}?si=AbC-123_xyz", "youtube", YT, WATCH),
    (f"https://youtu.be/{YT}?t=90", "youtube", YT, f"{WATCH}&t=90s"),
    (f"https://www.youtube.com/watch?v={YT}&t=1m30s&si=x", "youtube", YT, f"{WATCH}&t=90s"),
    (f"https://www.youtube.com/watch?v={YT}&t=1h2m3s", "youtube", YT, f"{WATCH}&t=3723s"),
    (f"https://www.youtube.com/watch?v={YT}#t=45", "youtube", YT, f"{WATCH}&t=45s"),
    (f"https://www.youtube.com/watch?v={YT}&t=banyak", "youtube", YT, WATCH),  # unreadable t: from the start
    (f"https://youtube.com/shorts/{YT}?si=abc", "youtube", YT, WATCH),
    (f"https://www.youtube.com/live/{YT}?feature=shared", "youtube", YT, WATCH),
    (f"https://www.youtube.com/embed/{YT}", "youtube", YT, WATCH),
    (f"https://www.youtube-nocookie.com/embed/{YT}?start=12", "youtube", YT, f"{WATCH}&t=12s"),
    (f"https://music.youtube.com/watch?v={YT}", "youtube", YT, WATCH),
    (f"youtu.be/{YT}", "youtube", YT, WATCH),  # typed without https://
    (f"www.youtube.com/watch?v={YT}", "youtube", YT, WATCH),
    (f"  https://youtu.be/{YT}\n", "youtube", YT, WATCH),
    (f"Tonton video kerja bakti kami: https://youtu.be/{YT}?si=x", "youtube", YT, WATCH),  # a shared message
    (f"HTTPS://WWW.YOUTUBE.COM/watch?v={YT}", "youtube", YT, WATCH),
    (f"https://www.youtube.com./watch?v={YT}", "youtube", YT, WATCH),
    # Facebook
    (
        "https://www.facebook.com/diskominfojateng/videos/1234567890123456/",
        "facebook",
        "1234567890123456",
        "https://www.facebook.com/diskominfojateng/videos/1234567890123456/",
    ),
    (
        "https://m.facebook.com/diskominfojateng/videos/1234567890123456/?mibextid=abc",
        "facebook",
        "1234567890123456",
        "https://www.facebook.com/diskominfojateng/videos/1234567890123456/",
    ),
    (
        "https://web.facebook.com/kim.kraton/videos/kerja-bakti-rw-05/987654321/",
        "facebook",
        "987654321",
        "https://www.facebook.com/kim.kraton/videos/987654321/",
    ),
    (
        "https://www.facebook.com/watch/?v=1234567890",
        "facebook",
        "1234567890",
        "https://www.facebook.com/watch/?v=1234567890",
    ),
    (
        "https://facebook.com/watch?v=1234567890&ref=sharing",
        "facebook",
        "1234567890",
        "https://www.facebook.com/watch/?v=1234567890",
    ),
    (
        "https://www.facebook.com/watch/live/?v=1234567890",
        "facebook",
        "1234567890",
        "https://www.facebook.com/watch/?v=1234567890",
    ),
    (
        "https://m.facebook.com/video.php?v=1234567890",
        "facebook",
        "1234567890",
        "https://www.facebook.com/watch/?v=1234567890",
    ),
    ("https://fb.watch/aBc-12_XyZ/", "facebook", "aBc-12_XyZ", "https://fb.watch/aBc-12_XyZ/"),
    ("fb.watch/aBc12", "facebook", "aBc12", "https://fb.watch/aBc12/"),
    (
        "https://www.facebook.com/reel/1234567890",
        "facebook",
        "1234567890",
        "https://www.facebook.com/reel/1234567890/",
    ),
    (
        "https://www.facebook.com/share/v/1AbCdEf23/?mibextid=xyz",
        "facebook",
        "1AbCdEf23",
        "https://www.facebook.com/share/v/1AbCdEf23/",
    ),
]

OTHER_SITE = "bukan video YouTube atau Facebook"
YOUTUBE_PAGE = "halaman YouTube, bukan satu video"
FACEBOOK_PAGE = "halaman Facebook, bukan satu video"

REFUSED = [
    ("https://vimeo.com/123456", OTHER_SITE),
    ("https://www.tiktok.com/@kim/video/123", OTHER_SITE),
    ("https://kratonkidul.desa.id/video.mp4", OTHER_SITE),
    ("https://evil-youtube.com/watch?v=" + YT, OTHER_SITE),
    ("https://youtube.com.evil.example/watch?v=" + YT, OTHER_SITE),
    ("https://youtube.com@evil.example/watch?v=" + YT, OTHER_SITE),
    ("https://user:pass@www.youtube.com/watch?v=" + YT, OTHER_SITE),
    ("https://www.youtube.com:abc/watch?v=" + YT, OTHER_SITE),
    ("javascript:alert(document.cookie)", OTHER_SITE),
    ("JavaScript://www.youtube.com/%0Aalert(1)", OTHER_SITE),
    ("data:text/html,<script>alert(1)</script>", OTHER_SITE),
    ("ftp://youtube.com/watch?v=" + YT, OTHER_SITE),
    ("asdf qwerty", OTHER_SITE),
    ("video kerja bakti", OTHER_SITE),
    ("https://youtu.be/" + YT + " https://youtu.be/" + YT, OTHER_SITE),  # two links: which one?
    ("https://youtu.be/" + "x" * 3000, OTHER_SITE),
    ("https://www.youtube.com/@diskominfojateng", YOUTUBE_PAGE),
    ("https://www.youtube.com/channel/UC1234567890abcdefghijkl", YOUTUBE_PAGE),
    ("https://www.youtube.com/c/DiskominfoJateng", YOUTUBE_PAGE),
    ("https://www.youtube.com/playlist?list=PL1234567890", YOUTUBE_PAGE),
    ("https://www.youtube.com/embed/videoseries?list=PL1234567890", YOUTUBE_PAGE),
    ("https://www.youtube.com/", YOUTUBE_PAGE),
    ("https://www.youtube.com/results?search_query=batik", YOUTUBE_PAGE),
    ("https://www.youtube.com/watch?v=short", YOUTUBE_PAGE),
    ("https://www.youtube.com/watch?v=" + YT + "<script>", YOUTUBE_PAGE),
    ("https://youtu.be/", YOUTUBE_PAGE),
    ("https://www.facebook.com/diskominfojateng", FACEBOOK_PAGE),
    ("https://www.facebook.com/diskominfojateng/videos/", FACEBOOK_PAGE),
    ("https://www.facebook.com/watch/?v=abc", FACEBOOK_PAGE),
    ("https://www.facebook.com/groups/123/permalink/456/", FACEBOOK_PAGE),
    ("https://www.facebook.com/story.php?story_fbid=123&id=456", FACEBOOK_PAGE),
    ("https://www.facebook.com/photo/?fbid=123", FACEBOOK_PAGE),
    ("https://fb.watch/", FACEBOOK_PAGE),
]


@pytest.mark.parametrize(("text", "provider", "video_id", "url"), ACCEPTED)
def test_it_reads_the_forms_members_paste(text, provider, video_id, url):
    video = parse_video_url(text)

    assert (video.provider, video.id, video.url) == (provider, video_id, url)
    assert parse_video_url(video.url) == video  # the stored form reads back as the same video


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_it_refuses_what_is_not_one_video_and_says_what_is_accepted(text, reason):
    with pytest.raises(ValidationError) as refused:
        parse_video_url(text)

    message = refused.value.messages[0]
    assert reason in message
    if reason == OTHER_SITE:
        assert "https://youtu.be/" in message and "https://www.facebook.com/" in message


def test_the_player_comes_from_youtube_nocookie_and_starts_where_the_link_said():
    video = parse_video_url(f"https://youtu.be/{YT}?t=90")

    assert embed_url(video) == f"https://www.youtube-nocookie.com/embed/{YT}?autoplay=1&rel=0&start=90"
    assert still_srcset(video)[-1] == (480, f"https://i.ytimg.com/vi/{YT}/hqdefault.jpg")


def test_facebook_plays_in_its_own_player_and_has_no_still():
    video = parse_video_url("https://fb.watch/aBc12/")

    assert embed_url(video).startswith(
        "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Ffb.watch%2FaBc12%2F&"
    )
    assert still_srcset(video) == []
