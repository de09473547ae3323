"""The text rules on their own: splitting replies from quotes, HTML to text, charsets."""

import pytest

from tickets.channels.email.charsets import decode_text
from tickets.channels.email.html import html_to_text, sanitise
from tickets.channels.email.quotes import split_reply


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("Yes.\n\nOn Mon, 1 Jul 2024, Ana <a@x> wrote:\n> Question?", "Yes."),
        ("Oui.\n\nLe lun. 1 juil. 2024 à 10:00, Ana <a@x> a écrit :\n> Question ?", "Oui."),
        ("Ja.\n\nAm Mo., 1. Juli 2024 um 10:00 Uhr schrieb Ana <a@x>:\n> Frage?", "Ja."),
        ("Sí.\n\nEl lun, 1 jul 2024 a las 10:00, Ana (<a@x>) escribió:\n> ¿Pregunta?", "Sí."),
        ("Fine.\n\n-----Original Message-----\nFrom: x\nSent: y\nTo: z\n\nOld", "Fine."),
        ("Thanks\n\n> old line\n> older line\n", "Thanks"),
        ("Thanks\n-- \nAna\nPhone 1", "Thanks"),
        ("Thanks\n\nSent from my iPhone", "Thanks"),
        # Nothing but a quote: keep everything rather than show an empty message.
        ("> only a quote", "> only a quote"),
        # Inline answers: the quote is part of the reply.
        ("On Mon, Ana wrote:\n> q1\na1\n> q2\na2", "On Mon, Ana wrote:\n> q1\na1\n> q2\na2"),
    ],
)
def test_it_splits_the_reply_from_the_quote(text, visible):
    assert split_reply(text).visible == visible


def test_forwarded_mail_is_never_trimmed():
    text = "FYI\n\nOn Mon, Shop wrote:\n> Your order is late"
    assert split_reply(text, subject="Fwd: late order").visible == text


def test_html_becomes_readable_text():
    html = (
        "<h1>Title</h1><p>One <b>two</b>&nbsp;three</p><ul><li>a</li><li>b</li></ul>"
        "<blockquote>quoted<br>lines</blockquote><p><a href='https://x.example/p'>link</a></p>"
    )
    assert html_to_text(html) == (
        "Title\n\nOne two three\n\n- a\n- b\n\n> quoted\n> lines\n\nlink (https://x.example/p)"
    )


def test_sanitising_keeps_cid_images_and_drops_remote_ones():
    html = '<img src="cid:logo@x"><img src="https://t.example/p.gif"><a href="cid:x">x</a>'
    assert sanitise(html) == '<img src="cid:logo@x"><a rel="noopener noreferrer nofollow">x</a>'


@pytest.mark.parametrize(
    ("payload", "charset", "text"),
    [
        ("Größe".encode(), "iso-8859-1", "Größe"),  # mislabelled UTF-8
        ("“x” €".encode("cp1252"), "iso-8859-1", "“x” €"),  # latin-1 label, cp1252 bytes
        ("café".encode("latin-1"), "utf-8", "café"),  # UTF-8 label, latin-1 bytes
        ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
        ("Niño".encode(), "no-such-charset", "Niño"),
        (b"caf\xe9", None, "café"),
    ],
)
def test_text_decodes_whatever_the_label_says(payload, charset, text):
    assert decode_text(payload, charset) == text
