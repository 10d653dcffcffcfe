"""The statistical half of triage: one linear classifier per label over character n-grams and jieba words.

Features: TF-IDF of character 1–3-grams, TF-IDF of jieba words and word bigrams, and a few domain cue counts
(lexicon.py). Classifiers: a linear SVM per label, calibrated (sigmoid, 3-fold) so that its probabilities mean
something; `confidence` is the calibrated probability of the chosen category. The department is chosen first, by
summing category probabilities per department, and the category is the most probable one inside it: a message
torn between two engineering categories still goes to engineering.

The model sees normalised text (normalize.normalize). Training takes well under a minute; the artifact is a
compressed joblib file of a few MB. The rules layer (rules.py) runs after the model and may only raise alarms.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jieba
import joblib
import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from guanjia.tickets.taxonomy import Category, RequestType, Urgency, department_for

from .lexicon import LexiconFeatures
from .normalize import normalize

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
ARTIFACT = HERE / "artifacts" / "model.joblib"
TRAIN_FILE = CORPUS_DIR / "train.jsonl"
HELDOUT_FILE = CORPUS_DIR / "heldout.jsonl"

LABELS = ("request_type", "category", "urgency", "sentiment", "sensitive")
SENTIMENTS = ("positive", "neutral", "negative", "angry")
LABEL_VALUES: dict[str, tuple[Any, ...]] = {
    "request_type": tuple(RequestType.values),
    "category": tuple(Category.values),
    "urgency": tuple(Urgency.values),
    "sentiment": SENTIMENTS,
    "sensitive": (False, True),
}
CORRECTION_WEIGHT = 3.0  # a clerk's correction counts as much as three generated examples
_PUNCT = set(" ，。！？!?,.、；;：:“”\"'（）()[]【】~…-")

jieba.setLogLevel(logging.WARNING)


def jieba_tokenize(text: str) -> list[str]:
    """jieba words without whitespace and punctuation (module-level so the pickled vectorizer can find it)."""
    return [w for w in jieba.lcut(text) if w.strip() and w not in _PUNCT]


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char",
                    ngram_range=(1, 3),
                    min_df=2,
                    max_features=30000,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    tokenizer=jieba_tokenize,
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=(1, 2),
                    min_df=2,
                    max_features=12000,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            ("cues", LexiconFeatures()),
        ],
        transformer_weights={"chars": 1.0, "words": 1.0, "cues": 0.5},
    )


@dataclass(frozen=True)
class Example:
    text: str
    request_type: str
    category: str
    urgency: str
    sentiment: str
    sensitive: bool
    weight: float = 1.0


class CorrectionError(ValueError):
    """A corrections file line that is not valid JSON or carries a label outside TAXONOMY.md."""


def read_examples(path: Path, *, weight: float = 1.0) -> list[Example]:
    """Labelled rows of a corpus or corrections JSONL file.

    Every line is an object with ``text`` and the five labels; other keys (style, template, ticket,
    corrected_at, corrected_by …) are ignored. Blank lines are skipped. A bad line raises CorrectionError
    naming the line number, so a corrupt export never trains silently.
    """
    examples: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorrectionError(f"{path}:{lineno}: not JSON ({exc.msg})") from exc
            text = obj.get("text")
            if not isinstance(text, str) or not text.strip():
                raise CorrectionError(f"{path}:{lineno}: 'text' must be a non-empty string")
            for label, allowed in LABEL_VALUES.items():
                if obj.get(label) not in allowed:
                    raise CorrectionError(f"{path}:{lineno}: {label}={obj.get(label)!r} is not one of {allowed}")
            examples.append(Example(text=text, weight=weight, **{label: obj[label] for label in LABELS}))
    return examples


@dataclass
class LinearCalibrated:
    """A fitted, sigmoid-calibrated linear SVM reduced to numpy arrays.

    Gives exactly CalibratedClassifierCV(ensemble=False).predict_proba, without scikit-learn's per-call input
    validation, which costs more than the arithmetic for one short message (≈10 ms per label per call).
    """

    classes: list[Any]
    coef: np.ndarray  # (rows, features) float32; one row for a binary label
    intercept: np.ndarray
    slope: np.ndarray  # the sigmoid calibrators' a_ and b_, one per row
    offset: np.ndarray

    @classmethod
    def from_sklearn(cls, clf: CalibratedClassifierCV) -> LinearCalibrated:
        [calibrated] = clf.calibrated_classifiers_
        svm = calibrated.estimator
        if list(svm.classes_) != list(clf.classes_):
            raise ValueError("class order of the SVM and the calibrated classifier differ")
        return cls(
            classes=[c.item() if hasattr(c, "item") else c for c in clf.classes_],
            coef=svm.coef_.astype(np.float32),
            intercept=svm.intercept_.astype(np.float32),
            slope=np.array([c.a_ for c in calibrated.calibrators]),
            offset=np.array([c.b_ for c in calibrated.calibrators]),
        )

    def predict_proba(self, X: sparse.csr_matrix) -> np.ndarray:  # noqa: N803
        decision = np.asarray(X @ self.coef.T) + self.intercept
        proba = expit(-(self.slope * decision + self.offset))
        if len(self.classes) == 2:
            return np.hstack([1.0 - proba, proba])
        total = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1.0 / len(self.classes))
        return np.divide(proba, total, out=uniform, where=total != 0)


@dataclass
class TriageModel:
    features: FeatureUnion
    classifiers: dict[str, LinearCalibrated]
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def fit(cls, examples: Sequence[Example], *, C: float = 0.5) -> TriageModel:  # noqa: N803
        texts = [normalize(e.text) for e in examples]
        weights = np.array([e.weight for e in examples])
        features = _features()
        X = features.fit_transform(texts)  # noqa: N806
        classifiers: dict[str, LinearCalibrated] = {}
        for label in LABELS:
            y = [getattr(e, label) for e in examples]
            clf = CalibratedClassifierCV(LinearSVC(C=C, class_weight="balanced", random_state=0), cv=3, ensemble=False)
            clf.fit(X, y, sample_weight=weights)
            classifiers[label] = LinearCalibrated.from_sklearn(clf)
        info = {"examples": len(examples), "features": X.shape[1], "C": C}
        return cls(features=features, classifiers=classifiers, info=info)

    def predict(self, texts: Sequence[str]) -> list[dict[str, tuple[Any, float]]]:
        """For each text, label → (value, probability of that value). Texts are normalised here."""
        if not texts:
            return []
        X = self.transform(texts)  # noqa: N806
        out: list[dict[str, tuple[Any, float]]] = [{} for _ in texts]
        for label, clf in self.classifiers.items():
            proba = clf.predict_proba(X)
            classes = clf.classes
            best = _department_first(proba, classes) if label == "category" else proba.argmax(axis=1)
            for i, j in enumerate(best):
                value = classes[j]
                out[i][label] = (value.item() if hasattr(value, "item") else value, float(proba[i, j]))
        return out

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """FeatureUnion.transform, minus its per-call dispatch overhead."""
        normalized = [normalize(t) for t in texts]
        weights = self.features.transformer_weights or {}
        blocks = [
            transformer.transform(normalized) * weights.get(name, 1.0)
            for name, transformer in self.features.transformer_list
        ]
        return sparse.hstack(blocks, format="csr")

    def save(self, path: Path = ARTIFACT) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=("xz", 6))


def _department_first(proba: np.ndarray, classes: list[str]) -> np.ndarray:
    """Column index of the best category inside the department with the highest summed probability."""
    departments = sorted({department_for(c) for c in classes})
    member = np.array([[department_for(c) == d for d in departments] for c in classes], dtype=float)
    best_department = (proba @ member).argmax(axis=1)
    masked = np.where(member[:, best_department].T.astype(bool), proba, -1.0)
    return masked.argmax(axis=1)


def load_model(path: Path = ARTIFACT) -> TriageModel:
    model = joblib.load(path)
    if not isinstance(model, TriageModel):
        raise TypeError(f"{path} does not hold a TriageModel")
    return model


@functools.cache
def default_model() -> TriageModel:
    """The committed model, loaded once per process."""
    return load_model(ARTIFACT)


def train(*, corrections: Iterable[Example] = (), train_file: Path = TRAIN_FILE) -> TriageModel:
    return TriageModel.fit([*read_examples(train_file), *corrections])
