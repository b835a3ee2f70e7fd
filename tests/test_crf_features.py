"""CRF features: neighbours land at the right offsets, cached words give identical features."""

from __future__ import annotations

from piikit.tuners.crf.features import Featurizer, FeatureSettings
from piikit.tuners.crf.tagging import tokenize


def _feats(text, settings=None, language="de"):
    return Featurizer(settings).featurize(tokenize(text), text, language)


def test_neighbours_are_seen_at_their_offsets():
    feats = _feats("Herr Max Müller, IBAN DE12")
    # tokens: Herr Max Müller , IBAN DE12
    assert {"-1:w=herr", "1:w=müller", "2:w=,", "-2:BOS"} <= set(feats[1])
    assert {"-2:w=max", "-1:w=müller", "1:w=iban", "2:w=de12"} <= set(feats[3])
    assert {"-1:w=iban", "1:EOS"} <= set(feats[5])
    assert "1:cap" in feats[0] and "-1:cap" in feats[2]  # near neighbours carry capitalisation
    assert not any(f.startswith(("3:", "-3:")) for fs in feats for f in fs)


def test_word_shape_case_digits_language_and_glue():
    feats = _feats("Tel.: +49 30/1234567 ANNA")
    by_word = {f[1]: set(f) for f in feats}
    assert {"sh=Xxx", "title", "glued>", "lang=de"} <= by_word["w=tel"]
    assert {"sh=dd/ddddddd", "ss=d/d", "nd=9", "dig+punct"} <= by_word["w=30/1234567"]
    assert {"upper", "scr=LATIN", "EOS"} <= by_word["w=anna"]
    assert "glued<" in by_word["w=49"] and "glued>" in by_word["w=+"]


def test_non_latin_scripts_get_script_and_caseless_shape():
    feats = _feats("Иван 東京", language="ru")
    assert {"scr=CYRILLIC", "sh=Xxxx", "title"} <= set(feats[0])
    assert {"scr=CJK", "sh=L"} <= set(feats[1])


def test_cache_gives_the_same_features_and_never_mutates():
    text = "Anna Anna Anna"
    f1 = Featurizer()
    first = f1.featurize(tokenize(text), text, "en")
    second = f1.featurize(tokenize(text), text, "en")
    assert first == second == Featurizer().featurize(tokenize(text), text, "en")
    assert first[0] is not first[1]


def test_settings_switch_feature_families_off():
    plain = FeatureSettings(window=0, affixes=0, bigrams=False, language=False)
    feats = _feats("Anna Schmidt", plain)
    flat = [f for fs in feats for f in fs]
    assert not any(f.startswith(("p1=", "s1=", "bg", "lang=", "1:", "-1:")) for f in flat)
    assert "w=anna" in flat


def test_word_frequency_tells_everyday_words_from_rare_ones():
    from piikit.tuners.crf.gazetteer import frequency_class

    # everyday words of any of the six languages are common; invented or rare surnames are not
    assert frequency_class("office") == "5" and frequency_class("Madre") == "5"
    assert frequency_class("orchestra") in {"3", "4"}
    assert frequency_class("Yefremova") == frequency_class("Zqxvelt") == "rare"
    feats = _feats("Kaczmarek sang", FeatureSettings(frequency=True), language="en")
    assert {"fq=rare", "fq=rare|cap"} <= set(feats[0])
    assert "fq=rare" not in feats[1] and any(f.endswith("|low") for f in feats[1])
    # off unless asked for (a model saved before the feature existed gets what it was trained with)
    assert not any(f.startswith("fq=") for fs in _feats("Kaczmarek sang") for f in fs)


def test_sentence_feature_tells_a_capital_at_a_sentence_start_from_one_inside():
    text = "Kaczmarek sang. Then Dr. Smith met anna\nBob"
    feats = _feats(text, FeatureSettings(frequency=True, sentence=True), language="en")
    words = [t.text for t in tokenize(text)]
    mark = {w: [f for f in fs if f.startswith(("s0|", "in|"))] for w, fs in zip(words, feats)}
    assert mark["Kaczmarek"] == ["s0|cap|rare"]  # first token
    assert mark["Then"][0].startswith("s0|cap|")  # after "."
    assert mark["Smith"][0].startswith("in|cap|")  # the dot of "Dr." ends no sentence
    assert mark["anna"][0].startswith("in|low|")
    assert mark["Bob"][0].startswith("s0|cap|")  # first of a line
    # off unless asked for (models saved before it existed keep their features)
    assert not any(f.startswith(("s0|", "in|")) for fs in _feats(text) for f in fs)


def test_sentence_feature_by_language_adds_the_rows_language_and_honours_a_models_features():
    text = "Kaczmarek sang. Then Größe"
    by_lang = FeatureSettings(frequency=True, sentence=True, sentence_language=True)
    words = [t.text for t in tokenize(text)]
    for lang in ("en", "de"):
        feats = dict(zip(words, _feats(text, by_lang, language=lang)))
        assert {"s0|cap|rare", f"s0|cap|rare|{lang}"} <= set(feats["Kaczmarek"])
        assert f"in|cap|rare|{lang}" in feats["Größe"]
    assert not any(f.count("|") == 3 for fs in _feats(text, FeatureSettings(frequency=True, sentence=True), "en") for f in fs)
    # a trained model's attribute list filters the joined features like every other one
    f = Featurizer(by_lang)
    f.restrict({"s0|cap|rare|en", "w=kaczmarek"})
    en = f.featurize(tokenize(text), text, "en")
    assert "s0|cap|rare|en" in en[0] and "w=kaczmarek" in en[0]
    assert "s0|cap|rare" not in en[0] and "in|cap|rare|en" not in en[-1]  # not among the model's attributes
    assert not any("|de" in x for fs in f.featurize(tokenize(text), text, "de") for x in fs)
