"""Finding the findings in a document's blocks.

Reports typeset findings in a few recognisable ways (see DOMAIN.md): numbered labels, sections
headed "Areas for improvement" or "Recommendations", bold or italic paragraphs, and lead-in
sentences naming who should act. Bulleted sub-parts belong to the item above them; the
question area is the nearest heading that is not itself about findings. Committee papers put
progress narrative between findings; narrative is recognised and skipped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from recreg.intake.extract.common import clean, normalise
from recreg.intake.extract.deadlines import find_deadline
from recreg.intake.extract.document import Block

REC = "recommendation"
AFI = "area_for_improvement"
COC = "cause_of_concern"
ACC = "accelerated_cause_of_concern"
CONCERNS = (COC, ACC)

_KIND_WORDS = (
    (re.compile(r"accelerated\s+causes?\s+of\s+concern", re.I), ACC),
    (re.compile(r"causes?\s+of\s+concern|coc", re.I), COC),
    (re.compile(r"areas?\s+for\s+improvement|afis?", re.I), AFI),
    (re.compile(r"recommendations?|recs?\.?|r", re.I), REC),
)
_LABEL = re.compile(
    r"^(?P<label>(?P<word>accelerated\s+cause\s+of\s+concern|cause\s+of\s+concern|coc"
    r"|area\s+for\s+improvement|afi|recommendation|rec\.?|r(?=\s?\d))"
    r"\s*(?P<num>\d{1,3}(?:\.\d{1,2})?[a-z]?\b|(?-i:[A-Z])\b)?)"
    r"(?:\s*[.:)\u2013\u2014-]+\s*|\s+(?=(?-i:[A-Z\u2018\u201c\"']))|\s*$)(?P<rest>.*)$",
    re.I | re.S,
)
# Headings that introduce findings (and so are never the question area).
_FINDINGS_HEADING = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(?:(?:summary\s+of|our|the|new|list\s+of|all|national|force|other)\s+)?"
    r"(?P<word>recommendations?|areas?\s+for\s+improvement|accelerated\s+causes?\s+of\s+concern"
    r"|causes?\s+of\s+concern)"
    r"(?:\s+(?:and|&)\s+(?:recommendations?|areas?\s+for\s+improvement))?"
    r"(?:\s+(?:for|to|addressed\s+to)\s+(?P<to>[^:]{3,80}))?\s*:?$",
    re.I,
)
_GENERIC_HEADING = re.compile(
    r"^(?:contents|(?:overall\s+|executive\s+)?summary|agenda\s+item.*|what\s+happens\s+next"
    r"|(?:the\s+)?(?:force|constabulary)['’]s\s+response|recommendations?\s+to\s+the\s+\w+"
    r"|introduction|foreword|preface|overview|background"
    r"|about\s+.*|conclusions?|next\s+steps|annex.*|appendix.*|methodology|our\s+findings"
    r"|findings|what\s+we\s+found|main\s+findings|key\s+findings|our\s+judg(?:e)?ments?"
    r"|judg(?:e)?ments?|progress|recommendation\s+\d.*|areas?\s+for\s+improvement\s+\d.*"
    r"|glossary|references|terms\s+of\s+reference|purpose(?:\s+of\s+(?:this|the)\s+\w+)?"
    r"|financial\s+implications|risk\s+implications|equality\s+implications"
    r"|recommendations?\s+to\s+the\s+\w+\s+(?:panel|committee)|decisions?\s+required)$",
    re.I,
)
_NARRATIVE = re.compile(
    r"^(?:(?:latest|progress|force|pcc|opcc|current)\s+)?(?:update|progress|position|status"
    r"|rag(?:\s+(?:status|rating))?|owner|strategic\s+(?:owner|lead)|tactical\s+lead|lead(?:\s+officer)?"
    r"|governance(?:\s+board)?|board|target(?:\s+date)?|revised\s+(?:target|date|target\s+date)"
    r"|evidence|comments?|response|actions?\s+taken|action\s+plan|next\s+steps|date\s+(?:opened|closed)"
    r"|closure|delivery\s+date|assessment|outcome|note|notes|rationale|reason)\s*(?:\([^)]*\))?\s*[:\-\u2013\u2014]",
    re.I,
)
_NARRATIVE_REST = re.compile(
    r"^(?:update|progress|status|has\s+been|was|is\s+(?:now\s+)?(?:complete|closed|on\s+track)"
    r"|complete|completed|closed|discharged|remains|signed\s+off"
    r"|that\s+(?:the\s+)?(?:committee|panel|board|members?|commissioner)"
    r"|(?:the\s+)?(?:committee|panel|board|members?)\s+(?:is|are)\s+(?:asked|recommended|invited)"
    r"|to\s+note)\b",
    re.I,
)
_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\s+|^\d{1,2}\.\s+(?=[A-Z])")
_SUBJECT_HEADING = re.compile(r"^(?P<subject>.{3,120}?)\s+(?:should|must)\s*:?$", re.I | re.S)
_PRONOUNS = {"there", "it", "this", "they", "we", "these", "that", "he", "she", "you", "i", "which"}
_STRONG_MODAL = re.compile(r"\b(?:should|must)\b", re.I)
_MODAL = re.compile(
    r"\b(?:should|must|needs?\s+to|is\s+to|are\s+to|will\s+need\s+to|is\s+required\s+to"
    r"|are\s+required\s+to)\b",
    re.I,
)
_NOT_ACTION = re.compile(
    r"^(?:\s*(?:also\s+)?be\s+(?:proud|commended|congratulated|pleased|reassured|encouraged"
    r"|recognised|praised|aware\s+that)|\s*have\s+(?:been|had|done|made|taken|known|seen|put|sent"
    r"|told|given|brought|kept|\w+ed|\w+en)\b|\s*not\s+be\s+surprised)",
    re.I,
)
_IMPERATIVE = re.compile(
    r"^(?:make\s+sure|ensure|improve|review|develop|establish|introduce|implement|put\s+in\s+place"
    r"|provide|produce|publish|consider|carry\s+out|undertake|set\s+up|create|adopt|update"
    r"|strengthen|assess|evaluate|monitor|identify|use|train|work\s+with|take\s+steps|act|define"
    r"|agree|audit|check|record|raise|give|tell|collect|share|appoint|allocate|reduce|increase)\b",
    re.I,
)
_STRONG_IMPERATIVE = re.compile(r"^(?:make\s+sure|ensure)\s+(?:that\s+)?", re.I)
_RECOMMEND = re.compile(
    r"^(?:we\s+(?:therefore\s+|also\s+|now\s+)?recommend\s+that|(?:to|in\s+order\s+to)\s+address"
    r"\s+(?:this|these|the)\s+(?:cause\s+of\s+concern|causes\s+of\s+concern|concerns?)\s*,?\s*"
    r"(?:we\s+recommend\s+that)?|(?:we\s+)?recommendation\s*:?)\s*,?\s*",
    re.I,
)
_LEADING_DEADLINE = re.compile(
    r"^(?:(?:within|in\s+the\s+next)\s+[\w-]+\s+(?:months?|years?|weeks?|days?)"
    r"(?:\s+(?:of|from|after)\s+[^,]{3,50})?|(?:by|before|no\s+later\s+than|not\s+later\s+than)"
    r"\s+(?:the\s+end\s+of\s+)?[^,]{3,30}|immediately|as\s+a\s+matter\s+of\s+(?:urgency|priority))"
    r"\s*,\s*",
    re.I,
)
_NATIONAL_BODIES = (
    ("College of Policing", r"(?:the\s+)?college\s+of\s+policing"),
    ("National Police Chiefs’ Council", r"(?:the\s+)?(?:national\s+police\s+chiefs['’]?\s+council"
     r"(?:\s*\(npcc\))?|npcc)(?:\s+leads?(?:\s+for\s+[\w\s,-]+?)?)?"),
    ("Home Office", r"(?:the\s+)?home\s+office"),
    ("Home Secretary", r"(?:the\s+)?home\s+secretary"),
    ("National Crime Agency", r"(?:the\s+)?(?:national\s+crime\s+agency|nca)"),
    ("Ministry of Justice", r"(?:the\s+)?ministry\s+of\s+justice"),
    ("Crown Prosecution Service", r"(?:the\s+)?(?:crown\s+prosecution\s+service|cps)"),
    ("Independent Office for Police Conduct", r"(?:the\s+)?(?:independent\s+office\s+for\s+police"
     r"\s+conduct|iopc)"),
    ("Association of Police and Crime Commissioners", r"(?:the\s+)?(?:association\s+of\s+police\s+and"
     r"\s+crime\s+commissioners|apcc)"),
    ("Police and crime commissioners", r"(?:all\s+)?(?:police\s+and\s+crime\s+commissioners|pccs)"),
)  # fmt: skip


@dataclass
class _Item:
    kind: str
    reference: str | None
    parts: list[str]
    source: dict
    area: str | None
    addressee_hint: dict | None = None
    list_level: int = 0
    parent: int | None = None
    expects_parts: bool = False
    index: int = -1
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def kind_from_word(word: str) -> str:
    """The finding kind a label word names ("AFI", "Cause of concern", …)."""
    for pattern, kind in _KIND_WORDS:
        if pattern.fullmatch(word.strip().rstrip(".")):
            return kind
    return REC


def parse_label(text: str) -> tuple[str, str | None, str] | None:
    """(kind, reference, rest) for text that starts with a finding label, else None."""
    match = _LABEL.match(text)
    if not match:
        return None
    word = match.group("word")
    number = match.group("num")
    rest = match.group("rest").strip()
    # A bare "R" or "Rec" needs a number to be a label; "Recommendation" alone is enough.
    if (
        word.lower().startswith("r")
        and not word.lower().startswith("recommendation")
        and not number
    ):
        return None
    if not number and rest and rest[:1].islower():
        return None
    kind = kind_from_word(word)
    reference = clean(match.group("label")) if number else None
    return kind, reference, rest


def _strip_parentheticals(subject: str) -> str:
    subject = re.sub(r"\([^)]*\)", " ", subject)
    subject = re.sub(
        r",\s*(?:working|in\s+consultation|together|with|in\s+partnership|supported|through|"
        r"as\s+|and\s+its|led\s+by|where)[^,]*,?",
        " ",
        subject,
        flags=re.I,
    )
    return clean(subject).strip(" ,")


def classify_subject(subject: str) -> dict | None:
    """The addressee a sentence's subject names, or None if it names none."""
    subject = _strip_parentheticals(subject)
    low = subject.lower()
    if low.split()[:1] and low.split()[0] in _PRONOUNS:
        return None
    if re.fullmatch(r"(?:every|each|all)\s+chief\s+(?:constable|officer)s?", low):
        return {"type": "chief_constables", "name": None}
    low = re.sub(r"^(?:the|all|every|each|in\s+(?:each|every)\s+force,?)\s+", "", low)
    if not low or len(low.split()) > 14:
        return None
    names = []
    for name, pattern in _NATIONAL_BODIES:
        if re.search(r"(?:^|\b)" + pattern + r"\b", low):
            names.append(name)
    first = re.split(r"\s+(?:and|,)\s+", low)[0].strip()
    if re.fullmatch(
        r"(?:all\s+)?chief\s+(?:constables|officers)|chief\s+constables\s+of\s+[\w\s]+", first
    ):
        return {"type": "chief_constables", "name": None}
    if re.fullmatch(
        r"(?:police\s+)?forces(?:\s+in\s+england\s+and\s+wales)?|(?:police\s+)?force(?:\s+in\s+england\s+and\s+wales)",
        first,
    ) and (first.endswith("s") or subject.lower().startswith(("every", "each", "all"))):
        return {"type": "all_forces", "name": None}
    for name, pattern in _NATIONAL_BODIES:
        if re.fullmatch(pattern, first):
            found = {"type": "national_body", "name": name}
            if len(names) > 1:
                found["names"] = names
            return found
    if re.fullmatch(
        r"force|force['’]s\s+(?:chief\s+(?:constable|officer\s+team)|leaders?|senior\s+leaders|"
        r"leadership(?:\s+team)?|chief\s+officers)|chief\s+constable|constabulary|"
        r"force\s+and\s+(?:the\s+)?(?:pcc|police\s+and\s+crime\s+commissioner|office.*)",
        first,
    ):
        return {"type": "force", "name": None}
    original_first = re.split(r"\s+(?:and|,)\s+", _strip_parentheticals(subject))[0]
    original_first = re.sub(r"^(?:the|The)\s+", "", original_first)
    if re.fullmatch(
        r"(?:[A-Z][\w’'&.-]*\s+){0,5}(?:Police|Constabulary)(?:\s+Service)?", original_first
    ):
        return {"type": "force", "name": original_first}
    if (
        re.fullmatch(
            r"(?:[A-Z][\w’'&.-]*|of|for|and|the)(?:\s+(?:[A-Z][\w’'&.-]*|of|for|and|the)){0,7}",
            original_first,
        )
        and original_first[:1].isupper()
    ):
        return {"type": "national_body", "name": original_first}
    return None


def lead_in(text: str, modal_pattern: re.Pattern = _MODAL) -> tuple[dict | None, bool]:
    """(addressee, is_lead_in) for a sentence that opens a finding: "The force should …",
    "We recommend that, within three months, chief constables …", "Make sure that …"."""
    first = re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0]
    recommended = bool(_RECOMMEND.match(first))
    body = _RECOMMEND.sub("", first, count=1) if recommended else first
    for _ in range(2):
        body = _LEADING_DEADLINE.sub("", body, count=1)
        body = _RECOMMEND.sub("", body, count=1)
    if _STRONG_IMPERATIVE.match(body):
        return None, True
    modal = modal_pattern.search(body)
    if modal and modal.start() < 200:
        subject = body[: modal.start()]
        after = body[modal.end() :]
        if _NOT_ACTION.match(after) or "?" in first:
            return None, False
        addressee = classify_subject(subject)
        if addressee is not None:
            return addressee, True
    if recommended:
        # "We recommend that all forces review …": no modal, the subject comes first.
        words = body.split()
        for n in range(min(len(words), 10), 0, -1):
            addressee = classify_subject(" ".join(words[:n]))
            if addressee is not None:
                return addressee, True
        return None, True
    return None, False


def _heading_kind(text: str) -> tuple[str, dict | None] | None:
    """(kind, addressee hint) for a heading that introduces a group of findings."""
    match = _FINDINGS_HEADING.match(clean(text).rstrip("."))
    if not match:
        return None
    word = match.group("word").lower()
    kind = kind_from_word(word)
    hint = classify_subject(match.group("to")) if match.group("to") else None
    return kind, hint


@dataclass
class _State:
    headings: list[tuple[int, str]] = field(default_factory=list)
    section: dict | None = None
    pending: dict | None = None
    current: _Item | None = None
    concern: _Item | None = None
    accelerated: bool = False
    title: str | None = None


def _area(state: _State) -> str | None:
    for _level, text in reversed(state.headings):
        if text == state.title:
            # The document's title is not a question area.
            continue
        bare = _bare(text)
        if _GENERIC_HEADING.match(bare) or _heading_kind(bare) or parse_label(bare):
            continue
        if _SUBJECT_HEADING.match(bare):
            continue
        return text
    return None


def _bare(text: str) -> str:
    """Heading text without its section number ("2.1 ", "4. ")."""
    return _SECTION_NUMBER.sub("", clean(text), count=1)


def _looks_like_finding(text: str) -> bool:
    return bool(
        parse_label(text) or lead_in(text)[1] or _MODAL.search(text) or _IMPERATIVE.match(text)
    )


def _table_findings(block: Block, state: _State, items: list[_Item], doc_kind: str) -> bool:
    """Findings listed in a tracker table (a column of recommendation text); True if any."""
    rows = block.rows or []
    if len(rows) < 2:
        return False
    header = [normalise(cell) for cell in rows[0]]
    text_col = ref_col = kind_col = None
    for index, cell in enumerate(header):
        if text_col is None and re.fullmatch(
            r"(?:(?:hmicfrs|inspection|report)\s+)?(?:recommendations?|areas?\s+for\s+improvement|afis?"
            r"|findings?|recommendation\s+afi|recommendation\s+or\s+afi|afi\s+recommendation"
            r"|causes?\s+of\s+concern|description|details?)(?:\s+(?:text|wording|description|details))?",
            cell,
        ):
            text_col = index
        elif ref_col is None and re.fullmatch(
            r"ref(?:erence)?(?:\s+no)?|no|number|id|rec(?:\s+no)?|item", cell
        ):
            ref_col = index
        elif kind_col is None and re.fullmatch(r"type|kind|category|finding\s+type", cell):
            kind_col = index
    if text_col is None:
        return False
    first_word = rows[0][text_col].split()[0] if rows[0][text_col].split() else ""
    default_kind = kind_from_word(first_word) if first_word else doc_kind
    if normalise(rows[0][text_col]).startswith(("finding", "description", "detail")):
        default_kind = doc_kind
    found = False
    concern: _Item | None = None
    for row in rows[1:]:
        if text_col >= len(row) or not row[text_col].strip():
            continue
        text = row[text_col].strip()
        # A data table with a "Finding" column holds figures, not findings: a finding is a
        # sentence saying what should be done or what is wrong.
        if len(text.split()) < 5:
            continue
        reference = row[ref_col].strip() if ref_col is not None and ref_col < len(row) else None
        kind = default_kind
        label = parse_label(text)
        if label:
            kind, label_ref, rest = label
            if rest:
                text = rest
            reference = reference or label_ref
        elif reference and (ref_label := parse_label(reference + " X")):
            kind = ref_label[0]
        if kind_col is not None and kind_col < len(row) and row[kind_col].strip():
            kind = kind_from_word(row[kind_col])
        if _NARRATIVE.match(text):
            continue
        if kind not in CONCERNS and not _looks_like_finding(text):
            continue
        item = _Item(kind, reference or None, [text], block.source(), _area(state))
        if kind in CONCERNS:
            concern = item
        elif kind == REC and concern is not None:
            item.parent = id(concern)
        items.append(item)
        found = True
    return found


def find_findings(blocks: list[Block], published: datetime.date | None = None) -> list[dict]:
    """The findings in these blocks, each as a JSON-ready dict."""
    state = _State()
    items: list[_Item] = []
    head = " ".join(b.text for b in blocks[:8] if not b.is_table).lower()
    state.accelerated = "accelerated cause of concern" in head or any(
        b.heading and "accelerated cause of concern" in b.text.lower() for b in blocks
    )
    labels = [p for b in blocks if not b.is_table and (p := parse_label(b.text))]
    labelled_kinds = [p[0] for p in labels]
    doc_kind = max(set(labelled_kinds), key=labelled_kinds.count) if labelled_kinds else REC
    # A document that numbers its findings ("AFI 3", "Recommendation 2") numbers all of them,
    # so its unlabelled "The force should …" sentences are narrative.
    numbered_doc = sum(1 for p in labels if p[1]) >= 2

    def start(kind, reference, text, block, hint=None) -> _Item:
        if kind == COC and state.accelerated:
            kind = ACC
        item = _Item(
            kind=kind,
            reference=reference,
            parts=[text] if text else [],
            source=block.source(),
            area=_area(state),
            addressee_hint=hint,
            list_level=block.list_level,
        )
        if kind in CONCERNS:
            state.concern = item
        elif kind == REC and state.concern is not None:
            item.parent = id(state.concern)
        elif kind == AFI:
            state.concern = None
        items.append(item)
        state.current = item
        return item

    def open_section(kind: str, hint: dict | None, level: int) -> None:
        state.section = {"kind": kind, "level": level, "hint": hint}
        state.current = None
        if not (kind == REC and state.concern is not None):
            state.concern = None

    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.is_table:
            state.current = None
            _table_findings(block, state, items, doc_kind)
            continue
        if block.heading:
            state.current = None
            bare = _bare(text)
            label = parse_label(bare)
            group = _heading_kind(bare)
            subject = _SUBJECT_HEADING.match(bare)
            if label and not label[2] and (label[0] in CONCERNS or not group):
                # A single labelled finding ("Area for improvement 1", "Cause of concern"):
                # its text is the paragraph that follows.
                kind, reference, _ = label
                if kind in CONCERNS:
                    state.section = None
                state.pending = {"kind": kind, "reference": reference}
                continue
            state.pending = None
            if group or (subject and classify_subject(subject.group("subject"))):
                if group:
                    kind, hint = group
                else:
                    kind = state.section["kind"] if state.section else REC
                    hint = classify_subject(subject.group("subject"))
                # A findings heading ends the sections beside it: they are not its area.
                while state.headings and state.headings[-1][0] >= block.heading:
                    state.headings.pop()
                open_section(kind, hint, block.heading)
                continue
            while state.headings and state.headings[-1][0] >= block.heading:
                state.headings.pop()
            if state.title is None:
                state.title = text
            state.headings.append((block.heading, text))
            if state.section and block.heading <= state.section["level"]:
                state.section = None
            state.concern = None
            continue

        bare = _bare(text)
        if _NARRATIVE.match(bare):
            state.current = None
            state.pending = None
            continue

        if state.pending is not None:
            pending, state.pending = state.pending, None
            label = parse_label(text)
            if label and not label[2]:
                state.pending = {"kind": label[0], "reference": label[1]}
                continue
            item = start(pending["kind"], pending["reference"], text, block)
            item.expects_parts = text.endswith(":")
            continue

        current = state.current
        if current is not None and block.is_list_item:
            if current.list_level:
                sub_part = block.list_level > current.list_level
            else:
                sub_part = current.text.endswith(":") or current.expects_parts or text[:1].islower()
            if sub_part:
                current.parts.append(text)
                continue

        label = parse_label(text)
        if label:
            kind, reference, rest = label
            if not rest:
                state.pending = {"kind": kind, "reference": reference}
                state.current = None
                continue
            if _NARRATIVE_REST.match(rest) or _NARRATIVE.match(rest):
                state.current = None
                continue
            item = start(kind, reference, rest, block)
            item.expects_parts = rest.endswith(":")
            continue

        group = _heading_kind(bare)
        if group and len(text) < 80:
            kind, hint = group
            open_section(kind, hint, 99)
            continue

        section = state.section
        if section is not None:
            addressee, is_lead_in = lead_in(text)
            intro = text.endswith(":") and not is_lead_in
            top_item = block.is_list_item and (
                current is None or block.list_level <= max(current.list_level, 1)
            )
            modal = _MODAL.search(text)
            action = (
                is_lead_in
                or _IMPERATIVE.match(text)
                or (modal and block.emphasised and not _NOT_ACTION.match(text[modal.end() :]))
            )
            if (
                not intro
                and (action or (top_item and not block.emphasised))
                and (block.is_list_item or block.emphasised or is_lead_in or block.marker)
            ):
                reference = None
                if block.marker and block.marker != "•":
                    reference = block.marker.strip("().")
                item = start(section["kind"], reference, text, block, section.get("hint"))
                item.expects_parts = text.endswith(":")
                continue
            if not block.is_list_item:
                state.current = None
            continue

        addressee, is_lead_in = lead_in(text, _STRONG_MODAL)
        modal = _STRONG_MODAL.search(text)
        emphasised_action = (
            block.emphasised
            and modal is not None
            and not _NOT_ACTION.match(text[modal.end() :])
            and len(text) < 1200
        )
        if numbered_doc and not block.emphasised and state.concern is None:
            is_lead_in = False
        if is_lead_in or emphasised_action:
            kind = REC if state.concern is not None else doc_kind
            if kind in CONCERNS or (kind == AFI and find_deadline(text) is not None):
                # Areas for improvement seldom carry deadlines; a lone finding with one is a
                # recommendation.
                kind = REC
            reference = None
            if block.marker and block.marker != "•":
                reference = block.marker.strip("().")
            item = start(kind, reference, text, block)
            item.expects_parts = text.endswith(":")
            continue
        # Anything else is narrative: it ends the sub-parts of the item above.
        state.current = None

    return _finish(items, published)


def _finish(items: list[_Item], published: datetime.date | None) -> list[dict]:
    seen: dict[str, int] = {}
    out: list[dict] = []
    ids: dict[int, int] = {}
    for item in items:
        text = item.text.strip()
        if not text:
            continue
        key = normalise(text)
        if key in seen:
            # The same finding printed twice (body and summary): keep the first, fill gaps.
            ids[id(item)] = seen[key]
            earlier = out[seen[key]]
            earlier["reference"] = earlier["reference"] or item.reference
            earlier["area"] = earlier["area"] or item.area
            continue
        addressee, _ = lead_in(text)
        if addressee is None:
            addressee = item.addressee_hint or {"type": "force", "name": None}
        parent = ids.get(item.parent) if item.parent is not None else None
        entry = {
            "kind": item.kind,
            "reference": item.reference,
            "text": text,
            "addressee": addressee,
            "deadline": find_deadline(text, published),
            "area": item.area,
            "source": item.source,
        }
        if parent is not None:
            entry["parent"] = parent
        seen[key] = len(out)
        ids[id(item)] = len(out)
        out.append(entry)
    return out
