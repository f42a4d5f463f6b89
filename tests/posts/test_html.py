"""The body sanitiser (posts.html): what survives, what goes, and plain text."""

import pytest

from posts.html import body_html, editable_text, plain_text, sanitize


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        (
            "<p>Halo <strong>warga</strong> <em>semua</em></p>",
            "<p>Halo <strong>warga</strong> <em>semua</em></p>",
        ),
        (
            "<h2>Sub</h2><h3>Subsub</h3><blockquote>kutip</blockquote>",
            "<h2>Sub</h2><h3>Subsub</h3><blockquote>kutip</blockquote>",
        ),
        ("<ul><li>satu</li></ul><ol><li>dua</li></ol>", "<ul><li>satu</li></ul><ol><li>dua</li></ol>"),
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ("<style>p{color:red}</style><p>teks</p>", "<p>teks</p>"),
        ('<p onclick="x()" style="color:red" class="c">teks</p>', "<p>teks</p>"),
        ('<img src="x" onerror="alert(1)">sesudah', "sesudah"),
        ('<a href="javascript:alert(1)">klik</a>', '<a rel="nofollow noopener ugc">klik</a>'),
        ('<a href="JaVaScRiPt:alert(1)">klik</a>', '<a rel="nofollow noopener ugc">klik</a>'),
        ('<a href="data:text/html,x">klik</a>', '<a rel="nofollow noopener ugc">klik</a>'),
        ('<a href="/relatif">klik</a>', '<a rel="nofollow noopener ugc">klik</a>'),
        (
            '<a href="https://kim.id/x" target="_blank" rel="opener">klik</a>',
            '<a href="https://kim.id/x" rel="nofollow noopener ugc">klik</a>',
        ),
        (
            '<a href="mailto:kim@desa.id">surel</a>',
            '<a href="mailto:kim@desa.id" rel="nofollow noopener ugc">surel</a>',
        ),
        ("<h1>besar</h1><iframe src=x></iframe><table><tr><td>sel</td></tr></table>", "besarsel"),
        ("<div>satu</div><div>dua</div>", "<p>satu</p><p>dua</p>"),
        ("<p>a<!-- komentar -->b</p>", "<p>ab</p>"),
        ("<svg><script>alert(1)</script></svg>teks", "teks"),
    ],
)
def test_sanitize_keeps_the_allow_list_only(dirty, clean):
    assert sanitize(dirty) == clean


def test_plain_text_becomes_paragraphs_and_line_breaks():
    assert body_html("Satu\nbaris dua\n\n\nParagraf <5000 & murah") == (
        "<p>Satu<br>baris dua</p><p>Paragraf &lt;5000 &amp; murah</p>"
    )


def test_an_emptied_editor_counts_as_an_empty_body():
    assert body_html("<p><br></p>") == ""
    assert body_html("   ") == ""


def test_editable_text_gives_back_plain_text_when_only_paragraphs():
    assert editable_text("<p>Satu<br>dua</p><p>tiga &amp; empat</p>") == "Satu\ndua\n\ntiga & empat"
    assert editable_text("<p><b>tebal</b></p>") == "<p><b>tebal</b></p>"
    assert editable_text("<p>tulis &lt;b&gt; saja</p>") == "<p>tulis &lt;b&gt; saja</p>"


def test_body_html_round_trips_through_the_plain_textarea():
    for typed in ["Satu\n\nDua\ntiga", "harga <5000 & diskon", "<p>Halo <em>warga</em></p>"]:
        stored = body_html(typed)
        assert body_html(editable_text(stored)) == stored


def test_plain_text():
    body = "<h2>Judul</h2><p>Warga&nbsp;RW 05 <b>bergotong</b> royong.</p><ul><li>satu</li><li>dua</li></ul>"
    assert plain_text(body) == "Judul Warga RW 05 bergotong royong. satu dua"
    assert plain_text("<p>a</p><script>jahat()</script>") == "a"


def test_typed_text_with_an_inline_tag_keeps_its_paragraphs():
    assert body_html("Satu\nbaris dua\n\nTiga <b>tebal</b> & <script>x()</script>empat") == (
        "<p>Satu<br>baris dua</p><p>Tiga <b>tebal</b> &amp; empat</p>"
    )
