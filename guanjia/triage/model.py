"""The statistical half of triage: linear classifiers over character n-grams, jieba words and domain cues.

Features (one sparse matrix): TF-IDF of character 1–3-grams, TF-IDF of jieba words and word bigrams, and two
blocks of cue counts (lexicon.py): category cues (objects of each category) and request cues (speech acts:
asking for a repair, reproaching a delay, asking a question …). Each label reads the blocks that help it on a
template-disjoint development split of the training data (LABEL_BLOCKS); held-out data plays no part in that.

Decisions:
- category: a linear SVM, sigmoid-calibrated (3-fold), so that `confidence` means something. The department is
  chosen first, by summing category probabilities per department, then the most probable category inside it.
- request type: a linear SVM whose features are doubled — every feature once as is and once "inside
  engineering" (multiplied by 1 when the predicted department is engineering, else 0). The same words mean
  different things there: "垃圾亭的顶棚漏了" is a repair, "垃圾房的味道飘到家里" a complaint. In training the
  department comes from 3-fold out-of-fold category predictions, so the request-type model learns from the same
  kind of department guess it gets at prediction time.
- urgency, sentiment, sensitive: a linear SVM each. Their probabilities are a softmax of the SVM scores
  (informational; only the category's confidence is part of the contract).

The model sees normalised text (normalize.normalize). The rules layer (rules.py) runs after the model and may only
raise alarms.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import re
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
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from guanjia.tickets.taxonomy import Category, RequestType, Urgency, department_for

from .lexicon import LexiconFeatures
from .normalize import normalize
from .rules import ESCALATION_RULES

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
ARTIFACT = HERE / "artifacts" / "model.joblib"
TRAIN_FILE = CORPUS_DIR / "train.jsonl"
HELDOUT_FILE = CORPUS_DIR / "heldout.jsonl"
HELDOUT_LONGTAIL_FILE = CORPUS_DIR / "heldout_longtail.jsonl"  # held-out of the v4 long-tail templates

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
# Added to the urgency model's "emergency" score: a missed emergency costs far more than a needless dash, so
# emergency wins a little before it is the best score. Chosen on the development split: 0.2 lifts the model's own
# emergency recall from 88 % to 94 % for 4 points of precision (guanjia/triage/README.md).
EMERGENCY_MARGIN = 0.2
_PUNCT = set(" ，。！？!?,.、；;：:“”\"'（）()[]【】~…-")

USER_DICT = HERE / "jieba_dict.txt"  # property terms: 道闸, 快递柜, 充电桩 … stay one word

jieba.setLogLevel(logging.WARNING)


@functools.cache
def _tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer with the property terms added (the global jieba stays as other code left it)."""
    tokenizer = jieba.Tokenizer()
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if fields and not line.startswith("#"):
            tokenizer.add_word(fields[0], int(fields[1]) if len(fields) > 1 else None)
    return tokenizer


def jieba_tokenize(text: str) -> list[str]:
    """jieba words without whitespace and punctuation (module-level so the pickled vectorizer can find it)."""
    return [w for w in _tokenizer().lcut(text) if w.strip() and w not in _PUNCT]


BLOCKS = ("chars", "words", "category_cues", "request_cues")
# The feature blocks each label reads, chosen on the development split (see module docstring).
LABEL_BLOCKS: dict[str, tuple[str, ...]] = {
    "category": BLOCKS,
    "request_type": ("chars", "words", "request_cues"),
    "urgency": BLOCKS,
    "sentiment": BLOCKS,
    "sensitive": BLOCKS,
}
CROSSED_WITH_ENGINEERING = ("request_type",)


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
            ("category_cues", LexiconFeatures("category")),
            ("request_cues", LexiconFeatures("request")),
        ],
        transformer_weights={"chars": 1.0, "words": 1.0, "category_cues": 0.5, "request_cues": 0.5},
    )


def _block_columns(features: FeatureUnion) -> dict[str, np.ndarray]:
    """Column indices of each block in the union's output."""
    out, start = {}, 0
    for name, transformer in features.transformer_list:
        width = len(transformer.vocabulary_) if hasattr(transformer, "vocabulary_") else transformer.width
        out[name] = np.arange(start, start + width)
        start += width
    return out


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


def _full_width(coef: np.ndarray, columns: np.ndarray, width: int) -> np.ndarray:
    full = np.zeros((coef.shape[0], width), dtype=np.float32)
    full[:, columns] = coef
    return full


@dataclass
class LinearCalibrated:
    """A fitted, sigmoid-calibrated linear SVM reduced to numpy arrays.

    Gives exactly CalibratedClassifierCV(ensemble=False).predict_proba on the columns it was trained on, without
    scikit-learn's per-call input validation, which costs more than the arithmetic for one short message
    (≈10 ms per label per call). Columns it does not read carry zero weight.
    """

    classes: list[Any]
    coef: np.ndarray  # (rows, features) float32; one row for a binary label
    intercept: np.ndarray
    slope: np.ndarray  # the sigmoid calibrators' a_ and b_, one per row
    offset: np.ndarray

    @classmethod
    def from_sklearn(cls, clf: CalibratedClassifierCV, columns: np.ndarray, width: int) -> LinearCalibrated:
        [calibrated] = clf.calibrated_classifiers_
        svm = calibrated.estimator
        if list(svm.classes_) != list(clf.classes_):
            raise ValueError("class order of the SVM and the calibrated classifier differ")
        return cls(
            classes=[c.item() if hasattr(c, "item") else c for c in clf.classes_],
            coef=_full_width(svm.coef_, columns, width),
            intercept=svm.intercept_.astype(np.float32),
            slope=np.array([c.a_ for c in calibrated.calibrators]),
            offset=np.array([c.b_ for c in calibrated.calibrators]),
        )

    def predict_proba(self, X: sparse.csr_matrix, engineering: np.ndarray | None = None) -> np.ndarray:  # noqa: N803
        decision = np.asarray(X @ self.coef.T) + self.intercept
        proba = expit(-(self.slope * decision + self.offset))
        if len(self.classes) == 2:
            return np.hstack([1.0 - proba, proba])
        total = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1.0 / len(self.classes))
        return np.divide(proba, total, out=uniform, where=total != 0)


@dataclass
class LinearScores:
    """A fitted linear SVM reduced to numpy arrays; its "probabilities" are a softmax of the SVM scores.

    With ``coef_engineering``, the score adds ``X @ coef_engineering`` for messages whose predicted department is
    engineering: the same features, weighted differently inside engineering.
    """

    classes: list[Any]
    coef: np.ndarray  # (rows, features) float32; one row for a binary label
    intercept: np.ndarray
    coef_engineering: np.ndarray | None = None

    @classmethod
    def from_svm(cls, svm: LinearSVC, columns: np.ndarray, width: int, *, crossed: bool) -> LinearScores:
        n = len(columns)
        coef = svm.coef_[:, :n]
        return cls(
            classes=[c.item() if hasattr(c, "item") else c for c in svm.classes_],
            coef=_full_width(coef, columns, width),
            intercept=svm.intercept_.astype(np.float32),
            coef_engineering=_full_width(svm.coef_[:, n:], columns, width) if crossed else None,
        )

    def predict_proba(self, X: sparse.csr_matrix, engineering: np.ndarray | None = None) -> np.ndarray:  # noqa: N803
        decision = np.asarray(X @ self.coef.T) + self.intercept
        if self.coef_engineering is not None:
            flags = np.zeros(X.shape[0], dtype=np.float32) if engineering is None else engineering.astype(np.float32)
            decision = decision + flags[:, None] * np.asarray(X @ self.coef_engineering.T)
        if len(self.classes) == 2:
            p = expit(decision)
            return np.hstack([1.0 - p, p])
        z = np.exp(decision - decision.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def _crossed(X: sparse.csr_matrix, engineering: np.ndarray) -> sparse.csr_matrix:  # noqa: N803
    """[X, X inside engineering]: the second half is X on rows whose department is engineering, else 0."""
    return sparse.hstack([X, sparse.diags(engineering.astype(np.float32)) @ X], format="csr")


@dataclass
class TriageModel:
    features: FeatureUnion
    classifiers: dict[str, LinearCalibrated | LinearScores]
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def fit(
        cls,
        examples: Sequence[Example],
        *,
        C: float = 0.25,
        C_category: float = 0.07,
        C_request: float = 0.2,  # noqa: N803
    ) -> TriageModel:
        texts = [normalize(e.text) for e in examples]
        weights = np.array([e.weight for e in examples])
        features = _features()
        X = features.fit_transform(texts)  # noqa: N806
        for _, transformer in features.transformer_list:
            if hasattr(transformer, "stop_words_"):
                transformer.stop_words_ = None  # only needed for introspection; would bloat the artifact
        # The category reads the text without its escalation clauses (topic_text).
        X_topic = _replace_rows(X, [e.text for e in examples], texts, features)  # noqa: N806
        blocks = _block_columns(features)
        width = X.shape[1]

        def columns(label: str) -> np.ndarray:
            return np.concatenate([blocks[b] for b in LABEL_BLOCKS[label]])

        def svm(c: float) -> LinearSVC:
            return LinearSVC(C=c, class_weight="balanced", random_state=0)

        classifiers: dict[str, LinearCalibrated | LinearScores] = {}
        cat_cols = columns("category")
        y_cat = [e.category for e in examples]
        clf = CalibratedClassifierCV(svm(C_category), cv=3, ensemble=False)
        clf.fit(X_topic[:, cat_cols], y_cat, sample_weight=weights)
        classifiers["category"] = LinearCalibrated.from_sklearn(clf, cat_cols, width)
        # Out-of-fold department guesses: what the request-type model will see at prediction time.
        folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
        oof = cross_val_predict(
            svm(C_category), X_topic[:, cat_cols], y_cat, cv=folds, params={"sample_weight": weights}
        )
        engineering = np.array([department_for(c) == "engineering" for c in oof])
        for label in LABELS:
            if label == "category":
                continue
            cols = columns(label)
            Xl = X[:, cols]  # noqa: N806
            crossed = label in CROSSED_WITH_ENGINEERING
            if crossed:
                Xl = _crossed(Xl, engineering)  # noqa: N806
            model = svm(C_request if label == "request_type" else C)
            model.fit(Xl, [getattr(e, label) for e in examples], sample_weight=weights)
            classifiers[label] = LinearScores.from_svm(model, cols, width, crossed=crossed)
        urgency = classifiers["urgency"]
        urgency.intercept[urgency.classes.index(Urgency.EMERGENCY)] += EMERGENCY_MARGIN
        info = {
            "examples": len(examples),
            "features": width,
            "C": C,
            "C_category": C_category,
            "C_request": C_request,
            "emergency_margin": EMERGENCY_MARGIN,
        }
        return cls(features=features, classifiers=classifiers, info=info)

    def predict(self, texts: Sequence[str]) -> list[dict[str, tuple[Any, float]]]:
        """For each text, label → (value, probability of that value). Texts are normalised here."""
        if not texts:
            return []
        normalized = [normalize(t) for t in texts]
        X = self._transform_normalized(normalized)  # noqa: N806
        out: list[dict[str, tuple[Any, float]]] = [{} for _ in texts]
        category = self.classifiers["category"]
        category_proba = category.predict_proba(_replace_rows(X, texts, normalized, self.features))
        category_best = _department_first(category_proba, category.classes)
        engineering = np.array([department_for(category.classes[j]) == "engineering" for j in category_best])
        for label, clf in self.classifiers.items():
            if label == "category":
                proba, best = category_proba, category_best
            else:
                proba = clf.predict_proba(X, engineering)
                best = proba.argmax(axis=1)
            for i, j in enumerate(best):
                value = clf.classes[j]
                out[i][label] = (value.item() if hasattr(value, "item") else value, float(proba[i, j]))
        return out

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """FeatureUnion.transform, minus its per-call dispatch overhead."""
        return self._transform_normalized([normalize(t) for t in texts])

    def _transform_normalized(self, normalized: Sequence[str]) -> sparse.csr_matrix:
        return _transform(self.features, normalized)

    def save(self, path: Path = ARTIFACT) -> None:
        # Weights are stored as float16: a third of the size, and not one held-out label changes (README.md).
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.with_weights(np.float16), path, compress=("xz", 6))

    def with_weights(self, dtype: type) -> TriageModel:
        """A copy whose classifiers' weight matrices are of ``dtype``."""

        def cast(clf: LinearCalibrated | LinearScores) -> LinearCalibrated | LinearScores:
            changes = {"coef": clf.coef.astype(dtype)}
            if getattr(clf, "coef_engineering", None) is not None:
                changes["coef_engineering"] = clf.coef_engineering.astype(dtype)
            return dataclasses.replace(clf, **changes)

        classifiers = {label: cast(clf) for label, clf in self.classifiers.items()}
        return dataclasses.replace(self, classifiers=classifiers)


def _transform(features: FeatureUnion, normalized: Sequence[str]) -> sparse.csr_matrix:
    weights = features.transformer_weights or {}
    blocks = [
        transformer.transform(list(normalized)) * weights.get(name, 1.0)
        for name, transformer in features.transformer_list
    ]
    return sparse.hstack(blocks, format="csr")


_CLAUSE = re.compile(r"[^，。！？!?；;,、\s]+")


def topic_text(text: str) -> str:
    """The message without its escalation clauses ("我已经打了12345", "准备联名换物业"), normalised: what the
    category reads.

    An escalation says where the owner will go, not what the problem is, and its words (物业费, 街道, 电视台 …) would
    otherwise pull the category. Clauses are cut at punctuation and pauses of the raw text; the rules layer still
    sees them all. A message that is nothing but escalation is kept whole.
    """
    clauses = _CLAUSE.findall(text or "")
    kept = [c for c in clauses if not any(rule.fires(normalize(c)) for rule in ESCALATION_RULES)]
    if not kept or len(kept) == len(clauses):
        return normalize(text)
    return normalize(" ".join(kept))


def _replace_rows(
    X: sparse.csr_matrix,
    texts: Sequence[str],
    normalized: Sequence[str],
    features: FeatureUnion,  # noqa: N803
) -> sparse.csr_matrix:
    """X with the rows of texts that carry an escalation clause replaced by the features of their topic text."""
    topics = [topic_text(t) for t in texts]
    changed = [i for i, (t, u) in enumerate(zip(normalized, topics, strict=True)) if t != u]
    if not changed:
        return X
    rows = _transform(features, [topics[i] for i in changed])
    keep = np.ones(X.shape[0], dtype=bool)
    keep[changed] = False
    order = np.argsort(np.r_[np.flatnonzero(keep), changed], kind="stable")
    return sparse.vstack([X[keep], rows], format="csr")[order]


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
    return model.with_weights(np.float32)  # stored as float16 (save); computed in float32


@functools.cache
def default_model() -> TriageModel:
    """The committed model, loaded once per process."""
    return load_model(ARTIFACT)


def train(*, corrections: Iterable[Example] = (), train_file: Path = TRAIN_FILE) -> TriageModel:
    return TriageModel.fit([*read_examples(train_file), *corrections])
