"""The Markdown subset: what users write is what readers see."""

from __future__ import annotations

from hallbardocs.richtext import FootnoteRef, Heading, LineBreak, ListBlock, Paragraph, Span, parse


def test_plain_paragraphs_take_the_fast_path_and_join_soft_line_breaks() -> None:
    text = parse("Första raden\nfortsätter här.\n\nAndra stycket.")
    assert text.blocks == (
        Paragraph((Span("Första raden fortsätter här."),)),
        Paragraph((Span("Andra stycket."),)),
    )


def test_bold_italic_and_links() -> None:
    (paragraph,) = parse("Ett **fett** och *kursivt* ord och [en länk](https://example.se).").blocks
    assert isinstance(paragraph, Paragraph)
    assert paragraph.inlines == (
        Span("Ett "),
        Span("fett", bold=True),
        Span(" och "),
        Span("kursivt", italic=True),
        Span(" ord och "),
        Span("en länk", link="https://example.se"),
        Span("."),
    )


def test_template_syntax_html_and_entities_stay_literal() -> None:
    source = "Vård & omsorg <SoL> {{ titel }} {% if x %} &amp; `kod` ![bild](x.png)"
    assert parse(source).plain() == source


def test_bullet_and_numbered_lists_nest() -> None:
    source = "- ett\n- två\n\n  3. tre\n  4. fyra\n"
    (block,) = parse(source).blocks
    assert isinstance(block, ListBlock) and not block.ordered
    nested = block.items[1][1]
    assert isinstance(nested, ListBlock) and nested.ordered and nested.start == 3
    assert parse(source).plain() == "ett\ntvå\ntre\nfyra"


def test_footnotes_are_collected_by_label() -> None:
    text = parse("Text med not[^a].\n\n[^a]: Notens *text*.")
    (paragraph,) = text.blocks
    assert isinstance(paragraph, Paragraph)
    assert FootnoteRef("a") in paragraph.inlines
    assert text.footnotes["a"] == (Paragraph((Span("Notens "), Span("text", italic=True), Span("."))),)


def test_a_footnote_reference_without_a_definition_is_plain_text() -> None:
    assert parse("Text[^saknas].").plain() == "Text[^saknas]."


def test_headings_are_clamped_to_the_allowed_levels() -> None:
    text = parse("# Ett\n\n#### Fyra", min_heading=2, max_heading=3)
    assert [b.level for b in text.blocks if isinstance(b, Heading)] == [2, 3]


def test_a_hard_line_break_is_kept() -> None:
    (paragraph,) = parse("rad ett  \nrad två").blocks
    assert isinstance(paragraph, Paragraph)
    assert LineBreak() in paragraph.inlines


def test_empty_text_is_empty() -> None:
    assert not parse("")
    assert not parse("   \n ")
    assert not parse(None)


def test_a_link_reference_definition_is_shown_as_written() -> None:
    text = parse("Se [Källa] här.\n\n[Källa]: https://example.se/rapport")
    assert text.plain() == "Se [Källa] här.\n\n[Källa]: https://example.se/rapport"
    assert all(not isinstance(i, Span) or i.link is None for b in text.blocks if isinstance(b, Paragraph) for i in b.inlines)


def test_a_footnote_that_nothing_refers_to_is_shown_as_written() -> None:
    text = parse("Text.\n\n[^1]: En *fristående* not.")
    assert text.plain() == "Text.\n\n[^1]: En fristående not."
    assert text.footnotes == {}
    assert text.blocks[1] == Paragraph((Span("[^1]: En "), Span("fristående", italic=True), Span(" not.")))


def test_a_second_definition_of_a_footnote_is_shown_as_written() -> None:
    text = parse("Text[^1].\n\n[^1]: Första.\n\n[^1]: Andra.")
    assert text.footnotes == {"1": (Paragraph((Span("Första."),)),)}
    assert text.plain() == "Text.\n\n[^1]: Andra."


def test_a_link_to_anything_but_a_web_or_mail_address_is_shown_as_written() -> None:
    source = "Se [sidan](www.example.se), [start](/start), [x](javascript:alert(1)) och [tom]()."
    text = parse(source)
    assert text.plain() == source
    assert all(not isinstance(i, Span) or i.link is None for b in text.blocks if isinstance(b, Paragraph) for i in b.inlines)


def test_web_and_mail_links_stay_links() -> None:
    (paragraph,) = parse("[Mejla](mailto:miljo@example.se) eller [läs](http://example.se).").blocks
    assert isinstance(paragraph, Paragraph)
    assert [(i.text, i.link) for i in paragraph.inlines if isinstance(i, Span) and i.link] == [
        ("Mejla", "mailto:miljo@example.se"),
        ("läs", "http://example.se"),
    ]


def test_autolinks_and_inline_notes_are_shown_as_written() -> None:
    source = "Se <https://example.se> och priset^[inklusive moms]."
    assert parse(source).plain() == source
    assert parse(source).footnotes == {}
