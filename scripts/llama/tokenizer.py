"""Byte-level BPE (GPT-2 style) in plain Python: training merges, encoding, decoding and the Hugging Face
tokenizer.json / tokenizer_config.json files, so that @huggingface/tokenizers in JavaScript reads the same tokenizer.

Ids: the special tokens first (<|endoftext|> = 0, <|im_start|> = 1, <|im_end|> = 2), then the 256 byte tokens,
then one token per merge, then (when the model's vocabulary is larger) unused padding tokens that no text encodes to.
"""
from __future__ import annotations

import collections
import json
import re
from typing import Dict, Iterable, List, Optional, Tuple

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
BOS, IM_START, IM_END = 0, 1, 2

# ChatML, as the SmolLM instruct models use it.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# The GPT-2 split rule, which the ByteLevel pre-tokenizer (use_regex) applies in tokenizer.json:
#   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
# Python's re has no \p{..}: letters are [^\W\d_] and numbers \d, and "_" (a \w character, but neither a letter
# nor a number) joins the punctuation class. Exact for ASCII (this script's prompts); on rare non-ASCII
# characters (e.g. superscript digits) it only shifts merge statistics while training.
_SPLIT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")


def _split(text: str) -> List[str]:
    return _SPLIT.findall(text)


def bytes_to_unicode() -> Dict[int, str]:
    """GPT-2's reversible byte -> printable character map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_ENC = bytes_to_unicode()
BYTE_DEC = {c: b for b, c in BYTE_ENC.items()}


def _to_symbols(piece: str) -> Tuple[str, ...]:
    return tuple(BYTE_ENC[b] for b in piece.encode("utf-8"))


def train_bpe(texts: Iterable[str], num_merges: int, min_count: int = 2, log=None) -> List[Tuple[str, str]]:
    """Learn merges over pre-tokenized words, with incremental pair counts (fast enough for a few thousand merges
    over ~10 MB of text)."""
    words: collections.Counter = collections.Counter()
    for t in texts:
        words.update(_split(t))
    # word -> symbols, count
    vocab = [[list(_to_symbols(w)), c] for w, c in words.items()]
    pair_counts: collections.Counter = collections.Counter()
    where: Dict[Tuple[str, str], set] = collections.defaultdict(set)
    for i, (sym, c) in enumerate(vocab):
        for a, b in zip(sym, sym[1:]):
            pair_counts[(a, b)] += c
            where[(a, b)].add(i)
    merges: List[Tuple[str, str]] = []
    while len(merges) < num_merges and pair_counts:
        best, cnt = max(pair_counts.items(), key=lambda kv: (kv[1], kv[0]))
        if cnt < min_count:
            break
        merges.append(best)
        a, b = best
        joined = a + b
        for i in list(where[best]):
            sym, c = vocab[i]
            j, new = 0, []
            changed = False
            while j < len(sym):
                if j + 1 < len(sym) and sym[j] == a and sym[j + 1] == b:
                    new.append(joined)
                    j += 2
                    changed = True
                else:
                    new.append(sym[j])
                    j += 1
            if not changed:
                continue
            for p in zip(sym, sym[1:]):
                pair_counts[p] -= c
                if pair_counts[p] <= 0:
                    del pair_counts[p]
            for p in zip(new, new[1:]):
                pair_counts[p] += c
                where[p].add(i)
            vocab[i][0] = new
        pair_counts.pop(best, None)
        where.pop(best, None)
        if log and len(merges) % 500 == 0:
            log(f"bpe: {len(merges)} merges, last {a!r}+{b!r} x{cnt}")
    return merges


class ByteBPE:
    def __init__(self, merges: List[Tuple[str, str]], vocab_size: Optional[int] = None):
        self.merges = list(merges)
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        tokens = list(SPECIAL_TOKENS) + [BYTE_ENC[b] for b in range(256)] + [a + b for a, b in self.merges]
        if len(set(tokens)) != len(tokens):
            raise ValueError("duplicate token in the BPE vocabulary")
        base = len(tokens)
        if vocab_size is not None:
            if vocab_size < base:
                raise ValueError(f"vocab_size {vocab_size} is smaller than the tokenizer's {base} tokens")
            # Unused tokens fill the model's vocabulary; no text encodes to them (no merge makes them).
            tokens += [f"<|unused_{i}|>" for i in range(vocab_size - base)]
        self.tokens = tokens
        self.ids = {t: i for i, t in enumerate(tokens)}
        self.cache: Dict[str, List[int]] = {}

    @property
    def vocab_size(self) -> int:
        return len(self.tokens)

    def _bpe(self, piece: str) -> List[int]:
        hit = self.cache.get(piece)
        if hit is not None:
            return hit
        sym = list(_to_symbols(piece))
        while len(sym) > 1:
            best, rank = -1, None
            for i in range(len(sym) - 1):
                r = self.ranks.get((sym[i], sym[i + 1]))
                if r is not None and (rank is None or r < rank):
                    best, rank = i, r
            if rank is None:
                break
            a, b = sym[best], sym[best + 1]
            # Merge every occurrence of the best pair, left to right, as the reference BPE does.
            new, j = [], 0
            while j < len(sym):
                if j + 1 < len(sym) and sym[j] == a and sym[j + 1] == b:
                    new.append(a + b)
                    j += 2
                else:
                    new.append(sym[j])
                    j += 1
            sym = new
        ids = [self.ids[s] for s in sym]
        if len(self.cache) < 100000:
            self.cache[piece] = ids
        return ids

    def encode(self, text: str) -> List[int]:
        """Special tokens in the text become their ids; everything else goes through byte-level BPE."""
        out: List[int] = []
        pattern = "(" + "|".join(re.escape(t) for t in SPECIAL_TOKENS) + ")"
        for part in re.split(pattern, text):
            if part in SPECIAL_TOKENS:
                out.append(self.ids[part])
            elif part:
                for piece in _split(part):
                    out.extend(self._bpe(piece))
        return out

    def decode(self, ids: Iterable[int]) -> str:
        buf = bytearray()
        out = []
        for i in ids:
            t = self.tokens[i]
            if t in SPECIAL_TOKENS or t.startswith("<|unused_"):
                out.append(buf.decode("utf-8", errors="replace"))
                buf = bytearray()
                out.append(t)
            else:
                buf.extend(BYTE_DEC[c] for c in t)
        out.append(buf.decode("utf-8", errors="replace"))
        return "".join(out)

    def tokenizer_json(self) -> dict:
        added = [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for i, t in enumerate(self.tokens) if t in SPECIAL_TOKENS
        ]
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
            "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {
                "type": "BPE",
                "dropout": None,
                "unk_token": None,
                "continuing_subword_prefix": None,
                "end_of_word_suffix": None,
                "fuse_unk": False,
                "byte_fallback": False,
                "ignore_merges": False,
                "vocab": {t: i for i, t in enumerate(self.tokens)},
                "merges": [f"{a} {b}" for a, b in self.merges],
            },
        }

    def tokenizer_config(self, max_length: int) -> dict:
        return {
            "add_bos_token": False,
            "add_eos_token": False,
            "add_prefix_space": False,
            "added_tokens_decoder": {
                str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                         "single_word": False, "special": True}
                for i, t in enumerate(self.tokens) if t in SPECIAL_TOKENS
            },
            "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
            "bos_token": "<|endoftext|>",
            "eos_token": "<|endoftext|>",
            "unk_token": "<|endoftext|>",
            "pad_token": "<|endoftext|>",
            "chat_template": CHAT_TEMPLATE,
            "clean_up_tokenization_spaces": False,
            "model_max_length": max_length,
            "tokenizer_class": "GPT2Tokenizer",
            "vocab_size": self.vocab_size,
        }

    @staticmethod
    def from_tokenizer_json(path: str, vocab_size: Optional[int] = None) -> "ByteBPE":
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in d["model"]["merges"]]
        bpe = ByteBPE(merges, vocab_size)
        vocab = d["model"]["vocab"]
        for t, i in vocab.items():
            if i < len(bpe.tokens) and bpe.tokens[i] != t and not t.startswith("<|unused_"):
                raise ValueError(f"{path}: token {t!r} has id {i}, expected the layout specials/bytes/merges")
        return bpe
