"""Writes a model folder in the Hugging Face layout with an optimum-style decoder ONNX and a reference.json of
the eager PyTorch forward, then checks the ONNX file with onnx.checker."""
from __future__ import annotations

import copy
import json
import math
import os
import shutil
import tempfile
from typing import Dict, List, Optional

import numpy as np
import onnx
from onnx import helper, numpy_helper
import torch

from .model import LlamaForCausalLM
from .tokenizer import ByteBPE, BOS, IM_END

OPSET = 17
PAST = "past_sequence_length"
TOTAL = "past_sequence_length + sequence_length"


class _OnnxWrapper(torch.nn.Module):
    """Flat positional inputs and outputs, in the optimum order, for torch.onnx.export."""

    def __init__(self, model: LlamaForCausalLM):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past):
        logits, presents = self.model(input_ids, attention_mask, position_ids, list(past))
        return (logits, *presents)


def io_names(n_layers: int):
    past = [f"past_key_values.{i}.{kv}" for i in range(n_layers) for kv in ("key", "value")]
    present = [f"present.{i}.{kv}" for i in range(n_layers) for kv in ("key", "value")]
    return ["input_ids", "attention_mask", "position_ids"] + past, ["logits"] + present


def export_onnx(model: LlamaForCausalLM, path: str) -> None:
    cfg = model.cfg
    model.eval()
    inputs, outputs = io_names(cfg.num_hidden_layers)
    # Traced with batch 2, past 3 and sequence 2 so that no size of 1 or 0 gets special-cased in the trace.
    b, p, s = 2, 3, 2
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, cfg.vocab_size, (b, s), generator=g)
    mask = torch.ones(b, p + s, dtype=torch.long)
    pos = torch.arange(p, p + s).unsqueeze(0).expand(b, s).contiguous()
    past = [torch.randn(b, cfg.num_key_value_heads, p, cfg.head_dim, generator=g)
            for _ in range(2 * cfg.num_hidden_layers)]
    axes: Dict[str, Dict[int, str]] = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: TOTAL},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for n in inputs[3:]:
        axes[n] = {0: "batch_size", 2: PAST}
    for n in outputs[1:]:
        axes[n] = {0: "batch_size", 2: TOTAL}
    with torch.no_grad():
        torch.onnx.export(_OnnxWrapper(model), (ids, mask, pos, *past), path, input_names=inputs,
                          output_names=outputs, dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    _tidy(model, path)


def _tidy(model: LlamaForCausalLM, path: str) -> None:
    """Constant folding stores each Linear weight transposed under an anonymous name (onnx::MatMul_N): give them
    their parameter's name plus ".T", and make the tied lm_head a Transpose of the embedding initializer instead
    of a second copy of it (the embedding is the largest tensor of a small model)."""
    m = onnx.load(path)
    # The export wrapper holds the model as "model": drop that prefix so names match the state dict.
    prefix = "model."
    plain = {}
    for init in m.graph.initializer:
        if init.name.startswith(prefix):
            plain[init.name] = init.name[len(prefix):]
            init.name = plain[init.name]
    for node in m.graph.node:
        for k, name in enumerate(node.input):
            if name in plain:
                node.input[k] = plain[name]
    params = {n: p.detach().numpy() for n, p in model.named_parameters()}
    by_shape: Dict[tuple, List[str]] = {}
    for n, a in params.items():
        by_shape.setdefault(a.T.shape, []).append(n)
    embed = "model.embed_tokens.weight"
    rename: Dict[str, str] = {}
    drop = set()
    for init in m.graph.initializer:
        if not init.name.startswith("onnx::") or len(init.dims) != 2:
            continue
        a = numpy_helper.to_array(init)
        for n in by_shape.get(tuple(a.shape), []):
            if np.array_equal(a, params[n].T):
                rename[init.name] = n + ".T"
                if n == embed and any(i.name == embed for i in m.graph.initializer):
                    drop.add(init.name)
                break
    for init in m.graph.initializer:
        if init.name in rename:
            init.name = rename[init.name]
    kept = [i for i in m.graph.initializer if i.name not in {rename[d] for d in drop}]
    del m.graph.initializer[:]
    m.graph.initializer.extend(kept)
    for node in m.graph.node:
        for k, name in enumerate(node.input):
            if name in rename:
                node.input[k] = rename[name]
    for d in drop:
        m.graph.node.insert(0, helper.make_node("Transpose", [embed], [rename[d]], perm=[1, 0],
                                                name="lm_head_tied_transpose"))
    _fold_constants(m)
    onnx.checker.check_model(m)
    onnx.save(m, path)
    onnx.checker.check_model(path)


_FOLD = {
    "Mul": lambda a, b: a * b,
    "Equal": lambda a, b: a == b,
    "Where": lambda c, a, b: np.where(c, a, b),
}


def _fold_constants(m: onnx.ModelProto) -> None:
    """torch 1.13 leaves Expand's target shape as ConstantOfShape -> Mul -> Equal -> Where over constants (its
    rewrite of -1 sizes); fold those into one Constant each and drop the constants nobody reads any more."""
    values: Dict[str, np.ndarray] = {}
    nodes = []
    for node in m.graph.node:
        if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
        elif all(i in values for i in node.input) and (node.op_type in _FOLD or node.op_type == "ConstantOfShape"):
            if node.op_type == "ConstantOfShape":
                fill = numpy_helper.to_array(node.attribute[0].t) if node.attribute else np.zeros(1, np.float32)
                out = np.full(values[node.input[0]].astype(np.int64), fill[0], dtype=fill.dtype)
            else:
                out = np.asarray(_FOLD[node.op_type](*[values[i] for i in node.input]))
            values[node.output[0]] = out
            node = helper.make_node("Constant", [], [node.output[0]], name=node.name + "_folded",
                                    value=numpy_helper.from_array(out))
        nodes.append(node)
    used = {o.name for o in m.graph.output}
    kept = []
    for node in reversed(nodes):
        if node.op_type == "Constant" and not any(o in used for o in node.output):
            continue
        used.update(node.input)
        kept.append(node)
    del m.graph.node[:]
    m.graph.node.extend(reversed(kept))


def _ceil_1digit(x: float) -> float:
    """x rounded up to one significant digit (3.2e-4 -> 4e-4)."""
    if x <= 0:
        return 0.0
    e = math.floor(math.log10(x))
    return float(f"{math.ceil(x / 10 ** e)}e{e}")


def load_onnx_weights(model: LlamaForCausalLM, path: str) -> None:
    """Fills the model from an ONNX file this module wrote (initializers named like the state dict, Linear
    weights stored transposed as "<name>.T"), so a committed folder can be re-exported without its training
    checkpoint."""
    inits = {i.name: numpy_helper.to_array(i) for i in onnx.load(path).graph.initializer}
    state = {}
    for name, p in model.state_dict().items():
        if name in inits:
            a = inits[name]
        elif name + ".T" in inits:
            a = inits[name + ".T"].T
        else:
            raise ValueError(f"{path}: no initializer for {name}")
        if tuple(a.shape) != tuple(p.shape):
            raise ValueError(f"{path}: {name} has shape {list(a.shape)}, the config says {list(p.shape)}")
        state[name] = torch.from_numpy(np.ascontiguousarray(a))
    model.load_state_dict(state)


def _rows(t: torch.Tensor) -> List[List[float]]:
    return [[float(x) for x in row] for row in t.tolist()]


def reference(model: LlamaForCausalLM, bpe: ByteBPE, prompt: str, new_tokens: int) -> dict:
    """The eager PyTorch numbers the JavaScript side is tested against."""
    ids = bpe.encode(prompt)
    if not ids:
        raise ValueError("the reference prompt encodes to no tokens")
    with torch.no_grad():
        s = len(ids)
        logits, _ = model(torch.tensor([ids]), torch.ones(1, s, dtype=torch.long),
                          torch.arange(s).unsqueeze(0), model.empty_past())
        positions = sorted({0, s // 2, s - 2 if s > 1 else 0, s - 1})
        # The same forward in float64 bounds the float32 rounding of these logits; the tolerance stays 1e-4
        # unless the model is so deep that rounding alone comes near it.
        m64 = copy.deepcopy(model).double()
        l64, _ = m64(torch.tensor([ids]), torch.ones(1, s, dtype=torch.long), torch.arange(s).unsqueeze(0),
                     [p.double() for p in model.empty_past()])
        fp64_diff = float((logits.double() - l64).abs().max())
        del m64
        tolerance = max(1e-4, _ceil_1digit(3 * fp64_diff))
        new, rows, margin = model.greedy(ids, new_tokens)
    eos = sorted({BOS, IM_END})
    return {
        "format": 1,
        "prompt": prompt,
        "prompt_ids": ids,
        "prefill": {
            "positions": positions,
            "logits": _rows(logits[0, positions]),
        },
        "greedy": {
            "max_new_tokens": new_tokens,
            "new_ids": new,
            "text": bpe.decode(new),
            "eos_ignored": True,
            "contains_eos": any(i in eos for i in new),
            "first_decode_logits": [float(x) for x in rows[1].tolist()] if len(rows) > 1 else None,
            "min_top2_margin": margin,
        },
        "float64_max_abs_diff": fp64_diff,
        "tolerance": tolerance,
    }


def write_folder(model: LlamaForCausalLM, bpe: ByteBPE, out: str, prompt: str, new_tokens: int = 32,
                 meta: Optional[dict] = None, log=print) -> dict:
    """Writes everything into a temporary folder beside `out`, then swaps it in, so a failed run never leaves a
    half-written folder over a good one."""
    cfg = model.cfg
    if bpe.vocab_size != cfg.vocab_size:
        raise ValueError(f"tokenizer has {bpe.vocab_size} tokens, the model {cfg.vocab_size}")
    model.eval()
    parent = os.path.dirname(os.path.abspath(out)) or "."
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".export-", dir=parent)
    try:
        def dump(name: str, obj) -> None:
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                json.dump(obj, f, indent=2, ensure_ascii=False)
                f.write("\n")

        hf = cfg.to_hf()
        dump("config.json", hf)
        dump("generation_config.json", {
            "bos_token_id": BOS,
            "eos_token_id": [BOS, IM_END],
            "pad_token_id": BOS,
            "do_sample": False,
            "max_length": cfg.max_position_embeddings,
        })
        dump("tokenizer.json", bpe.tokenizer_json())
        dump("tokenizer_config.json", bpe.tokenizer_config(cfg.max_position_embeddings))
        dump("special_tokens_map.json", {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                                         "unk_token": "<|endoftext|>", "pad_token": "<|endoftext|>",
                                         "additional_special_tokens": ["<|im_start|>", "<|im_end|>"]})
        os.makedirs(os.path.join(tmp, "onnx"))
        log(f"exporting ONNX ({model.num_parameters():,} parameters)")
        export_onnx(model, os.path.join(tmp, "onnx", "model.onnx"))
        log("computing reference")
        ref = reference(model, bpe, prompt, new_tokens)
        if meta:
            ref["model"] = meta
        dump("reference.json", ref)
        os.chmod(tmp, 0o755)
        if os.path.exists(out):
            old = tempfile.mkdtemp(prefix=".old-", dir=parent)
            os.rename(out, os.path.join(old, "x"))
            os.rename(tmp, out)
            shutil.rmtree(old)
        else:
            os.rename(tmp, out)
        return ref
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
