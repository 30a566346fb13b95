"""kg.readers: text, HTML, RSS/Atom and JSON Lines; stable ids; bad input reported, batch goes on."""
from __future__ import annotations

import json
import socket
import threading
from pathlib import Path


import kg.readers.base as base
from kg.readers import MAX_BYTES, NewsItem, ReadError, read_path, read_paths
from kg.readers.ids import content_id, normalize_url, url_id

ROOT = Path(__file__).resolve().parents[1]

AR_TITLE = "المنظمة الدولية للهجرة عقدت حوارا إقليميا في الأردن"
AR_BODY = ("وطنية - أطلقت المنظمة الدولية للهجرة حوارا إقليميا عن مكافحة الاتجار بالبشر، بدعم من مكتب وزارة "
           "الخارجية الأميركية لمراقبة ومكافحة الاتجار بالبشر.\nوقال مدير مكتب المنظمة في لبنان إن التعاون ضروري.")
AR_TEXT = f"{AR_TITLE}\n{AR_BODY}\n=========م.ع\nمصدر الخبر: الوكالة الوطنية للإعلام\n"
EN_TITLE = "IOM, PSD train investigators on identifying trafficking victims"
EN_BODY = ("AMMAN — IOM Jordan, in cooperation with the Public Security Directorate, on Sunday concluded a "
           "five-day training for investigators.\nThe training was funded by the US Department of State.")
URL = "https://www.jordantimes.com/news/local/iom-psd-train-investigators"

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>The Jordan Times</title><link>https://www.jordantimes.com</link><language>en</language>
<item><title>{EN_TITLE}</title>
<link>{URL}?utm_source=rss&amp;utm_medium=feed</link>
<pubDate>Sun, 21 Apr 2024 23:30:00 +0300</pubDate>
<description><![CDATA[<p>{EN_BODY.splitlines()[0]}</p><p>{EN_BODY.splitlines()[1]}</p><script>alert(1)</script>]]></description>
</item>
<item><title>Headline only</title><link>https://www.jordantimes.com/news/empty</link><description></description></item>
<item><title>Second story</title><link>https://www.jordantimes.com/news/second</link>
<description>UNHCR and the Ministry of Interior held a workshop in Amman on civil documentation.</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">
<title>الوكالة الوطنية للإعلام</title><id>urn:nna</id><updated>2023-05-10T10:00:00Z</updated>
<entry><title>{AR_TITLE}</title><id>urn:nna:1</id>
<link rel="alternate" href="https://nna-leb.gov.lb/ar/%D8%A3%D9%85%D9%86/12345"/>
<published>2023-05-10T01:15:00+03:00</published><updated>2023-05-10T01:15:00+03:00</updated>
<content type="html">&lt;p&gt;{AR_BODY.splitlines()[0]}&lt;/p&gt;</content></entry>
</feed>"""

HTML = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{EN_TITLE} | Jordan Times</title>
<link rel="canonical" href="http://jordantimes.com/news/local/iom-psd-train-investigators/#comments">
<meta property="og:site_name" content="Jordan Times">
<meta property="article:published_time" content="2024-04-21T10:00:00+03:00">
<script>var secret = "tracking-script-text";</script><style>.nav{{color:red}}</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sports">Sports menu item</a></li></ul></nav>
<header><div class="menu">Subscribe to our newsletter</div></header>
<article><h1>{EN_TITLE}</h1>
<p>{EN_BODY.splitlines()[0]} The course covered interviewing techniques and referral of victims.</p>
<p>{EN_BODY.splitlines()[1]} Thirty officers of the unit and public prosecutors took part in the sessions.</p>
</article>
<footer>Copyright footer text</footer>
</body></html>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://x.example/1</link><description>&lol9;</description></item>
</channel></rss>"""


def write(tmp: Path, name: str, content: str | bytes) -> Path:
    p = tmp / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def read(path) -> tuple[list[NewsItem], list[ReadError]]:
    out = list(read_path(path))
    return [x for x in out if isinstance(x, NewsItem)], [x for x in out if isinstance(x, ReadError)]


# -- ids ---------------------------------------------------------------------------------------

def test_url_normalization() -> None:
    same = ["HTTPS://WWW.JordanTimes.com:443/news/local/iom-psd-train-investigators/?utm_source=tw#top",
            "http://jordantimes.com/news/local/iom-psd-train-investigators?fbclid=abc",
            URL + "?utm_campaign=x&gclid=1"]
    assert {normalize_url(u) for u in same} == {"https://jordantimes.com/news/local/iom-psd-train-investigators"}
    assert len({url_id(u) for u in same}) == 1
    assert normalize_url("https://x.org/a?b=2&a=1") == normalize_url("https://x.org/a?a=1&b=2")
    assert url_id("https://x.org/a?id=1") != url_id("https://x.org/a?id=2")  # real parameters count
    assert url_id("https://x.org/News") != url_id("https://x.org/news")  # path case is kept
    # raw and percent-encoded Arabic paths are one URL; the slug is readable ASCII
    enc = url_id("https://nna-leb.gov.lb/ar/%D8%A3%D9%85%D9%86/12345")
    assert enc == url_id("https://www.nna-leb.gov.lb/ar/أمن/12345")
    assert enc.startswith("nna-leb.gov.lb-ar-") and enc.isascii()
    i = url_id(URL)
    assert i.startswith("jordantimes.com-news-local-iom-psd-train-investigators-") and len(i.split("-")[-1]) == 12


def test_content_ids() -> None:
    a = content_id(f"{EN_TITLE}\n{EN_BODY}")
    assert a == content_id(EN_BODY, EN_TITLE)  # the title counted once
    assert a == content_id(f"  {EN_TITLE}\r\n\n{EN_BODY}  ".replace("IOM", "IOM"), None)  # whitespace
    assert a != content_id(EN_BODY)
    assert a.startswith("iom-psd-train-investigators")
    ar = content_id(AR_TEXT)
    assert ar == content_id(AR_TEXT.replace("حوارا", "حوارًا"))  # diacritics do not count
    assert ar.isascii() and ar.startswith("almnzma-aldwlya")


# -- each format -----------------------------------------------------------------------------------

def test_plain_text_arabic_nna_and_english(tmp_path) -> None:
    items, errors = read(write(tmp_path, "nna.txt", AR_TEXT))
    assert not errors
    (it,) = items
    assert it.title == AR_TITLE and it.lang == "ar" and it.fmt == "text" and it.name == "nna"
    assert it.text == AR_TEXT and it.url is None and it.published is None
    assert it.full_text == it.text
    assert it.id == content_id(AR_TEXT)
    (en,), _ = read(write(tmp_path, "jt.txt", f"\ufeff{EN_TITLE}\r\n{EN_BODY}\r\n"))
    assert en.title == EN_TITLE and en.lang == "en" and "\r" not in en.text and not en.text.startswith("\ufeff")


def test_cp1256_text(tmp_path) -> None:
    items, errors = read(write(tmp_path, "old.txt", AR_TEXT.encode("cp1256")))
    assert not errors and items[0].text == AR_TEXT and items[0].lang == "ar"
    assert items[0].id == content_id(AR_TEXT)  # the same item as its UTF-8 copy
    # bytes that are neither UTF-8 nor Arabic cp1256: reported
    _, errors = read(write(tmp_path, "latin.txt", ("Déjà vu à Genève\n" + "Ça s'est passé à Genève " * 20 +
                                                   "ÿþý").encode("latin-1") + b"\x81\x8d\x9d"))
    assert errors and "encoding" in errors[0].reason


def test_html_main_text_without_navigation_or_scripts(tmp_path) -> None:
    items, errors = read(write(tmp_path, "page.html", HTML))
    assert not errors
    (it,) = items
    assert it.fmt == "html" and it.lang == "en" and it.published == "2024-04-21"
    assert "investigators" in it.text and "Thirty officers" in it.text
    for junk in ("tracking-script-text", "Sports menu item", "color:red", "Copyright footer"):
        assert junk not in it.text
    assert it.title.startswith("IOM, PSD train investigators")
    assert it.source == "Jordan Times"
    assert it.url and it.id == url_id(URL)  # canonical URL: same id as the feed entry


def test_rss_feed(tmp_path) -> None:
    items, errors = read(write(tmp_path, "jt.rss", RSS))
    assert [i.title for i in items] == [EN_TITLE, "Second story"]
    first = items[0]
    assert first.fmt == "rss" and first.source == "The Jordan Times" and first.lang == "en"
    assert first.published == "2024-04-21"  # the publisher's day, not shifted to UTC
    assert first.id == url_id(URL) and first.url.startswith(URL)
    assert "alert" not in first.text and first.text.splitlines()[1].startswith("The training")
    (err,) = errors
    assert err.where.startswith("entry 2") and "empty" in err.reason


def test_atom_feed_arabic(tmp_path) -> None:
    items, errors = read(write(tmp_path, "nna.atom", ATOM))
    assert not errors
    (it,) = items
    assert it.fmt == "atom" and it.lang == "ar" and it.title == AR_TITLE and it.published == "2023-05-10"
    assert it.url == "https://nna-leb.gov.lb/ar/%D8%A3%D9%85%D9%86/12345"
    assert it.text == AR_BODY.splitlines()[0] and it.full_text.startswith(AR_TITLE + "\n")
    assert it.source == "الوكالة الوطنية للإعلام" and it.name == "urn:nna:1"


def test_jsonl_with_a_bad_line(tmp_path) -> None:
    lines = [
        json.dumps({"id": "jt-1", "url": URL, "title": EN_TITLE, "published": "2024-04-21T10:00:00Z",
                    "source": "The Jordan Times", "lang": "en", "text": EN_BODY}),
        "{not json",
        "",
        json.dumps({"id": "nna-1", "title": AR_TITLE, "text": AR_BODY, "lang": "ar"}, ensure_ascii=False),
        json.dumps(["a list"]),
        json.dumps({"id": "no-text", "title": "x"}),
        json.dumps({"id": 7, "text": 12}),
        json.dumps({"text": "Untitled story about UNHCR in Erbil.", "published": "sometime"}),
        json.dumps({"text": "UNHCR and IOM met in Erbil.", "published": 1683676800}),
    ]
    items, errors = read(write(tmp_path, "export.jsonl", "\n".join(lines) + "\n"))
    assert [i.name for i in items] == ["jt-1", "nna-1", None, None]
    assert [e.where for e in errors] == ["line 2", "line 5", "line 6", "line 7"]
    assert "JSON" in errors[0].reason and "object" in errors[1].reason and "text" in errors[2].reason
    jt, nna, untitled, stamped = items
    assert stamped.published == "2023-05-10"
    assert jt.id == url_id(URL) and jt.published == "2024-04-21" and jt.lang == "en" and jt.fmt == "jsonl"
    assert nna.lang == "ar" and nna.id == content_id(AR_TITLE + "\n" + AR_BODY)
    assert untitled.published is None and untitled.lang == "en"


def test_same_item_in_every_format_is_one_id(tmp_path) -> None:
    write(tmp_path, "a/page.html", HTML)
    write(tmp_path, "a/feed.rss", RSS)
    write(tmp_path, "a/x.jsonl", json.dumps({"url": URL + "/", "text": EN_BODY}) + "\n")
    write(tmp_path, "b/nna.txt", AR_TEXT)
    write(tmp_path, "b/nna.jsonl", json.dumps({"title": AR_TITLE, "text": AR_BODY + "\n=========م.ع\n"
                                               "مصدر الخبر: الوكالة الوطنية للإعلام"}, ensure_ascii=False))
    items, _ = read(tmp_path / "a")
    jt = [i for i in items if i.title is None or i.title.startswith("IOM") or i.fmt == "jsonl"]
    assert len(jt) == 3 and len({i.id for i in jt}) == 1
    items, _ = read(tmp_path / "b")
    assert len(items) == 2 and items[0].id == items[1].id


# -- bad input ---------------------------------------------------------------------------------------

def test_billion_laughs_is_refused_quickly(tmp_path) -> None:
    items, errors = read(write(tmp_path, "bomb.xml", BOMB))
    assert not items and len(errors) == 1 and "entities" in errors[0].reason


def test_external_entities_and_dtds_are_not_fetched(tmp_path) -> None:
    hits: list[bytes] = []
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    port = srv.getsockname()[1]
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            hits.append(conn.recv(1000))
            conn.close()

    t = threading.Thread(target=accept)
    t.start()
    secret = write(tmp_path, "secret.txt", "TOP-SECRET-VALUE")
    try:
        xxe = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">'
               f'<!ENTITY f SYSTEM "file://{secret}">]>'
               '<rss version="2.0"><channel><title>t</title><item><title>&x;&f;</title>'
               '<link>https://x.example/1</link><description>d &f;</description></item></channel></rss>')
        items, errors = read(write(tmp_path, "xxe.rss", xxe))
        assert not items and errors and "refused" in errors[0].reason
        dtd = (f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:{port}/rss.dtd">'
               '<rss version="2.0"><channel><title>t</title><item><title>Story</title>'
               '<link>https://x.example/2</link><description>Body text here.</description></item></channel></rss>')
        items, errors = read(write(tmp_path, "dtd.rss", dtd))
        assert [i.title for i in items] == ["Story"] and not errors
    finally:
        stop.set()
        t.join()
        srv.close()
    assert hits == []
    assert all("TOP-SECRET" not in i.text for i in items)


def test_broken_binary_empty_and_huge_files(tmp_path, monkeypatch) -> None:
    write(tmp_path, "1-broken.rss", "<rss version='2.0'><channel><<<&&&>>> </chan")
    write(tmp_path, "1-truncated.rss", "<rss version='2.0'><channel><item><title>x</title><link>")
    write(tmp_path, "2-binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 2)
    write(tmp_path, "3-empty.txt", "  \n\n ")
    write(tmp_path, "4-title-only.txt", "Just a headline\n")
    write(tmp_path, "5-binary.jsonl", b"\x00\x01\x02" * 100)
    write(tmp_path, "6-binary.html", b"\x00" * 64)
    write(tmp_path, "7-not-a-feed.xml", "<?xml version='1.0'?><catalog><book>x</book></catalog>")
    write(tmp_path, "8-huge.txt", "x" * 2000)
    write(tmp_path, "9-good.txt", f"{EN_TITLE}\n{EN_BODY}\n")
    write(tmp_path, "9-good.gold.json", "{}")  # records are not news files: skipped in a folder
    write(tmp_path, ".hidden.txt", "hidden\nfile\n")
    monkeypatch.setattr(base, "MAX_BYTES", 1000)
    items, errors = read(tmp_path)
    assert [i.name for i in items] == ["9-good"]
    by_file = {Path(e.path).name: e.reason for e in errors}
    assert sorted(by_file) == ["1-broken.rss", "1-truncated.rss", "2-binary.txt", "3-empty.txt", "4-title-only.txt",
                               "5-binary.jsonl", "6-binary.html", "7-not-a-feed.xml", "8-huge.txt"]
    assert "malformed" in by_file["1-truncated.rss"]
    assert "broken feed" in by_file["1-broken.rss"] and "binary" in by_file["2-binary.txt"]
    assert "empty" in by_file["3-empty.txt"] and "empty" in by_file["4-title-only.txt"]
    assert "too large" in by_file["8-huge.txt"] and "1,000" in by_file["8-huge.txt"]
    assert MAX_BYTES == 20 * 1024 * 1024


def test_long_jsonl_line_is_skipped_and_the_rest_read(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("kg.readers.jsonl.MAX_BYTES", 500)
    good = json.dumps({"text": "UNHCR opened an office in Erbil."})
    path = write(tmp_path, "x.jsonl", "\n".join([good, json.dumps({"text": "y" * 3000}), good.replace("Erbil", "Duhok")]))
    items, errors = read(path)
    assert [e.where for e in errors] == ["line 2"] and "too long" in errors[0].reason
    assert [i.text[-6:] for i in items] == ["Erbil.", "Duhok."]


def test_paths_missing_unknown_and_order(tmp_path) -> None:
    a = write(tmp_path, "z.txt", f"{EN_TITLE}\n{EN_BODY}")
    b = write(tmp_path, "notes.docx", "A title\nand a body line")
    sniffed = write(tmp_path, "feed-without-extension", RSS)
    out = list(read_paths([a, tmp_path / "missing.txt", b, sniffed]))
    assert isinstance(out[0], NewsItem)
    assert isinstance(out[1], ReadError) and "no such" in out[1].reason
    assert isinstance(out[2], NewsItem)  # an explicitly named file of another extension is sniffed: text
    assert [x.fmt for x in out[3:] if isinstance(x, NewsItem)] == ["rss", "rss"]
    err = ReadError("f.rss", "empty item", "entry 2")
    assert str(err) == "f.rss: entry 2: empty item"


def test_bundled_samples_read() -> None:
    items, errors = read(ROOT / "data" / "samples")
    assert not errors and len(items) == 14
    assert {i.lang for i in items} == {"ar", "en"}
    assert len({i.id for i in items}) == 14


def test_html_without_trafilatura_falls_back_to_lxml(tmp_path, monkeypatch) -> None:
    import kg.readers.html as html_reader

    monkeypatch.setattr(html_reader, "_trafilatura", None)
    (it,), errors = read(write(tmp_path, "page.html", HTML))
    assert not errors and it.published == "2024-04-21" and it.id == url_id(URL)
    assert "Thirty officers" in it.text
    for junk in ("tracking-script-text", "Sports menu item", "Copyright footer", "newsletter"):
        assert junk not in it.text
