"""The document loader: header, verbatim text, page furniture, and errors on bad input."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.corpus.documents import load_corpus, load_document
from kg.errors import DocumentError

from ..conftest import HEADER, ROOT

SEEDS = ROOT.parent / "shared" / "seeds"


def furniture_lines(doc):
    return [(f.kind, doc.text[f.start : f.end]) for f in doc.furniture]


def test_corpus_holds_both_articles_in_slug_order():
    slugs = [d.slug for d in load_corpus(ROOT / "corpus")]
    assert slugs == ["faf-why-diplomacy-still-fails", "shafaq-why-us-iran-talks-keep-failing"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
@pytest.mark.parametrize(
    "slug, seed",
    [
        ("shafaq-why-us-iran-talks-keep-failing", "000_677118db979cd206.txt"),
        ("faf-why-diplomacy-still-fails", "003_0bb18fb62eb84a31.txt"),
    ],
)
def test_corpus_text_is_the_seed_verbatim(slug, seed):
    doc = load_document(ROOT / "corpus" / f"{slug}.txt")
    assert doc.text == (SEEDS / seed).read_text(encoding="utf-8")
    assert doc.source_file == seed


def test_shafaq_furniture():
    doc = load_document(ROOT / "corpus" / "shafaq-why-us-iran-talks-keep-failing.txt")
    assert furniture_lines(doc) == [
        ("title", "Why US–Iran talks keep failing, and why tensions persist"),
        ("publisher", "Shafaq News"),
        ("teaser", "Read more: US-Israel threats to Iran: can mediators avert 2025 war?"),
        ("teaser", "Read more: US, Israel, and Iran step up military readiness as regional tensions grow"),
        ("byline", "Written and edited by Shafaq News staff."),
    ]
    assert doc.kind == "news" and doc.date is None and doc.publisher == "Shafaq News"


def test_faf_furniture_includes_unrelated_teasers_but_not_article_text():
    doc = load_document(ROOT / "corpus" / "faf-why-diplomacy-still-fails.txt")
    kinds = furniture_lines(doc)
    assert [k for k, _ in kinds] == ["label", "title", "title", "teaser", "teaser", "teaser", "teaser"]
    teasers = [t for k, t in kinds if k == "teaser"]
    assert any(t.startswith("China’s New Export") for t in teasers)
    assert any(t.startswith("Curtain Falls at the Kennedy Center") for t in teasers)
    # An article sentence that starts with "By" is not a byline.
    start = doc.text.index("By the early 2020s")
    assert doc.furniture_at(start, start + 10) is None


def test_line_of_counts_header_lines():
    doc = load_document(ROOT / "corpus" / "shafaq-why-us-iran-talks-keep-failing.txt")
    lines = doc.path.read_text(encoding="utf-8").splitlines()
    offset = doc.text.index("Iran, by contrast")
    assert "Iran, by contrast" in lines[doc.line_of(offset) - 1]


def test_declared_furniture(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("---\ntitle: T\npublisher: P\nkind: news\nfurniture: [Sponsored]\n---\nText.\nSponsored\n")
    doc = load_document(path)
    assert furniture_lines(doc) == [("declared", "Sponsored")]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"---\ntitle: T\x00\n---\n", "binary"),
        ("---\ntitle: T\npublisher: P\nkind: news\n---\ncaf\xe9".encode("latin-1"), "a.txt:6: not valid UTF-8"),
        (b"Some text without a header\n", "a.txt:1: the document must start"),
        (b"---\ntitle: T\n", "not closed"),
        (b"---\ntitle: [unclosed\n---\nText\n", "not valid YAML"),
        (b"---\ntitle: T\npublisher: P\nkind: blog\n---\nText\n", "kind"),
        (b"---\ntitle: T\npublisher: P\nkind: news\ndate: 2025-13\n---\nText\n", "no month 13"),
        (b"---\ntitle: T\npublisher: P\nkind: news\ndate: 2025-02-30\n---\nText\n", "date"),
        (b"---\ntitle: T\npublisher: P\nkind: news\nauthor: X\n---\nText\n", "unknown header field(s) author"),
        (b"---\ntitle: T\nkind: news\n---\nText\n", "'publisher'"),
        (b"---\ntitle: T\npublisher: P\nkind: news\n---\n  \n", "no text"),
        (b"---\ntitle: T\npublisher: P\nkind: news\nfurniture: [Gone]\n---\nText\n", "declared furniture not found"),
    ],
)
def test_bad_documents_are_refused_with_file_and_place(tmp_path, content, message):
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_file_name_must_be_a_slug(tmp_path):
    path = tmp_path / "Bad Name.txt"
    path.write_text(HEADER + "Text\n")
    with pytest.raises(DocumentError, match="slug"):
        load_document(path)


def test_empty_corpus_folder_is_an_error(tmp_path):
    with pytest.raises(DocumentError, match="no documents"):
        load_corpus(tmp_path)


# Any text, including curly quotes, non-breaking spaces, right-to-left names and CRLF line
# ends, is kept exactly: offsets into it stay valid.
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1
).filter(lambda t: t.strip() and not t.startswith("---"))


@settings(max_examples=150, deadline=None)
@given(body=_text)
def test_text_after_header_is_kept_verbatim(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("doc") / "a.txt"
    path.write_bytes((HEADER + body).encode("utf-8"))
    doc = load_document(path)
    assert doc.text == body
    for span in doc.furniture:
        assert 0 <= span.start < span.end <= len(body)
        assert doc.text[span.start : span.end].strip() == doc.text[span.start : span.end]
