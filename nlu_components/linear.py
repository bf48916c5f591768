"""LinearIntentClassifier: TF-IDF word and character n-grams with a logistic regression.

On messages it has never seen (the evaluation sets, docs/nlu.md) this small linear model
generalises better than DIET trained on the same ~2,900 lines: DIET fits the training lines
almost perfectly and is over-confident on new wording, while a regularised linear model over
character n-grams shares what it learnt between "touching", "touchin" and "tuchin".

Each message is featurised twice over, as written (lower-cased) and after the text-speak
normalisation the safety rules use ("sum1 at skl" -> "someone at school"), so a spelling the
training lines never used still lands on known features. The model is stored as plain arrays
and JSON (no pickle): vocabularies, idf weights, coefficients and the intent names.

A long message is also read clause by clause: when one clause is, with confidence
``clause_confidence`` and at least as sure as the reading of the whole message, about danger,
self-harm or abuse and the whole message was not read as something at least as urgent, that clause
decides ("...and anyway my stepdad hits me, what should i revise for maths" is a disclosure, however
much else the message says).

``minilm_pieces`` appends the mean of the message's all-MiniLM-L6-v2 word-piece vectors
(``nlu_components/minilm.py``: the sentence model distilled to one vector per piece, a lookup at
parse time), so wording the n-grams never saw still lands near what it means; the vectors are stored
with the model. ``minilm_sentence`` adds a second opinion for the messages that reading is unsure of
(top confidence under ``sentence_below``): the sentence model itself runs on the message and a small
logistic regression over its embedding is mixed in with weight ``sentence_weight``. It is asked too when
the n-grams read a message as something else but give danger, self-harm or abuse at least
``sentence_safety_above``: the messages where a missed disclosure hides. Running it on every message would
cost more than the whole pipeline; on these few it costs little at p95 and reads most of what the n-grams
get wrong. With ``sentence_neighbours`` (k, 0 off) the second opinion on a message of ``neighbour_min_words`` or
more is half that regression and half a vote of the k training lines nearest it in the sentence model's space
(cosine, each weighted by exp(``neighbour_temperature`` x similarity)), mixed in with ``neighbour_weight``: the
regression draws one straight boundary per intent through a space where a disclosure, a danger message and a
worried adult's question can sit close together, while the nearest lines keep the local detail of how each was
written (docs/nlu.md, twenty-third session). The training lines' sentence vectors are already computed to fit the
regression; they are stored with the model as float16 (about 14 MB for 18,000 lines). A message of one or two
words sits near many lines for reasons that have nothing to do with its intent ("ok", "cheers"), so shorter messages
keep the regression's opinion alone. ``safety_weight`` multiplies the class weight of danger, self-harm and disclosure: a missed one costs far more than a false one (docs/nlu.md has what each bought).

``word_nb_weight`` (0, off, by default) adds to the regression's scores that weight times the log-weights of a
complement naive Bayes over the word n-grams (``word_nb_alpha`` its smoothing): a log-linear mix of the two, in
the spirit of NBSVM (Wang and Manning, 2012). Naive Bayes trusts a telling word on short texts more than the
regression does, and the regression corrects naive Bayes's over-counting of words that go together; together
they missed a quarter fewer safety messages than the regression alone (docs/nlu.md, fourteenth session).

``dense_features`` (off by default) appends the sentence embedding of a dense featurizer earlier in
the pipeline (e.g. Rasa's LanguageModelFeaturizer with all-MiniLM-L6-v2), L2-normalised, to the
n-gram features; benchmarks/compare_pipelines.py measures what that buys. ``blend_with_previous`` (0 by default) mixes in the ranking of a classifier earlier in the
pipeline (e.g. DIET) with that weight, for pipelines that compare the two.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.utils.class_weight import compute_class_weight

from nlu_components import minilm, textnorm
from nlu_components.textnorm import normalise

# messages longer than this are cut before featurising: a pasted essay must not cost seconds
MAX_CHARS = 5000
# most urgent first (docs/intents.md): a clause can lift a long message to one of these
PRIORITY = ("immediate_danger", "self_harm", "disclose_abuse")
_CLAUSE_BREAK = re.compile(
    r"(?<=[.!?])\s+|\s*\n+\s*|\s+(?:and|but|also|plus|then|so|coz|cos|because)\s+"
    r"(?=(?:i|im|i'm|he|hes|he's|she|shes|she's|they|my|me|mum|dad|someone|sum1|no1|nobody|it)\b)", re.I)


def clauses(text: str) -> List[str]:
    """Sentences and clauses of three words or more ("... and he hits me" starts a clause)."""
    return [part for part in _CLAUSE_BREAK.split((text or "")[:MAX_CHARS]) if part and len(part.split()) >= 3]


def feature_text(text: str) -> str:
    """The message as written and as normalised, so both spellings contribute features."""
    text = (text or "")[:MAX_CHARS]
    return f"{text.lower()} || {normalise(text)}"


def _vectorizers(config: Dict[Text, Any]) -> List[TfidfVectorizer]:
    return [TfidfVectorizer(ngram_range=tuple(config["word_ngrams"]), sublinear_tf=True, dtype=np.float32),
            TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(config["char_ngrams"]), sublinear_tf=True,
                            dtype=np.float32)]


def _source_fingerprint() -> str:
    """Hash of the code that shapes the trained weights: this module and the text normalisation.
    Rasa's training cache keys a component on its class's source only, so a change to
    ``feature_text`` or ``normalise`` would otherwise reuse a model trained on the old features."""
    digest = hashlib.sha256()
    for module in (__file__, textnorm.__file__, minilm.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _softmax(scores: Any) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def class_weights(labels: List[str], safety_weight: float) -> Dict[str, float]:
    """Balanced class weights (each intent counts as much as any other), with the urgent intents'
    multiplied by ``safety_weight``: a missed danger, self-harm or disclosure costs the writer far more
    than a false one, which still shows the normal route beside the safety one."""
    intents = np.unique(labels)
    balanced = compute_class_weight("balanced", classes=intents, y=labels)
    return {str(intent): float(weight) * (safety_weight if intent in PRIORITY else 1.0)
            for intent, weight in zip(intents, balanced)}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    ARRAYS = "linear.npz"
    META = "linear.json"
    PIECES = "minilm_pieces.npy"
    TOKENIZER = "minilm_tokenizer.json"
    ENCODER = "minilm_encoder"

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        if config.get("minilm_pieces") or config.get("minilm_sentence"):
            return _source_fingerprint() + minilm.model_digest()
        return _source_fingerprint()

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"word_ngrams": [1, 2], "char_ngrams": [2, 5], "C": 10.0, "max_iter": 3000,
                "ranking_length": 10, "blend_with_previous": 0.0, "dense_features": False,
                "clause_min_words": 20, "clause_confidence": 0.7, "minilm_pieces": False, "safety_weight": 1.0,
                "minilm_sentence": False, "sentence_C": 30.0, "sentence_weight": 0.3, "sentence_below": 0.45,
                "sentence_safety_above": 0.0, "word_nb_weight": 0.0, "word_nb_alpha": 0.03,
                "sentence_neighbours": 0, "neighbour_temperature": 20.0, "neighbour_share": 0.5,
                "neighbour_weight": 0.4, "neighbour_min_words": 3}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 vectorizers: Optional[List[TfidfVectorizer]] = None, classes: Optional[List[str]] = None,
                 coef: Optional[np.ndarray] = None, intercept: Optional[np.ndarray] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self.vectorizers = vectorizers
        self.pieces: Optional[minilm.PieceVectors] = None  # MiniLM word-piece vectors, when minilm_pieces is on
        self.sentence: Optional[minilm.SentenceEncoder] = None  # the sentence model, when minilm_sentence is on
        self.sentence_coef: Optional[np.ndarray] = None
        self.sentence_intercept: Optional[np.ndarray] = None
        # the training lines' sentence vectors (unit length) and their intents' indices, when sentence_neighbours is on
        self.neighbour_vectors: Optional[np.ndarray] = None
        self.neighbour_labels: Optional[np.ndarray] = None
        self.classes = classes or []
        self.coef, self.intercept = coef, intercept
        self.word_nb: Optional[np.ndarray] = None  # complement naive Bayes log-weights over the word n-grams
        # messages parsed, and how many of them the sentence model read: p95 latency stays near the
        # n-grams' only while that share is under 5% (docs/nlu.md; tests/nlu/test_understanding.py)
        self.parsed = self.second_opinions = 0

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    # training and storage -------------------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        self.fit(examples)
        self._persist()
        return self._resource

    def fit(self, examples: List[Message]) -> None:
        """Learn the weights from intent examples, in memory (``benchmarks/cross_validate.py`` refits
        a loaded model this way, fold by fold)."""
        texts = [feature_text(e.get(TEXT)) for e in examples]
        vectorizers = _vectorizers(self._config)
        if self._config["minilm_pieces"] and self.pieces is None:
            self.pieces = minilm.PieceVectors.from_model()
        blocks = [v.fit_transform(texts) for v in vectorizers]
        features = hstack(blocks + self._dense(examples)).tocsr()
        labels = [e.get(INTENT) for e in examples]
        model = self._regression(self._config["C"], labels).fit(features, labels)
        self.vectorizers, self.classes = vectorizers, [str(c) for c in model.classes_]
        self.coef, self.intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        self.word_nb = None
        if self._config["word_nb_weight"] > 0:
            bayes = self._same_intents(ComplementNB(alpha=self._config["word_nb_alpha"]).fit(blocks[0], labels),
                                       "naive Bayes")
            self.word_nb = bayes.feature_log_prob_.astype(np.float32)
        if self._config["minilm_sentence"]:
            if self.sentence is None:
                self.sentence = minilm.SentenceEncoder()
            second = self._regression(self._config["sentence_C"], labels)
            embedded = self.sentence.embed([e.get(TEXT) for e in examples])
            self._same_intents(second.fit(embedded, labels), "sentence model")
            self.sentence_coef = second.coef_.astype(np.float32)
            self.sentence_intercept = second.intercept_.astype(np.float32)
            self.neighbour_vectors = self.neighbour_labels = None
            if self._config["sentence_neighbours"] > 0:
                # rounded as stored, so the trained component answers exactly as the loaded one
                self.neighbour_vectors = embedded.astype(np.float16).astype(np.float32)
                index = {intent: i for i, intent in enumerate(self.classes)}
                self.neighbour_labels = np.array([index[label] for label in labels], dtype=np.int16)

    def _same_intents(self, fitted: Any, name: str) -> Any:
        """A model mixed into the n-gram regression's scores must rank the same intents in the same order."""
        if [str(c) for c in fitted.classes_] != self.classes:
            raise ValueError(f"the {name}'s intents differ from the n-gram model's")
        return fitted

    def _regression(self, c: float, labels: List[str]) -> LogisticRegression:
        return LogisticRegression(C=c, max_iter=self._config["max_iter"],
                                  class_weight=class_weights(labels, self._config["safety_weight"]), random_state=42)

    def _persist(self) -> None:
        with self._storage.write_to(self._resource) as directory:
            arrays = {"coef": self.coef, "intercept": self.intercept}
            if self.word_nb is not None:
                arrays["word_nb"] = self.word_nb
            if self.sentence is not None:
                arrays.update(sentence_coef=self.sentence_coef, sentence_intercept=self.sentence_intercept)
                if self.neighbour_vectors is not None:
                    arrays.update(neighbour_vectors=self.neighbour_vectors.astype(np.float16),
                                  neighbour_labels=self.neighbour_labels)
                encoder = directory / self.ENCODER
                encoder.mkdir()
                for name in minilm.ENCODER_FILES:
                    shutil.copyfile(self.sentence.model_dir / name, encoder / name)
            arrays.update({f"idf{i}": v.idf_ for i, v in enumerate(self.vectorizers)})
            np.savez_compressed(directory / self.ARRAYS, **arrays)
            meta = {"classes": self.classes,
                    "vocabularies": [{term: int(index) for term, index in v.vocabulary_.items()}
                                     for v in self.vectorizers]}
            (directory / self.META).write_text(json.dumps(meta), encoding="utf-8")
            if self.pieces is not None:
                np.save(directory / self.PIECES, self.pieces.vectors, allow_pickle=False)
                (directory / self.TOKENIZER).write_text(self.pieces.tokenizer_json, encoding="utf-8")

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LinearIntentClassifier":
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                meta = json.loads((directory / cls.META).read_text(encoding="utf-8"))
                with np.load(directory / cls.ARRAYS, allow_pickle=False) as arrays:
                    coef, intercept = arrays["coef"], arrays["intercept"]
                    if component._config["word_nb_weight"] > 0:
                        component.word_nb = arrays["word_nb"]
                    idfs = [arrays[f"idf{i}"] for i in range(len(meta["vocabularies"]))]
                    if component._config["minilm_sentence"]:
                        component.sentence_coef = arrays["sentence_coef"]
                        component.sentence_intercept = arrays["sentence_intercept"]
                        component.sentence = minilm.SentenceEncoder(directory / cls.ENCODER)
                        if component._config["sentence_neighbours"] > 0:
                            component.neighbour_vectors = arrays["neighbour_vectors"].astype(np.float32)
                            component.neighbour_labels = arrays["neighbour_labels"]
                if component._config["minilm_pieces"]:
                    component.pieces = minilm.PieceVectors(np.load(directory / cls.PIECES, allow_pickle=False),
                                                           (directory / cls.TOKENIZER).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            return component  # untrained (no intent examples): leaves messages as they are
        vectorizers = _vectorizers(component._config)
        for vectorizer, vocabulary, idf in zip(vectorizers, meta["vocabularies"], idfs):
            vectorizer.vocabulary = vocabulary
            vectorizer.idf_ = idf
        component.vectorizers, component.classes = vectorizers, meta["classes"]
        component.coef, component.intercept = coef, intercept
        return component

    # prediction -------------------------------------------------------------------------------
    def _dense(self, messages: List[Message]) -> List[csr_matrix]:
        blocks = []
        if self.pieces is not None:
            blocks.append(csr_matrix(self.pieces.embed([m.get(TEXT) or "" for m in messages])))
        if not self._config["dense_features"]:
            return blocks
        rows = []
        for message in messages:
            sentence = message.get_dense_features(TEXT)[1]
            if sentence is None:
                raise ValueError("dense_features is on but no dense featurizer runs before LinearIntentClassifier")
            vector = np.asarray(sentence.features, dtype=np.float32).reshape(-1)
            rows.append(vector / (np.linalg.norm(vector) or 1.0))
        return blocks + [csr_matrix(np.vstack(rows))]

    def probabilities(self, messages: List[Message]) -> np.ndarray:
        texts = [feature_text(m.get(TEXT) or "") for m in messages]
        blocks = [v.transform(texts) for v in self.vectorizers]
        scores = hstack(blocks + self._dense(messages)).tocsr() @ self.coef.T + self.intercept
        weight = float(self._config["word_nb_weight"])
        if self.word_nb is not None and weight > 0:
            scores = scores + weight * (blocks[0] @ self.word_nb.T)
        return _softmax(scores)

    def _asks_second_opinion(self, row: np.ndarray) -> bool:
        """Unsure of the message (top confidence under ``sentence_below``), or reading it as something other
        than danger, self-harm or abuse while giving one of those ``sentence_safety_above`` or more (0: off)."""
        if row.max() < self._config["sentence_below"]:
            return True
        gate = float(self._config["sentence_safety_above"])
        urgent = [self.classes.index(intent) for intent in PRIORITY if intent in self.classes]
        return gate > 0 and int(np.argmax(row)) not in urgent and any(row[i] >= gate for i in urgent)

    def neighbours(self, embedded: np.ndarray) -> np.ndarray:
        """Per row of unit sentence vectors, the intents of its ``sentence_neighbours`` nearest training lines,
        each weighted by exp(``neighbour_temperature`` x cosine similarity), as a distribution over the intents."""
        similarity = embedded @ self.neighbour_vectors.T
        k = min(int(self._config["sentence_neighbours"]), similarity.shape[1])
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        closeness = np.take_along_axis(similarity, nearest, axis=1)
        votes = np.exp(float(self._config["neighbour_temperature"]) * (closeness - closeness.max(axis=1, keepdims=True)))
        opinion = np.zeros((len(embedded), len(self.classes)))
        np.add.at(opinion, (np.arange(len(embedded))[:, None], self.neighbour_labels[nearest]), votes)
        return opinion / opinion.sum(axis=1, keepdims=True)

    def _second_opinion(self, messages: List[Message], rows: np.ndarray) -> np.ndarray:
        """Mix the sentence model's reading into the rows that ask for it (``_asks_second_opinion``): its
        regression's with ``sentence_weight``, or, for a message of ``neighbour_min_words`` or more when
        ``sentence_neighbours`` is on, that and its nearest training lines' vote with ``neighbour_weight``."""
        if self.sentence is None:
            return rows
        unsure = [i for i, row in enumerate(rows) if self._asks_second_opinion(row)]
        self.parsed += len(rows)
        self.second_opinions += len(unsure)
        if not unsure:
            return rows
        texts = [messages[i].get(TEXT) or "" for i in unsure]
        embedded = self.sentence.embed(texts)
        opinion = _softmax(embedded @ self.sentence_coef.T + self.sentence_intercept)
        weight = np.full((len(unsure), 1), float(self._config["sentence_weight"]))
        if self.neighbour_vectors is not None:
            wordy = [j for j, text in enumerate(texts) if len(text[:MAX_CHARS].split()) >= self._config["neighbour_min_words"]]
            if wordy:
                share = float(self._config["neighbour_share"])
                opinion[wordy] = (1 - share) * opinion[wordy] + share * self.neighbours(embedded[wordy])
                weight[wordy] = float(self._config["neighbour_weight"])
        rows = rows.copy()
        rows[unsure] = (1 - weight) * rows[unsure] + weight * opinion
        return rows

    def _blend(self, message: Message, probabilities: np.ndarray) -> np.ndarray:
        weight = float(self._config["blend_with_previous"])
        previous = message.get(INTENT_RANKING_KEY) or []
        if weight <= 0 or not previous:
            return probabilities
        earlier = np.zeros(len(self.classes))
        for entry in previous:
            if entry.get("name") in self.classes:
                earlier[self.classes.index(entry["name"])] = entry.get("confidence") or 0.0
        return weight * earlier + (1 - weight) * probabilities

    def _urgent_clause(self, message: Message, top: Dict[Text, Any]) -> Optional[tuple]:
        """(intent, confidence) of the most urgent clause that outranks the whole message's intent.

        A clause less sure than the whole message does not decide: the ranking stays in order of
        confidence (out of order, the FallbackClassifier read it as ambiguous and asked a long
        disclosure to be said another way), and letting such a clause win instead was measured to
        raise more false alarms and miss more disclosures than keeping the whole message's reading
        (docs/nlu.md, eighth session)."""
        text = message.get(TEXT) or ""
        if len(text.split()) < self._config["clause_min_words"] or self._config["dense_features"]:
            return None
        parts = clauses(text)
        if len(parts) < 2:
            return None
        rank = PRIORITY.index(top["name"]) if top["name"] in PRIORITY else len(PRIORITY)
        needed = max(self._config["clause_confidence"], top["confidence"])
        found = None
        for row in self.probabilities([Message(data={TEXT: part}) for part in parts]):
            best = int(np.argmax(row))
            intent = self.classes[best]
            if intent in PRIORITY and row[best] >= needed and PRIORITY.index(intent) < rank:
                rank, found = PRIORITY.index(intent), (intent, float(row[best]))
        return found

    def process(self, messages: List[Message]) -> List[Message]:
        if self.vectorizers is None or not messages:
            return messages
        rows = self._second_opinion(messages, self.probabilities(messages))
        for message, row in zip(messages, rows):
            row = self._blend(message, row)
            order = np.argsort(-row)[: self._config["ranking_length"] or len(self.classes)]
            ranking = [{"name": self.classes[i], "confidence": float(row[i])} for i in order]
            urgent = self._urgent_clause(message, ranking[0])
            if urgent:
                ranking = [{"name": urgent[0], "confidence": urgent[1]}] + [r for r in ranking if r["name"] != urgent[0]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
