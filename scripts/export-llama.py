#!/usr/bin/python3
"""Export a Llama-architecture model of our own as a Hugging Face folder with an optimum-style decoder ONNX.

    /usr/bin/python3 scripts/export-llama.py --config tiny --seed 0 --out test/fixtures/llama-tiny
    /usr/bin/python3 scripts/export-llama.py --config smollm-135m --seed 0 --out /tmp/smollm-135m   # ~540 MB

Needs Debian's python3-torch, python3-onnx and python3-numpy (run with /usr/bin/python3). Random weights come
from --seed; --weights loads trained ones instead, e.g. to re-export the default model with its own files:

    /usr/bin/python3 scripts/export-llama.py --config models/default/config.json \
        --weights models/default/onnx/model.onnx --tokenizer models/default/tokenizer.json \
        --prompt "$(jq -r .prompt models/default/reference.json)" --out /tmp/default

The folder holds config.json, generation_config.json, tokenizer.json, tokenizer_config.json,
special_tokens_map.json, onnx/model.onnx and reference.json (the eager PyTorch logits and greedy continuation of
a fixed prompt). Check it from JavaScript with: node --import tsx scripts/check-llama-onnx.ts DIR
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from llama.model import CONFIGS, LlamaConfig, LlamaForCausalLM  # noqa: E402
from llama.tokenizer import ByteBPE  # noqa: E402
from llama.export import load_onnx_weights, write_folder  # noqa: E402

DEFAULT_PROMPT = "The quick brown fox jumps over the lazy dog. Once upon a time, in 1984,"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="tiny",
                    help=f"one of {', '.join(CONFIGS)}, or a config.json path (LlamaConfig field names)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random weights (default 0)")
    ap.add_argument("--out", required=True, help="model folder to write (replaced as a whole)")
    ap.add_argument("--weights", help="weights instead of random ones: a state dict (.pt) or an onnx/model.onnx "
                    "this script wrote (to re-export a committed folder, e.g. models/default)")
    ap.add_argument("--tokenizer", help="tokenizer.json of a byte-level BPE written by these scripts "
                    "(default: bytes only, padded with unused tokens to the vocabulary size)")
    ap.add_argument("--prompt", default=DEFAULT_PROMPT, help="reference prompt")
    ap.add_argument("--new-tokens", type=int, default=32, help="greedy tokens in reference.json (default 32)")
    args = ap.parse_args()

    torch.set_num_threads(min(2, torch.get_num_threads()))
    if args.config in CONFIGS:
        cfg = CONFIGS[args.config]
    elif os.path.isfile(args.config):
        with open(args.config, encoding="utf-8") as f:
            cfg = LlamaConfig.from_hf(json.load(f))
    else:
        ap.error(f"--config {args.config!r} is neither one of {', '.join(CONFIGS)} nor a config.json file")
    if args.new_tokens < 1:
        ap.error("--new-tokens must be at least 1")
    model = LlamaForCausalLM(cfg)
    if args.weights and args.weights.endswith(".onnx"):
        load_onnx_weights(model, args.weights)
    elif args.weights:
        model.load_state_dict(torch.load(args.weights, map_location="cpu"))
    else:
        model.init_random(args.seed)
    bpe = (ByteBPE.from_tokenizer_json(args.tokenizer, cfg.vocab_size) if args.tokenizer
           else ByteBPE([], cfg.vocab_size))
    meta = {"config": args.config, "seed": None if args.weights else args.seed,
            "weights": "trained" if args.weights else "random", "parameters": model.num_parameters()}
    ref = write_folder(model, bpe, args.out, args.prompt, args.new_tokens, meta)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args.out) for f in fs)
    print(f"wrote {args.out}: {size / 1e6:.1f} MB, {model.num_parameters():,} parameters, "
          f"prompt {len(ref['prompt_ids'])} tokens, greedy min top-2 margin {ref['greedy']['min_top2_margin']:.3g}")
    print(f"greedy continuation: {ref['greedy']['text']!r}")


if __name__ == "__main__":
    main()
