"""The configuration shipped in config/ is valid, complete and unambiguous."""
import unicodedata
from pathlib import Path

import pytest
import yaml

from veille.config import FILES, load_config

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config"

THEME_IDS = {
    "optique-photonique", "aeronautique-spatial", "sante", "numerique", "electronique", "energie",
    "mer", "agroalimentaire", "mobilite", "chimie-materiaux", "textile", "risques-securite",
    "cosmetique-parfum", "environnement", "construction-ville", "mecanique-production",
}
MARKET_IDS = {
    "spatial", "defense", "process-industriels", "tic-telecoms", "eclairage-affichage",
    "sciences-du-vivant", "energie", "transport", "batiment", "agriculture-alimentation",
    "environnement", "securite-civile",
}
REGISTRY_IDS = {
    "thales", "thales-alenia-space", "safran", "airbus", "dassault-aviation", "mbda", "naval-group",
    "arianegroup", "cnes", "onera", "cea", "cnrs", "inria", "inserm", "inrae", "ifremer",
    "institut-optique", "universite-paris-saclay", "universite-grenoble-alpes", "sorbonne-universite",
    "ecole-polytechnique", "stmicroelectronics", "soitec", "lumibird", "exail", "photonis", "sanofi",
    "biomerieux", "edf", "totalenergies", "engie", "schneider-electric", "orange", "alstom", "valeo",
    "stellantis", "michelin", "arkema", "air-liquide", "loreal", "saint-gobain", "bpifrance", "anr",
    "ademe", "commission-europeenne", "opticsvalley", "aerospace-valley", "lyonbiopole",
    "pole-mer-mediterranee", "pole-mer-bretagne-atlantique", "systematic", "minalogic",
    "cosmetic-valley", "vitagora", "techtera", "axelera", "tenerrdis", "cap-energies", "id4car",
    "viameca", "medicen", "alpha-rlh", "photonics-bretagne",
}


def fold(text: str) -> str:
    """Case- and accent-insensitive form, as the matcher and the linker compare."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


@pytest.fixture(scope="module")
def config():
    return load_config(CONFIG)


def categories(config):
    return [("theme", c) for c in config.themes] + [("market", c) for c in config.markets]


def test_all_theme_and_market_ids_present(config):
    assert config.theme_ids == THEME_IDS
    assert config.market_ids == MARKET_IDS


def test_every_category_has_french_and_english_terms(config):
    for kind, category in categories(config):
        assert category.label and category.label_en and category.description, category.id
        low_fr, low_en = (25, 20) if kind == "theme" else (20, 15)
        assert len(category.terms.fr) >= low_fr, f"{kind} {category.id}: trop peu de termes fr"
        assert len(category.terms.en) >= low_en, f"{kind} {category.id}: trop peu de termes en"


def test_terms_are_lower_case_and_weighted_between_1_and_3(config):
    for kind, category in categories(config):
        for lang, terms in (("fr", category.terms.fr), ("en", category.terms.en)):
            for term, weight in terms.items():
                assert term == term.lower().strip(), f"{kind} {category.id} {lang}: {term!r}"
                assert 1.0 <= weight <= 3.0, f"{kind} {category.id} {lang}: {term!r} = {weight}"


def test_no_term_is_in_its_own_negative_list(config):
    for kind, category in categories(config):
        for lang in ("fr", "en"):
            terms = {fold(t) for t in getattr(category.terms, lang)}
            negatives = {fold(n) for n in getattr(category.negative, lang)}
            assert not terms & negatives, f"{kind} {category.id} {lang}: {sorted(terms & negatives)}"


def test_no_term_is_written_twice_once_folded(config):
    for kind, category in categories(config):
        for lang in ("fr", "en"):
            folded = [fold(t) for t in getattr(category.terms, lang)]
            doubles = {t for t in folded if folded.count(t) > 1}
            assert not doubles, f"{kind} {category.id} {lang}: {sorted(doubles)}"


def test_every_registry_actor_exists(config):
    missing = REGISTRY_IDS - {a.id for a in config.actors}
    assert not missing, sorted(missing)


def test_actor_names_and_aliases_point_to_one_actor(config):
    owner: dict[str, str] = {}
    for actor in config.actors:
        for form in {fold(actor.name), *(fold(a) for a in actor.aliases)}:
            assert form not in owner, f"{form!r} désigne {owner.get(form)} et {actor.id}"
            owner[form] = actor.id


def test_no_source_reaches_private_addresses(config):
    assert [s.id for s in config.sources if s.allow_private] == []
    assert all(s.url.startswith("https://") for s in config.sources)


def test_profiles_write_to_example_addresses(config):
    assert config.profiles
    for profile in config.profiles:
        assert profile.recipients and (profile.themes or profile.markets), profile.id
        assert all(r.endswith("example.org") for r in profile.recipients), profile.id


class DuplicateKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice in one mapping.

    PyYAML silently keeps the last of two equal keys, so a term written twice
    with two weights would lose one without a word.
    """


def _no_duplicate_keys(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    doubles = {k for k in keys if keys.count(k) > 1}
    if doubles:
        raise yaml.constructor.ConstructorError(
            None, None, f"clé en double : {sorted(map(str, doubles))}", node.start_mark)
    return loader.construct_mapping(node, deep=deep)


DuplicateKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)


@pytest.mark.parametrize("name", FILES)
def test_no_key_written_twice(name):
    path = CONFIG / f"{name}.yaml"
    yaml.load(path.read_text(encoding="utf-8"), Loader=DuplicateKeyLoader)
