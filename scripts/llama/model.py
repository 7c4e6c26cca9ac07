"""Llama decoder: RMSNorm, rotary embeddings, grouped-query attention, SiLU-gated MLP, tied embeddings, no biases.

Written so that torch.onnx.export traces it into one general graph: every size comes from a tensor's shape
(no Python ints taken from data), cos/sin are gathered from a precomputed table by position_ids, and the
causal + padding mask is built from attention_mask with Range / comparisons / And / Where.
"""
from __future__ import annotations

import dataclasses
import math
from typing import List, Optional, Tuple

import torch
from torch import nn
import torch.nn.functional as F


@dataclasses.dataclass
class LlamaConfig:
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    rms_norm_eps: float = 1e-5
    rope_theta: float = 10000.0
    max_position_embeddings: int = 2048
    tie_word_embeddings: bool = True
    bos_token_id: int = 0
    eos_token_id: int = 0

    def to_hf(self) -> dict:
        """config.json with Hugging Face LlamaConfig field names."""
        return {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "vocab_size": self.vocab_size,
            "hidden_size": self.hidden_size,
            "intermediate_size": self.intermediate_size,
            "num_hidden_layers": self.num_hidden_layers,
            "num_attention_heads": self.num_attention_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "head_dim": self.head_dim,
            "hidden_act": "silu",
            "rms_norm_eps": self.rms_norm_eps,
            "rope_theta": self.rope_theta,
            "rope_scaling": None,
            "max_position_embeddings": self.max_position_embeddings,
            "tie_word_embeddings": self.tie_word_embeddings,
            "attention_bias": False,
            "mlp_bias": False,
            "attention_dropout": 0.0,
            "initializer_range": 0.02,
            "pretraining_tp": 1,
            "use_cache": True,
            "bos_token_id": self.bos_token_id,
            "eos_token_id": self.eos_token_id,
            "torch_dtype": "float32",
        }

    @staticmethod
    def from_hf(d: dict) -> "LlamaConfig":
        fields = dataclasses.fields(LlamaConfig)
        missing = [f.name for f in fields if f.default is dataclasses.MISSING and f.name not in d]
        if missing:
            raise ValueError(f"config.json lacks {', '.join(missing)}")
        return LlamaConfig(**{f.name: d[f.name] for f in fields if f.name in d})

    def check(self) -> None:
        if self.num_attention_heads % self.num_key_value_heads:
            raise ValueError("num_attention_heads must be a multiple of num_key_value_heads")
        if self.head_dim % 2:
            raise ValueError("head_dim must be even for rotary embeddings")
        if not self.tie_word_embeddings:
            raise ValueError("only tied input/output embeddings are implemented")


CONFIGS = {
    # Committed test fixture: small enough for git, still GQA (4 heads over 2 KV heads).
    "tiny": LlamaConfig(vocab_size=320, hidden_size=64, intermediate_size=176, num_hidden_layers=3,
                        num_attention_heads=4, num_key_value_heads=2, head_dim=16, rms_norm_eps=1e-5,
                        rope_theta=10000.0, max_position_embeddings=2048),
    # The SmolLM-135M shape (random weights, generated on demand, never committed).
    "smollm-135m": LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                               num_attention_heads=9, num_key_value_heads=3, head_dim=64, rms_norm_eps=1e-5,
                               rope_theta=10000.0, max_position_embeddings=2048),
}


class RMSNorm(nn.Module):
    def __init__(self, size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.eps))


def rope_table(cfg: LlamaConfig) -> Tuple[torch.Tensor, torch.Tensor]:
    """cos/sin for every position, [max_position_embeddings, head_dim], halves duplicated (rotate_half layout)."""
    inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, cfg.head_dim, 2, dtype=torch.float64) / cfg.head_dim))
    t = torch.arange(cfg.max_position_embeddings, dtype=torch.float64)
    freqs = torch.outer(t, inv_freq)
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos().float(), emb.sin().float()


def rotate_half(x: torch.Tensor, half: int) -> torch.Tensor:
    # `half` is a Python int (head_dim // 2), not x.shape[-1] // 2, which the tracer would record as shape math.
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        self.cfg = cfg
        h, d, kv = cfg.num_attention_heads, cfg.head_dim, cfg.num_key_value_heads
        self.q_proj = nn.Linear(cfg.hidden_size, h * d, bias=False)
        self.k_proj = nn.Linear(cfg.hidden_size, kv * d, bias=False)
        self.v_proj = nn.Linear(cfg.hidden_size, kv * d, bias=False)
        self.o_proj = nn.Linear(h * d, cfg.hidden_size, bias=False)

    def forward(self, x, cos, sin, blocked, past_k, past_v):
        cfg = self.cfg
        b, s = x.shape[0], x.shape[1]
        h, d, kv = cfg.num_attention_heads, cfg.head_dim, cfg.num_key_value_heads
        q = self.q_proj(x).view(b, s, h, d).transpose(1, 2)
        k = self.k_proj(x).view(b, s, kv, d).transpose(1, 2)
        v = self.v_proj(x).view(b, s, kv, d).transpose(1, 2)
        q = q * cos + rotate_half(q, d // 2) * sin
        k = k * cos + rotate_half(k, d // 2) * sin
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        present = (k, v)
        rep = h // kv
        if rep > 1:
            # Hugging Face's repeat_kv: [b, kv, t, d] -> [b, kv, rep, t, d] -> [b, h, t, d]. The -1 sizes make
            # the exported Expand's shape a constant [1, 1, rep, 1, 1].
            t = k.shape[2]
            k = k[:, :, None, :, :].expand(-1, -1, rep, -1, -1).reshape(b, h, t, d)
            v = v[:, :, None, :, :].expand(-1, -1, rep, -1, -1).reshape(b, h, t, d)
        scores = torch.matmul(q, k.transpose(2, 3)) * (1.0 / math.sqrt(d))
        # Replace (not add) masked scores so a row with no visible key (a left-padding query) stays finite.
        scores = scores.masked_fill(blocked, torch.finfo(torch.float32).min)
        probs = torch.softmax(scores, dim=-1)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, h * d)
        return self.o_proj(out), present


class MLP(nn.Module):
    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, blocked, past_k, past_v):
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, blocked, past_k, past_v)
        x = x + a
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, present


class LlamaModel(nn.Module):
    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([DecoderLayer(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)


class LlamaForCausalLM(nn.Module):
    """forward(input_ids, attention_mask, position_ids, past) -> (logits, presents), past/presents as flat lists
    [k0, v0, k1, v1, ...] of [batch, kv_heads, length, head_dim]."""

    def __init__(self, cfg: LlamaConfig):
        super().__init__()
        cfg.check()
        self.cfg = cfg
        self.model = LlamaModel(cfg)
        cos, sin = rope_table(cfg)
        # Buffers (not parameters): they become the initializers rope_cos / rope_sin that position_ids index.
        self.register_buffer("rope_cos", cos)
        self.register_buffer("rope_sin", sin)

    def init_random(self, seed: int, gain: Optional[float] = None) -> None:
        """Deterministic random weights: embeddings ~ N(0, hidden^-1/2), Linear weights ~ N(0, gain^2/fan_in),
        norm weights ~ 1 + N(0, 0.01), the final norm's halved.

        With the usual std=0.02 init a random tied-embedding model has near-uniform logits and greedily repeats
        its last token. With gain > 1 the layers outweigh the input embedding and greedy tokens vary; the gain
        (default 2 up to 4 layers, 1.5 above, where a deeper stack amplifies rounding more) and the halved final
        norm keep float32 rounding of the logits near 1e-5 (tiny) to 1e-4 (30 layers) while the top-2 logit gap
        along the greedy path stays above 1e-2: greedy references are robust to summation order."""
        if gain is None:
            gain = 2.0 if self.cfg.num_hidden_layers <= 4 else 1.5
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith("norm.weight") or "layernorm" in name:
                    p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
                    if name == "model.norm.weight":
                        p.mul_(0.5)
                elif "embed_tokens" in name:
                    p.copy_(torch.randn(p.shape, generator=g) * self.cfg.hidden_size ** -0.25)
                else:
                    p.copy_(torch.randn(p.shape, generator=g) * (gain * p.shape[1] ** -0.5))

    def forward(self, input_ids, attention_mask, position_ids, past: List[torch.Tensor]):
        cfg = self.cfg
        x = self.model.embed_tokens(input_ids)
        cos = F.embedding(position_ids, self.rope_cos).unsqueeze(1)  # [b, 1, s, d]
        sin = F.embedding(position_ids, self.rope_sin).unsqueeze(1)
        # Key j (cache index) is hidden from query i (cache index total - s + i) when j > that index or the
        # attention mask drops j. Built from shapes only, so it is valid for any past and sequence length.
        total = attention_mask.shape[1]
        s = input_ids.shape[1]
        key_idx = torch.arange(total, device=input_ids.device)
        query_idx = torch.arange(s, device=input_ids.device) + (total - s)
        future = key_idx.unsqueeze(0) > query_idx.unsqueeze(1)  # [s, total]
        blocked = future.unsqueeze(0).unsqueeze(0) | (attention_mask == 0).unsqueeze(1).unsqueeze(1)  # [b,1,s,t]
        presents = []
        for i, layer in enumerate(self.model.layers):
            x, (k, v) = layer(x, cos, sin, blocked, past[2 * i], past[2 * i + 1])
            presents += [k, v]
        x = self.model.norm(x)
        logits = torch.matmul(x, self.model.embed_tokens.weight.t())
        return logits, presents

    def empty_past(self, batch: int = 1) -> List[torch.Tensor]:
        cfg = self.cfg
        shape = (batch, cfg.num_key_value_heads, 0, cfg.head_dim)
        return [torch.zeros(shape) for _ in range(2 * cfg.num_hidden_layers)]

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @torch.no_grad()
    def greedy(self, ids: List[int], new_tokens: int, eos: Optional[List[int]] = None):
        """Greedy continuation with the KV cache, batch 1. Returns (new ids, per-step logits rows, min top-2 gap)."""
        past = self.empty_past()
        cur = torch.tensor([ids])
        total = len(ids)
        out, rows, margin = [], [], math.inf
        for _ in range(new_tokens):
            s = cur.shape[1]
            mask = torch.ones(1, total, dtype=torch.long)
            pos = torch.arange(total - s, total).unsqueeze(0)
            logits, past = self(cur, mask, pos, past)
            last = logits[0, -1]
            rows.append(last)
            top = torch.topk(last, 2).values
            margin = min(margin, float(top[0] - top[1]))
            nxt = int(torch.argmax(last))
            out.append(nxt)
            if eos and nxt in eos:
                break
            cur = torch.tensor([[nxt]])
            total += 1
        return out, rows, margin
