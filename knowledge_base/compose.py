"""Turn a search result into what an agent would say: 1-3 short plain sentences and a source.

A chunk is cut for retrieval, not written for a customer: it starts anywhere in a
section and carries article numbers (第四条), Markdown tables and list markers, whole
FAQ blocks, and says 千瓦时 and 0.5380元/千瓦时 where a 95598 agent says 度 and 0.538元.
`compose` reads the whole section the chunk belongs to (the searcher's index holds all
its chunks), cuts it into what an agent could say on its own (a sentence; a list or
table with the sentence that introduces it; an FAQ answer), keeps what answers the
question and writes it out in document order as plain text. Wording is never invented:
every clause is the document's own, without markup and with units said the way
customers say them, so a figure in an answer is always the document's figure.

Blocks are chosen by the share of the question's terms (segment.tokenize: words and
character n-grams, weighted by the index's IDF) that they cover, plus a bonus for
figures when the question asks for one. The encoder's similarity was measured as a
third signal on judged questions and did not help: on the 160 held-out ones the
best-scored part answers for 0.844 of them lexically, 0.812 with 0.2 x the cosine added,
0.70 on the cosine alone (benchmarks/compose_eval.py, reports/compose_eval.md), so it is
not used, and composing stays well under a millisecond once a section is parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from knowledge_base.segment import normalise, tokenize

if TYPE_CHECKING:  # search loads torch and faiss; composing from a chunk alone needs neither
    from knowledge_base.search import Searcher, SearchResult

TARGET_CHARS = 120  # what a customer reads at a glance
LIST_CHARS = 160  # a whole list or table may run longer when the question is about all of it
MAX_CHARS = 200  # never more
MAX_SENTENCES = 3
KEEP_RATIO = 0.6  # a second or third block joins only when it scores this share of the best one
FIGURE_BONUS = 0.15  # a block with a figure, when the question asks 多少, 几, 多久 ...
NAMED_BONUS = 0.2  # a table or list whose row the question names (第三档, 农村)
# A cross-reference clause (，详见《…》) stays when it is at most this long: a long one
# only sends the customer elsewhere and pushes the answer over the length.
MAX_CROSS_REFERENCE = 14

_END = "。！？!?"
_CLOSERS = "”’」』）)"
_ENDED = re.compile(rf"[{_END}][{_CLOSERS}]+$")  # 「…“不分时”。」 already ends
_SENTENCE = re.compile(rf"[^{_END}]+(?:[{_END}]+[{_CLOSERS}]*)?")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条[\s\u3000]*")
_MARKER = re.compile(
    r"^(?:[-*+·•●▪]\s+|[·•●▪]"  # bullets
    r"|\d{1,2}[.．](?!\d)\s*|\d{1,2}[、）)]\s*|[（(]\d{1,2}[）)]\s*|[①-⑳]\s*"  # 1. 1、 1） (1) ①
    r"|[一二三四五六七八九十]{1,3}、\s*|[（(][一二三四五六七八九十]{1,3}[）)]\s*)"  # 一、 （一）
)
# 「满足第二条、第三条的条件」: article numbers are not said, so neither are references to them
_ARTICLE_REFERENCE = re.compile(
    r"(?:本办法|本规定|本说明)?第[一二三四五六七八九十百零〇\d]+条(?:[、和及与至到]第[一二三四五六七八九十百零〇\d]+条)*"
)
_HEADING = re.compile(r"^#{1,6}\s")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# **bold** and __bold__ only around text: masked data (138****8866, 欧阳**) keeps its stars
_EMPHASIS = re.compile(r"\*\*([^*\s](?:[^*]*[^*\s])?)\*\*|__([^_\s](?:[^_]*[^_\s])?)__|`([^`]*)`")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_FAQ_QUESTION = re.compile(r"^(?:问|Q)\s*[：:]\s*")
_FAQ_ANSWER = re.compile(r"^(?:答|A)\s*[：:]\s*")
_CROSS_REFERENCE = re.compile(r"[，,；;](?:详见|另见|具体见|具体标准见|具体规定见)《[^》]+》(?=[。！？；;]?$)")
_PRICE = re.compile(r"(\d+\.\d+)元/千瓦时")
_PARENTHETICAL = re.compile(r"[（(][^）)]*[）)]")
_DIGIT = re.compile(r"\d")
_STARTS_WITH_FIGURE = re.compile(r"^[+\-−]?\d")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_QUANTITY = re.compile(r"^\d+(?:\.\d+)?[^\d\s，,、；;]{1,4}(?:[（(][^）)]*[）)])?$")  # 45分钟, 420度, 2小时（120分钟）
_FILLER = re.compile(r"如下[。：:]?$|^.{0,8}以下.{0,6}。$")  # 现将有关事项说明如下。 请牢记以下安全要点。
_LEAD_AS_SENTENCE = re.compile(r"[，,][^，,。：:]{0,6}如下[：:]$")  # 分为三档，标准如下： -> 分为三档。
_AS_FOLLOWS = re.compile(r"如下((?:[（(][^）)]*[）)])?)[：:]$")
_LABEL = re.compile(r"^([^，,：:。；;（(]{2,10})[：:](?!\d)")  # 居民增容：全流程不超过5个工作日
# Row labels customers shorten: 农村地区 -> 农村, 高峰时段 -> 高峰, 0.95及以上 -> 0.95.
_GENERIC_SUFFIX = re.compile(r"(?:地区|时段|用电|供电|及以上|及以下|以上|以下)$")
# A sentence that leans on the one before it (因此…, 这样…): said with it where it fits.
_DEPENDENT = re.compile(r"^(?:因此|所以|但|但是|不过|这|这样|这些|此外|其中|否则|据此|以上|上述)")
_HEADING_AS_LEAD = re.compile(r"^[^\W\d_][^，,。：:；;？?！!（(]{1,11}$")  # 所需材料, 办理流程; not 第四步：…
_EXAMPLE = re.compile(r"^(?:例如|比如|示例|计算示例|举例)")
_FIGURE_QUESTION = re.compile(r"多少|几|多久|多长|时候|何时|哪些|哪几|哪段|点半|价格|标准")
_LIST_QUESTION = re.compile(r"哪些|哪几|什么材料|要带|需要.{0,4}什么|流程|步骤|渠道|方式")

# How customers ask for the usual parts of a service guide, and the words those parts use.
_ASKS = (
    (re.compile(r"带(什么|啥)|准备(什么|啥|哪些)|要(什么|啥|哪些)(材料|证件|东西)|材料"), "所需材料"),
    (re.compile(r"去哪|在哪|哪里|哪儿|渠道"), "办理渠道"),
    (re.compile(r"多久|多长时间|几天|几个工作日|时限"), "时限"),
    (re.compile(r"多少钱|收费|收钱|要钱|花钱|费用"), "收费 费用"),
)
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_NUMBER = re.compile(r"[零一二两三四五六七八九十百千万]+")
CONTEXT_WEIGHT = 0.25  # question words that are also the title's or heading's: see Query.of
CARRY = 0.5  # a sentence also scores this share of the one before it: see choose

Kind = Literal["sentence", "list", "faq"]


@dataclass(frozen=True)
class ComposedAnswer:
    """What the bot says, and where it comes from (for `cite`)."""

    text: str
    title: str
    section: str
    doc_id: str


@dataclass(frozen=True)
class _Piece:
    """One sentence, list item or table row: plain text without its end mark, and its terms."""

    text: str
    end: str  # the sentence's own end mark (。！？, or ： before a list); items end with the list
    terms: frozenset[str]
    has_figure: bool
    aliases: tuple[str, ...] = ()  # how a question names this row or item (第三档, 农村, 居民增容)

    @property
    def said(self) -> str:
        if self.end in _END:
            return self.text + self.end
        return self.text if _ENDED.search(self.text) else self.text + "。"


@dataclass(frozen=True)
class _Block:
    """What an agent could say on its own: a sentence; a list or table with the sentence
    that introduces it; an FAQ answer (with its question, which is what gets matched)."""

    kind: Kind
    pieces: tuple[_Piece, ...]
    lead: str = ""  # a list's introducing sentence, ending in ： (said with it) or 。 (said before it)
    lead_terms: frozenset[str] = frozenset()
    question: _Piece | None = None

    @property
    def key(self) -> str:
        """What makes two blocks the same (chunks overlap, so a section may repeat one)."""
        return re.sub(r"\W", "", "".join(p.text for p in self.pieces))


# ---------------------------------------------------------------- plain wording


def _trim_number(number: str) -> str:
    """0.5380 -> 0.538, 0.6500 -> 0.65."""
    return number.rstrip("0").rstrip(".") if "." in number else number


def plain_units(text: str) -> str:
    """千瓦时 -> 度, and prices per kWh without trailing zeros (0.5380元/千瓦时 -> 0.538元/度);
    every other figure exactly as written (money keeps two decimals: 250.00元)."""
    text = _PRICE.sub(lambda m: f"{_trim_number(m.group(1))}元/千瓦时", text)
    return text.replace("千瓦时", "度")


def _inline(text: str) -> str:
    """A line without Markdown emphasis, links, images or tags, spaces collapsed."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub(lambda m: next(g for g in m.groups() if g is not None), text)
    return re.sub(r"\s+", " ", text).strip()


def _strip_line(line: str) -> str:
    """A line without markup, article number (第四条) or list marker (一、 （一） 1. ·); a
    reference to articles inside it (满足第二条、第三条的条件) becomes 相关规定."""
    line = _inline(line)
    for _ in range(2):  # "1. 第三条 ..." has both
        line = _MARKER.sub("", _ARTICLE.sub("", line))
    return _ARTICLE_REFERENCE.sub("相关规定", line).strip()


def _drop_long_cross_reference(sentence: str) -> str:
    """「…，详见《居民峰谷分时电价政策说明》。」 loses its clause when the clause is long; a
    short one (，详见《暂停用电办事指南》) stays, and a sentence is never cut elsewhere."""
    match = _CROSS_REFERENCE.search(sentence.rstrip(_END))
    if match and len(match.group(0)) > MAX_CROSS_REFERENCE and match.start() >= 6:
        return sentence[:match.start()] + sentence[match.end():]
    return sentence


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。！？ (with a closing bracket or quote that follows); a tail
    without an end mark is a sentence too."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip(" " + _END + _CLOSERS)]


def _terms(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def _piece(text: str, match_text: str = "", aliases: tuple[str, ...] = ()) -> _Piece:
    """A piece from a cleaned sentence: shown in plain units, matched on the document's
    wording, the plain one (a customer may say 千瓦时 or 度) and `match_text` (a row's
    column headers); a piece that starts with a label (微信：…) can be named by it."""
    if text.startswith(("（", "(")) and text.endswith(("。）", "。)")):
        text = text[1:-1]  # （以上均按第一档电价计算。） is a sentence of its own
    shown = plain_units(_drop_long_cross_reference(text))
    body = shown.rstrip(_END + "；;，,：: ")
    tail = shown[len(body):]
    end = next((c for c in tail if c in _END + "：:"), "")
    if not aliases and (label := _LABEL.match(body)):
        aliases = _aliases(label.group(1))
    return _Piece(body, "：" if end == ":" else end, _terms(f"{match_text} {text} {body}"),
                  bool(_DIGIT.search(body)), aliases)


def _aliases(label: str) -> tuple[str, ...]:
    """How a question may name a row or item: its label, without brackets or a generic ending."""
    names = {label, _PARENTHETICAL.sub("", label).strip()}
    for name in list(names):
        shorter = _GENERIC_SUFFIX.sub("", name)
        if len(shorter) >= 2:
            names.add(shorter)
    return tuple(sorted((normalise(n) for n in names if len(n) >= 2), key=len, reverse=True))


# ---------------------------------------------------------------- tables


def _cells(line: str) -> list[str]:
    return [_inline(cell) for cell in line.strip().strip("|").split("|")]


def _is_rule(cells: list[str]) -> bool:
    return any(cells) and all(re.fullmatch(r":?-{2,}:?", c.replace(" ", "")) for c in cells if c)


def _fold(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A table printed as side-by-side copies (功率因数 | 调整比例 | 功率因数 | 调整比例) is one
    narrow table: unfold it, the first copy top to bottom, then the next."""
    for width in range(1, len(header) // 2 + 1):
        copies = len(header) // width
        if len(header) % width == 0 and header == header[:width] * copies:
            unfolded = [row[i:i + width] for i in range(0, len(header), width) for row in rows]
            return header[:width], [row for row in unfolded if any(row)]
    return header, rows


def _cell(header: str, value: str, *, with_header: bool) -> str:
    """A cell said with its column where that reads naturally (年累计用电量2760度及以下,
    每度0.538元, 调整比例-0.75%); a cell that says itself (申请已经收到) stands alone."""
    unit_match = _PARENTHETICAL.search(header)
    unit = unit_match.group(0)[1:-1] if unit_match else ""
    name = _PARENTHETICAL.sub("", header).strip()
    if _NUMBER.match(value) and ("千瓦时" in unit or (not unit and re.search(r"电价|价格|单价", name))):
        label = "" if name in {"电价", "价格", "单价"} or not with_header else name
        return f"{label}每度{_trim_number(value)}元"
    if name in {"示例", "例如", "举例"}:
        return f"如{value}"
    if not with_header or _TIME.search(value) or not _STARTS_WITH_FIGURE.match(value):
        return value
    if _NUMBER.match(value) and unit and "/" not in unit:
        return f"{name}{value}{unit}"
    return f"{name}{value}"


def _table(lines: list[str]) -> list[_Piece]:
    """A Markdown table as one clause per row: 「第一档：年累计用电量2760度及以下，每度0.538元」."""
    rows = [r for r in (_cells(line) for line in lines) if not _is_rule(r)]
    if len(rows) < 2:
        return []
    header, body = _fold(rows[0], rows[1:])
    pieces = []
    for row in body:
        key, values = row[0], row[1:]
        if len(header) == 2 and values and values[0]:
            value = _cell(header[1], values[0], with_header=False)
            # 城区45分钟, but 已提交：申请已经收到, 电费年月：2026年10月, 0.95及以上：-0.75%
            joiner = "" if _QUANTITY.match(value) and not re.search(r"[\d%]$", key) else "："
            text = f"{key}{joiner}{value}"
        else:
            parts = [_cell(h, v, with_header=True) for h, v in zip(header[1:], values, strict=False) if v]
            text = f"{key}：{'，'.join(parts)}" if parts and key else "，".join(parts) or key
        if text:
            pieces.append(_piece(text, " ".join(header + row), _aliases(key) if key else ()))
    return pieces


# ---------------------------------------------------------------- sections


def _line_kind(line: str) -> str:
    if line.startswith("|"):
        return "table"
    if _HEADING.match(line):
        return "heading"
    if _FAQ_QUESTION.match(line):
        return "question"
    if _FAQ_ANSWER.match(line):
        return "answer"
    if _MARKER.match(_inline(line)):
        return "item"
    return "prose"


def _groups(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Consecutive lines of one kind together (a table's rows, a list's items, an answer
    running over several lines); other prose lines one by one; headings dropped."""
    groups: list[tuple[str, list[str]]] = []
    for line in lines:
        kind = _line_kind(line)
        if kind == "heading":
            continue
        previous = groups[-1][0] if groups else None
        if (kind in ("table", "item") and previous == kind) or (kind == "prose" and previous == "answer"):
            groups[-1][1].append(line)
        else:
            groups.append((kind, [line]))
    return groups


def _sentence(text: str) -> _Block:
    return _Block("sentence", (_piece(text),))


def _takes_lead(blocks: list[_Block]) -> str:
    """The sentence that introduces a list or table (「…时间一般不超过：」), taken off the
    blocks before it; empty when there is none."""
    if blocks and blocks[-1].kind == "sentence" and blocks[-1].pieces[0].end == "：":
        return blocks.pop().pieces[0].text + "："
    return ""


def _list(lead: str, pieces: list[_Piece]) -> _Block:
    """「分为三档，标准如下：」 before a table is said 「分为三档。」; 「规律归纳如下：」 「规律归纳：」."""
    lead = _LEAD_AS_SENTENCE.sub("。", lead) if _LEAD_AS_SENTENCE.search(lead) else _AS_FOLLOWS.sub(r"\1：", lead)
    return _Block("list", tuple(pieces), lead=lead, lead_terms=_terms(lead) if lead else frozenset())


def _item_list(lead: str, items: list[str]) -> _Block:
    """A list whose items all start with a label (居民增容：…) can be named item by item,
    like a table's rows; in other lists a label is only the item's first words."""
    pieces = [_piece(i) for i in items]
    if not all(p.aliases for p in pieces):
        pieces = [_Piece(p.text, p.end, p.terms, p.has_figure) for p in pieces]
    return _list(lead, pieces)


@lru_cache(maxsize=2048)
def parse_section(text: str) -> tuple[_Block, ...]:
    """A section's text as blocks, in document order, each said once (cached: a section is
    parsed on first use only)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    blocks: list[_Block] = []
    question: str | None = None
    for kind, group in _groups(lines):
        if kind == "table":
            lead = _takes_lead(blocks)
            if rows := _table(group):
                blocks.append(_list(lead, rows))
        elif kind == "item":
            items = [i for i in (_strip_line(line) for line in group) if i]
            clauses = len(items) > 1 and any(not i.endswith(tuple(_END)) for i in items[:-1])
            lead = _takes_lead(blocks) if len(items) > 1 else ""
            if lead or clauses:
                blocks.append(_item_list(lead, items))
            else:  # 一、…。 二、…。: sentences that happen to be numbered
                blocks.extend(_sentence(s) for i in items for s in split_sentences(i))
        elif kind == "question":
            question = _strip_line(_FAQ_QUESTION.sub("", group[0]))
        elif kind == "answer":
            answer = " ".join(_strip_line(_FAQ_ANSWER.sub("", line)) for line in group)
            sentences = split_sentences(answer)
            if question and sentences:
                blocks.append(_Block("faq", tuple(_piece(s) for s in sentences), question=_piece(question)))
            else:
                blocks.extend(_sentence(s) for s in sentences)
            question = None
        else:
            sentences = split_sentences(_strip_line(group[0]))
            if sentences and blocks and blocks[-1].kind == "sentence" and blocks[-1].pieces[0].end == "：":
                # 「…计算：」 followed by a formula or an example is one sentence with it
                sentences[0] = blocks.pop().pieces[0].text + "：" + sentences[0]
            blocks.extend(_sentence(s) for s in sentences)
    unique: list[_Block] = []
    seen: set[str] = set()
    for block in blocks:
        filler = block.kind == "sentence" and _FILLER.search(block.pieces[0].said)
        if block.key and block.key not in seen and not filler:
            seen.add(block.key)
            unique.append(block)
    return tuple(unique)


def section_text(result: SearchResult, searcher: Searcher | None = None) -> str:
    """The whole section of a result: its chunks from the searcher's index, the lines
    that overlapping chunks share said once. The result's own chunk when there is no
    searcher or the index does not have the section."""
    if searcher is None:
        return result.text
    index = searcher.index
    positions = index.section_chunks.get((result.doc_id, result.section))
    if not positions:
        return result.text
    lines: list[str] = []
    for position in positions:
        new = index.chunks[position].text.split("\n")
        overlap = next((k for k in range(min(len(lines), len(new)), 0, -1) if lines[-k:] == new[:k]), 0)
        lines.extend(new[overlap:])
    return "\n".join(lines)


# ---------------------------------------------------------------- choosing and saying


@dataclass(frozen=True)
class Query:
    """A customer's question as composing sees it: weighted terms and what kind of answer
    it asks for."""

    weights: dict[str, float]  # term -> weight
    total: float
    text: str
    wants_figures: bool
    wants_list: bool

    @classmethod
    def of(cls, question: object, idf: dict[str, float] | None, context: str = "") -> Query:
        """Terms of the question, of its figures written as digits (二十一号 -> 21日) and of
        the parts of a guide it asks for (要带啥 -> 所需材料), weighted by the index's IDF
        (without an index, words above single characters). Terms that are also in
        `context` (the title and heading) count CONTEXT_WEIGHT: every part of the section
        is about them, so they tell little about which part answers; not nothing, because
        a question that only repeats the heading (居民阶梯电价分几档) must still find the
        table. On the dev questions leaving them out entirely ranked best (best part 0.87
        against 0.856 at 0.25), but lost such questions."""
        text = normalise(question if isinstance(question, str) else "")
        terms = set(tokenize(text)) | set(tokenize(_with_digits(text)))
        for asked, words in _ASKS:
            if asked.search(text):
                terms.update(tokenize(words))
        known = set(tokenize(context))
        unseen = _rarest(idf) if idf else 1.0
        weights = {t: (idf.get(t, unseen) if idf else (1.0 if len(t) == 1 else 2.0))
                   * (CONTEXT_WEIGHT if t in known else 1.0) for t in terms}
        return cls(weights, sum(weights.values()), text, bool(_FIGURE_QUESTION.search(text)),
                   bool(_LIST_QUESTION.search(text)))

    def overlap(self, terms: frozenset[str]) -> float:
        """The share of the question's weight that `terms` cover."""
        return sum(w for t, w in self.weights.items() if t in terms) / self.total if self.total else 0.0


_rarest_cache: dict[int, tuple[dict[str, float], float]] = {}


def _rarest(idf: dict[str, float]) -> float:
    """The highest IDF (a question word no chunk has), computed once per index (0.5 ms)."""
    cached = _rarest_cache.get(id(idf))
    if cached is None or cached[0] is not idf:
        cached = _rarest_cache[id(idf)] = (idf, max(idf.values(), default=1.0))
    return cached[1]


def _cn_number(run: str) -> str:
    """二十一 -> 21, 两千七百二十 -> 2720, 一一 -> 11 (digits said one by one)."""
    if len(run) > 1 and all(c in _CN_DIGITS for c in run):
        return "".join(str(_CN_DIGITS[c]) for c in run)
    total = section = number = 0
    for char in run:
        if char in _CN_DIGITS:
            number = _CN_DIGITS[char]
        elif char == "万":
            total += (section + number) * 10000
            section = number = 0
        else:
            section += (number or (1 if char == "十" else 0)) * _CN_UNITS[char]
            number = 0
    return str(total + section + number)


def _with_digits(text: str) -> str:
    """The question with Chinese numerals as digits (二十一号 -> 21日), to match the
    documents' figures; used beside the question's own words, never instead of them."""
    return re.sub(r"(\d+)号", r"\1日", _CN_NUMBER.sub(lambda m: _cn_number(m.group(0)), text))


def _named(query: Query, block: _Block) -> list[int]:
    """The rows or items the question names (第三档, 农村, 居民增容); none when it names
    none or all. A name inside a longer name that also matches (居民增容 in 低压非居民增容)
    does not count."""
    hits = {i: [a for a in p.aliases if a in query.text] for i, p in enumerate(block.pieces)}
    longest = [max(names, key=len) for names in hits.values() if names]
    named = [i for i, names in hits.items()
             if names and not any(max(names, key=len) in other and max(names, key=len) != other for other in longest)]
    return named if len(named) < len(block.pieces) else []


def score(query: Query, block: _Block) -> float:
    """How well a block answers the question (0 = not at all)."""
    if block.kind == "faq":
        assert block.question is not None
        answer = frozenset().union(*(p.terms for p in block.pieces))
        # the FAQ's own question decides; its answer breaks ties between near-equal questions
        return query.overlap(block.question.terms) + 0.3 * query.overlap(answer)
    value = query.overlap(block.lead_terms.union(*(p.terms for p in block.pieces)))
    named = _named(query, block) if block.kind == "list" else [
        a for a in block.pieces[0].aliases if a in query.text]
    value += NAMED_BONUS * bool(named)
    if block.kind == "list":
        value += 0.1 * query.wants_list
    if query.wants_figures and any(p.has_figure for p in block.pieces):
        value += FIGURE_BONUS
    return value


def _say_list(block: _Block, chosen: list[int]) -> list[str]:
    """Items or rows in one sentence after their lead: 「…不超过：城区45分钟；农村地区90分钟。」"""
    body = "；".join(block.pieces[i].text for i in chosen) + "。"
    if not block.lead:
        return [body]
    return [block.lead, body] if block.lead.endswith(tuple(_END)) else [block.lead + body]


def _size(sentences: list[str]) -> int:
    return sum(map(len, sentences))


def say(query: Query, block: _Block, budget: int, *, best: bool = False) -> list[str]:
    """A block's sentences within `budget` characters where the block allows: an FAQ
    answer keeps its opening (不会。) and its best-matching sentences; a list or table
    says the rows the question names, or all of it (up to LIST_CHARS when it is the
    `best` block and the question asks for a list: 哪些, 材料, 流程), or else, when it
    is the best block, its best-matching items; a list that is not the best block is
    not cut (one arbitrary row would mislead), so it may say nothing."""
    if block.kind == "sentence":
        return [block.pieces[0].said]
    if block.kind == "faq":
        kept = list(range(len(block.pieces)))
        while len(kept) > 1 and _size([block.pieces[i].said for i in kept]) > budget:
            kept.remove(min(kept[1:], key=lambda i: (query.overlap(block.pieces[i].terms), -i)))
        return [block.pieces[i].said for i in kept]
    everything = list(range(len(block.pieces)))
    if named := _named(query, block):
        return _say_list(block, named)
    room = max(budget, LIST_CHARS) if best and query.wants_list else budget
    if _size(_say_list(block, everything)) <= room:
        return _say_list(block, everything)
    if not best:
        return []
    ranked = sorted(everything, key=lambda i: (-query.overlap(block.pieces[i].terms), i))
    chosen = [ranked[0]]
    for i in ranked[1:]:
        if _size(_say_list(block, sorted(chosen + [i]))) <= budget:
            chosen.append(i)
    return _say_list(block, sorted(chosen))


def _fit(sentences: list[str]) -> list[str]:
    """At most MAX_SENTENCES sentences and MAX_CHARS characters, whole sentences dropped
    from the end; a single sentence over MAX_CHARS keeps the clauses (up to ；) that fit."""
    sentences = sentences[:MAX_SENTENCES]
    while len(sentences) > 1 and _size(sentences) > MAX_CHARS:
        sentences.pop()
    if sentences and len(sentences[0]) > MAX_CHARS:  # no such sentence in today's documents
        sentences = [_clauses_that_fit(sentences[0])]
    return sentences


def _clauses_that_fit(sentence: str) -> str:
    """The leading clauses of an over-long sentence that fit MAX_CHARS, cut at ； where
    possible, else at ，: never inside a clause."""
    for separator in "；，":
        kept = ""
        for clause in re.findall(rf"[^{separator}]+{separator}?", sentence):
            if len(kept) + len(clause) >= MAX_CHARS:
                break
            kept += clause
        if kept:
            return kept.rstrip("；，, ") + "。"
    return sentence[:MAX_CHARS - 1] + "。"


def choose(query: Query, blocks: tuple[_Block, ...]) -> list[str]:
    """The sentences that answer the question, in document order (never empty).

    The best-scoring block is said first; others join while they score at least
    KEEP_RATIO of it and fit. A sentence that follows another also scores CARRY of the
    one before it, because what a matching sentence describes is often answered by the
    next (「…观察电表脉冲指示灯…」 「若仍持续闪烁，说明线路可能存在漏电…」); this only lets
    it join, it never displaces the best match."""
    own = [score(query, b) for b in blocks]
    faqs = [i for i, b in enumerate(blocks) if b.kind == "faq"]
    if faqs:  # an FAQ section answers with the answer to the closest question, alone
        return say(query, blocks[max(faqs, key=lambda i: (own[i], -i))], TARGET_CHARS)
    best = max(range(len(blocks)), key=lambda i: (own[i], -i))
    if own[best] <= 0:  # nothing matches: the section's opening
        best, ranked, floor = 0, [(1.0, i) for i in range(1, len(blocks))], 0.0
    else:
        follows = [i > 0 and blocks[i].kind == blocks[i - 1].kind == "sentence"
                   and not _EXAMPLE.match(blocks[i].pieces[0].text) for i in range(len(blocks))]
        ranked = sorted(((own[i] + CARRY * own[i - 1] * follows[i], i) for i in range(len(blocks)) if i != best),
                        key=lambda pair: (-pair[0], pair[1]))
        floor = KEEP_RATIO * own[best]
    picked: dict[int, list[str]] = {best: say(query, blocks[best], TARGET_CHARS, best=True)}
    for value, i in ranked:
        if value < floor:
            break
        room = TARGET_CHARS - _size([s for said in picked.values() for s in said])
        said = say(query, blocks[i], room)
        if said and _size(said) <= room and sum(map(len, picked.values())) + len(said) <= MAX_SENTENCES:
            picked[i] = said
    for i in sorted(picked):  # 「因此…」 is said after the sentence it leans on, where that fits
        leans = blocks[i].kind == "sentence" and _DEPENDENT.match(blocks[i].pieces[0].text)
        if i > 0 and i - 1 not in picked and leans:
            before = say(query, blocks[i - 1], TARGET_CHARS)
            total = _size([s for said in picked.values() for s in said])
            if before and sum(map(len, picked.values())) < MAX_SENTENCES and total + _size(before) <= TARGET_CHARS:
                picked[i - 1] = before
    return [s for i in sorted(picked) for s in picked[i]]


def compose(question: str, result: SearchResult, searcher: Searcher | None = None) -> ComposedAnswer:
    """The sentences of the result's section that answer `question`: 1-3 short plain
    sentences in document order, at most MAX_CHARS characters, never empty. With a
    searcher the whole section is read and terms are weighted by the index's IDF;
    without one, the result's chunk alone."""
    blocks = parse_section(section_text(result, searcher)) or parse_section(result.text)
    if not blocks:
        return _answer([result.title + "。"], result)
    heading = result.section
    if blocks[0].kind == "list" and not blocks[0].lead and _HEADING_AS_LEAD.match(heading) \
            and not _MARKER.match(heading):
        # a list right under its heading (## 所需材料) is introduced by it: 「所需材料：户号；…」
        blocks = (replace(blocks[0], lead=f"{heading}："), *blocks[1:])
    idf = searcher.index.lexical.idf if searcher is not None else None
    query = Query.of(question, idf, f"{result.title} {result.section}")
    return _answer(_fit(choose(query, blocks)), result)


def _answer(sentences: list[str], result: SearchResult) -> ComposedAnswer:
    return ComposedAnswer(text="".join(sentences), title=result.title, section=result.section, doc_id=result.doc_id)


def cite(answer: ComposedAnswer) -> str:
    """「来源：《居民阶梯电价执行办法》」: one line naming the document a customer can look
    up. The section heading is left out: headings such as 「温馨提示」 or 「第三步：是否跨入
    了高档电价」 add length, not a place to look."""
    title = re.sub(r"[《》\s]+", "", answer.title)
    return f"来源：《{title}》"
