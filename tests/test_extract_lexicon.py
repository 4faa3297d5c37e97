"""Domain lexicon: known OCR confusions in textile and mural terms are corrected, nothing else."""

from extract.lexicon import correct_terms, terms


def test_rare_character_restored_where_the_lexicon_word_fits():
    """Regression: PP-OCR never outputs 繝; 晕繝 came out as 晕綢 / 晕绸."""
    assert correct_terms("晕綢配色使纹样层次分明")[0] == "晕繝配色使纹样层次分明"
    assert correct_terms("暈綢配色")[0] == "暈繝配色"
    assert correct_terms("晕缆条")[0] == "晕繝条"  # seen on the scanned sample book
    text, fixes = correct_terms("唐代緝絲与团巢纹")
    assert text == "唐代緙絲与团窠纹" and ("緝絲", "緙絲") in fixes


def test_real_words_with_the_confused_character_stay():
    for text in ("丝绸之路", "绸缎庄", "山涧", "中間"):
        assert correct_terms(text) == (text, [])


def test_lexicon_loads_both_scripts():
    words = set(terms())
    assert {"晕繝", "暈繝", "缂丝", "緙絲", "藻井", "飞天"} <= words
