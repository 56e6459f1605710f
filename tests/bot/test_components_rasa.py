"""The custom Rasa components of the NLU pipeline, run the way Rasa runs them.

Run in the Rasa venv: .venv-rasa/bin/python -m pytest tests/bot/test_components*.py
"""

from __future__ import annotations

import glob
from pathlib import Path

import jieba
import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.data import TrainingType
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import read_config_file

from bot.components.address_extractor import AddressEntityExtractor
from bot.components.address_parser import AddressParser
from bot.components.entity_reconciler import EntityReconciler, reconcile
from bot.components.lac_entities import LacEntityExtractor
from bot.components.noise_filter import NoiseFilter
from bot.components.normalizer import DATA_DIR, ChineseTextNormalizer

ROOT = Path(__file__).resolve().parents[2]
PLACES = {
    "district": ["示例市", "示例县", "城东区", "城南区"],
    "street": ["平阳路"],
    "community": ["幸福小区"],
    "village": ["青山镇", "石桥村"],
}


@pytest.fixture(scope="module", autouse=True)
def domain_dictionary() -> None:
    """What JiebaTokenizer (dictionary_path) does first in the pipeline."""
    for dictionary in glob.glob(str(DATA_DIR / "jieba" / "*")):
        jieba.load_userdict(dictionary)


@pytest.fixture()
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage.create(tmp_path)


@pytest.fixture()
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def entity(label: str, text: str, part: str, extractor: str) -> dict:
    start = text.index(part)
    return {"entity": label, "start": start, "end": start + len(part), "value": part, "extractor": extractor}


def test_normalizer_rewrites_training_examples_and_their_entity_values(storage, context) -> None:
    normalizer = ChineseTextNormalizer.create(
        ChineseTextNormalizer.get_default_config(), storage, Resource("norm"), context
    )
    spoken = Message(
        data={
            "text": "户好三三零零零幺二三四八",
            "intent": "inform",
            "entities": [{"entity": "account_no", "start": 2, "end": 12, "value": "三三零零零幺二三四八"}],
        }
    )
    synonym = Message(
        data={
            "text": "好邻居 尾号八八六六",
            "intent": "inform",
            "entities": [
                {"entity": "person_name", "start": 0, "end": 3, "value": "示例市好邻居便利店"},
                {"entity": "phone_last4", "start": 6, "end": 10, "value": "八八六六"},
            ],
        }
    )
    normalizer.process_training_data(TrainingData([spoken, synonym]))

    assert spoken.get("text") == "户号3300012348"
    assert spoken.get("entities")[0]["value"] == "3300012348"
    assert [e["value"] for e in synonym.get("entities")] == ["示例市好邻居便利店", "8866"]


def test_normalizer_rewrites_incoming_messages(storage, context) -> None:
    normalizer = ChineseTextNormalizer.create(
        ChineseTextNormalizer.get_default_config(), storage, Resource("norm"), context
    )
    [message] = normalizer.process([Message(data={"text": "接替电价 幺三八零零幺三八零零零"})])
    assert message.get("text") == "阶梯电价 13800138000"


def test_reconciler_keeps_one_entity_per_span_preferring_exact_formats() -> None:
    text = "户号3300012345 我住城东区平阳路12号"
    entities = [
        entity("account_no", text, "3300012345", "DIETClassifier"),
        entity("account_no", text, "3300012345", "RegexEntityExtractor"),
        entity("address", text, "城东区", "DIETClassifier"),
        entity("address", text, "城东区平阳路12号", "AddressEntityExtractor"),
    ]
    kept = reconcile(entities, EntityReconciler.get_default_config()["priority"])
    assert [(e["value"], e["extractor"]) for e in kept] == [
        ("3300012345", "RegexEntityExtractor"),
        ("城东区平阳路12号", "AddressEntityExtractor"),
    ]


def test_reconciler_keeps_what_only_the_model_found() -> None:
    text = "上个月电费 地址东风路那边"
    entities = [entity("period", text, "上个月", "DIETClassifier"), entity("address", text, "东风路", "DIETClassifier")]
    assert reconcile(entities, ["RegexEntityExtractor"]) == entities


@pytest.mark.parametrize(
    "text, addresses",
    [
        ("我家在示例市城南区幸福小区6栋302", ["示例市城南区幸福小区6栋302"]),
        ("示例县青山镇石桥村4组17号停电了", ["示例县青山镇石桥村4组17号"]),
        ("地址是 城东区 平阳路 12号", ["城东区 平阳路 12号"]),
        ("城西区和平街16号", ["和平街16号"]),  # an unknown street needs its house number
        ("平阳路12号 户号3300012345", ["平阳路12号"]),  # the account is not a room number
        ("城东区和平阳路交叉口", ["城东区", "平阳路"]),
        ("我们小区停电了 线路检修", []),
        ("我们小区5栋停电了", []),  # whose 小区, not which
    ],
)
def test_address_parser_finds_whole_addresses(text: str, addresses: list[str]) -> None:
    parser = AddressParser(PLACES)
    assert [text[start:end] for start, end in parser.find(text)] == addresses


def test_every_place_of_the_lookup_tables_is_a_jieba_word() -> None:
    """The ruler matches whole jieba tokens: a place jieba splits could not be found."""
    lookups = yaml.safe_load((ROOT / "nlu_data/train/lookups.yml").read_text(encoding="utf-8"))
    places = [
        line.strip()[2:]
        for table in lookups["nlu"]
        if table["lookup"] in AddressEntityExtractor.get_default_config()["place_tables"]
        for line in table["examples"].splitlines()
        if line.strip()
    ]
    assert places
    assert [p for p in places if jieba.lcut(p) != [p]] == []


def test_address_extractor_learns_places_from_lookup_tables(storage, context) -> None:
    resource = Resource("address")
    config = AddressEntityExtractor.get_default_config()
    extractor = AddressEntityExtractor.create(config, storage, resource, context)
    lookups = [{"name": name, "elements": names} for name, names in PLACES.items()]
    lookups.append({"name": "business", "elements": ["好邻居便利店"]})
    extractor.train(TrainingData(lookup_tables=lookups))

    loaded = AddressEntityExtractor.load(config, storage, resource, context)
    [message] = loaded.process([Message(data={"text": "好邻居便利店在平阳路30号"})])
    assert [(e["entity"], e["value"], e["extractor"]) for e in message.get("entities")] == [
        ("address", "平阳路30号", "AddressEntityExtractor")
    ]


@pytest.mark.parametrize(
    "config_path", ["config.yml", *sorted(f"bot/configs/{p.name}" for p in (ROOT / "bot/configs").glob("*.yml"))]
)
def test_pipelines_build_into_a_model_graph(config_path: str) -> None:
    """Every component of the pipeline resolves (custom ones by module path) and runs."""
    config = read_config_file(ROOT / config_path)
    names = [f"run_{c['name']}{i}" for i, c in enumerate(config["pipeline"])]
    graph = DefaultV1Recipe().graph_config_for_recipe(config, {}, TrainingType.NLU)
    assert set(names) <= set(graph.predict_schema.nodes)


def test_noise_is_not_understood_whatever_the_classifier_guessed(storage, context) -> None:
    noise_filter = NoiseFilter.create({}, storage, Resource("noise"), context)
    guessed = {"name": "bot_identity", "confidence": 0.6}
    noise, words = (
        Message(data={"text": text, "intent": dict(guessed), "intent_ranking": [dict(guessed)]})
        for text in ("？？？？", "你是机器人吗？")
    )
    noise_filter.process([noise, words])
    assert noise.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [r["name"] for r in noise.get("intent_ranking")] == ["nlu_fallback", "bot_identity"]
    assert words.get("intent") == guessed


def test_reconciler_prefers_the_longer_place_whoever_found_it() -> None:
    text = "地址是 小店区平阳路12号"
    entities = [
        entity("address", text, "平阳路12号", "AddressEntityExtractor"),
        entity("address", text, "小店区平阳路12号", "LacEntityExtractor"),
    ]
    kept = reconcile(entities, EntityReconciler.get_default_config()["priority"])
    assert [e["value"] for e in kept] == ["小店区平阳路12号"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("户名郑小燕", [("person_name", "郑小燕")]),
        ("用电报装 联系人刘洋 手机13712345678", [("person_name", "刘洋")]),
        ("我家在城西区和平街16号 停电了", [("address", "城西区和平街16号")]),
        ("城东区平阳路12号3单元501", [("address", "城东区平阳路12号3单元501")]),
        ("明天 小店区 要停电吗", [("address", "小店区")]),
        ("上个月电费多少", []),
        ("名字打错了 是王秀英 英雄的英 不是晶莹的莹", [("person_name", "王秀英")]),
    ],
)
def test_lac_finds_names_and_places(storage, context, text: str, expected: list) -> None:
    extractor = LacEntityExtractor.create(LacEntityExtractor.get_default_config(), storage, Resource("lac"), context)
    [message] = extractor.process([Message(data={"text": text})])
    assert [(e["entity"], e["value"]) for e in message.get("entities") or []] == expected
