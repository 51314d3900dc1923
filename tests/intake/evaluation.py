"""Measuring the extractor against the labelled corpus: precision and recall on findings,
and how often the kind, deadline, addressee, reference, area and parent come out right."""

from __future__ import annotations

import datetime
import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from recreg.intake.extract import extract
from recreg.intake.extract.common import normalise
from tests.intake.corpus.build import CORPUS, build

MATCH_THRESHOLD = 0.9


def _addressee(found: dict | None) -> str:
    if not found:
        return "none"
    if found["type"] == "national_body":
        return f"national_body:{found.get('name')}"
    return found["type"]


def _deadline_ok(found: dict | None, label: dict | None, published) -> bool:
    if label is None or found is None:
        return label is None and found is None
    if found["type"] != label["type"]:
        return False
    if label["type"] == "date":
        return found.get("date") == label["date"]
    if label["type"] == "months":
        from recreg.findings.deadlines import add_months

        return found.get("months") == label["months"] and found.get("date") == (
            add_months(published, label["months"]).isoformat() if published else None
        )
    return True


@dataclass
class Scores:
    labelled: int = 0
    found: int = 0
    matched: int = 0
    fields: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    def rate(self, name: str) -> float:
        return self.fields.get(name, 0) / self.matched if self.matched else 1.0

    def summary(self) -> str:
        parts = [
            f"findings labelled {self.labelled}, found {self.found}, matched {self.matched}",
            f"precision {self.precision:.1%}, recall {self.recall:.1%}",
        ]
        parts += [
            f"{name} right {self.rate(name):.1%}"
            for name in ("deadline", "kind", "addressee", "reference", "area", "parent")
        ]
        return "; ".join(parts)


def _match(found: list[dict], labels: list[dict]) -> list[tuple[int, int]]:
    """Pairs (label index, found index), best text similarity first, each used once."""
    candidates = []
    for li, label in enumerate(labels):
        a = normalise(label["text"])
        for fi, item in enumerate(found):
            b = normalise(item["text"])
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            if matcher.real_quick_ratio() < MATCH_THRESHOLD:
                continue
            ratio = matcher.ratio()
            if ratio >= MATCH_THRESHOLD:
                candidates.append((ratio, li, fi))
    pairs, used_l, used_f = [], set(), set()
    for _, li, fi in sorted(candidates, reverse=True):
        if li not in used_l and fi not in used_f:
            pairs.append((li, fi))
            used_l.add(li)
            used_f.add(fi)
    return pairs


def evaluate(out_dir: Path, scores: Scores | None = None) -> Scores:
    """Extract every corpus document and score it against its labels."""
    scores = scores or Scores()
    documents = build(out_dir)
    for label_path in sorted(CORPUS.glob("*.json")):
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        path = documents[labels["file"]]
        published = datetime.date.fromisoformat(labels["published"])
        result = extract(path.read_bytes(), path.name, published=published)
        found, wanted = result.findings, labels["findings"]
        pairs = _match(found, wanted)
        scores.labelled += len(wanted)
        scores.found += len(found)
        scores.matched += len(pairs)
        found_for = {li: fi for li, fi in pairs}
        label_for = {fi: li for li, fi in pairs}
        name = labels["file"]
        for li, label in enumerate(wanted):
            if li not in found_for:
                scores.problems.append(f"{name}: missed {label['text'][:90]!r}")
                continue
            item = found[found_for[li]]
            checks = {
                "deadline": _deadline_ok(item["deadline"], label["deadline"], published),
                "kind": item["kind"] == label["kind"],
                "addressee": _addressee(item["addressee"]) == label["addressee"],
                "reference": item["reference"] == label["reference"],
                "area": (item["area"] or None) == label["area"],
                "parent": label_for.get(item.get("parent"), item.get("parent"))
                == label.get("parent")
                if item.get("parent") is not None
                else label.get("parent") is None,
            }
            for key, ok in checks.items():
                scores.fields[key] = scores.fields.get(key, 0) + int(ok)
                if not ok:
                    got = {
                        "deadline": item["deadline"],
                        "kind": item["kind"],
                        "addressee": _addressee(item["addressee"]),
                        "reference": item["reference"],
                        "area": item["area"],
                        "parent": item.get("parent"),
                    }[key]
                    scores.problems.append(
                        f"{name}: {key} of {label['text'][:50]!r}: got {got!r}, "
                        f"want {label.get(key)!r}"
                    )
        for fi, item in enumerate(found):
            if fi not in label_for:
                scores.problems.append(f"{name}: extra {item['text'][:90]!r}")
        if "grades" in labels:
            scores.fields.setdefault("grade_tables", 0)
            scores.fields.setdefault("grade_tables_labelled", 0)
            scores.fields["grade_tables_labelled"] += 1
            rows = [row for table in result.grades for row in table["rows"]]
            want = [{"area": r["area"], "grades": r["grades"]} for r in labels["grades"]]
            got = [{"area": r["area"], "grades": r["grades"]} for r in rows]
            if got == want:
                scores.fields["grade_tables"] += 1
            else:
                scores.problems.append(f"{name}: grades {got!r} != {want!r}")
    return scores


if __name__ == "__main__":
    import os
    import sys
    import tempfile

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recreg.settings")
    django.setup()
    with tempfile.TemporaryDirectory() as tmp:
        result = evaluate(Path(tmp))
    print("\n".join(result.problems))
    print(result.summary())
    grades = result.fields.get("grade_tables", 0), result.fields.get("grade_tables_labelled", 0)
    print(f"grade tables right: {grades[0]}/{grades[1]}")
    sys.exit(0)
