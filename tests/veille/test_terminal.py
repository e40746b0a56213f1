from veille.terminal import clean, snippet_to_rich


def test_marks_become_styles_and_entities_are_decoded():
    text = snippet_to_rich("un &lt;b&gt; <mark>laser</mark> puissant")
    assert text.plain == "un <b> laser puissant"
    assert [(s.start, s.end) for s in text.spans] == [(7, 12)]


def test_terminal_escapes_are_dropped():
    assert clean("titre\x1b[31m rouge\x07") == "titre[31m rouge"
