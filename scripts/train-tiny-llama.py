#!/usr/bin/python3
"""Train the embedded default model (models/default/): a small Llama (scripts/llama/model.py, the architecture
export-llama.py writes) with its own byte-level BPE, on the Python 3.11 documentation that Debian's
python3.11-doc package ships as reStructuredText (html/_sources/**/*.rst.txt; PSF License Agreement, code
examples Zero-Clause BSD — see /usr/share/doc/python3.11-doc/copyright and license.rst.txt).

Reproduce (Debian: apt-get install python3-torch python3-onnx python3-numpy python3.11-doc libopenblas0-pthread;
OpenBLAS only makes it faster):

    nohup /usr/bin/python3 scripts/train-tiny-llama.py --work /tmp/tiny-llama --out models/default \
        --seed 0 --steps 2000 > /tmp/tiny-llama.log 2>&1 &

About 36 minutes on 2 shared cores. Stages, each cached in --work so that an interrupted run resumes where it
stopped (checkpoint every 25 steps):
  1. corpus: library/, tutorial/, reference/, howto/, faq/, using/, extending/, glossary (not whatsnew/,
     c-api/, distutils/, install/, license); light reST clean-up (roles become their text, index/label lines
     and heading underlines go); whole documents, taken in the order of the SHA-1 of their path, hold out 6 %
     of the text.
  2. tokenizer: byte-level BPE with --vocab tokens (3 special + 256 bytes + merges), trained on the training part.
  3. training: AdamW (lr 3e-3, warmup 50 steps, cosine to 10 %, weight decay 0.1, clip 1.0), batches of
     8 x 256 tokens drawn at random (seeded) from the encoded training text, torch.set_num_threads(2).
  4. export: models/default as export-llama.py writes it (HF layout, onnx/model.onnx, reference.json) plus
     heldout.txt, LICENSE.txt (the PSF License Agreement) and training.json (losses, samples).
"""
import argparse
import glob
import hashlib
import json
import math
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# On a shared CPU, OpenMP threads that spin while they wait for a descheduled peer made steps 4x slower.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from llama.model import LlamaConfig, LlamaForCausalLM  # noqa: E402
from llama.tokenizer import ByteBPE, BOS, train_bpe  # noqa: E402
from llama.export import write_folder  # noqa: E402

SOURCES = "/usr/share/doc/python3.11/html/_sources"
KEEP_DIRS = ["library", "tutorial", "reference", "howto", "faq", "using", "extending"]
KEEP_FILES = ["glossary.rst.txt"]
PROMPT = "The Python interpreter"
# The reference prompt of reference.json: long enough (about 20 tokens) for chunked-prefill tests.
REF_PROMPT = "To read a file, open it with the built-in open() function and iterate over its lines. The"

CONFIG = dict(hidden_size=128, intermediate_size=384, num_hidden_layers=4, num_attention_heads=4,
              num_key_value_heads=2, head_dim=32, rms_norm_eps=1e-5, rope_theta=10000.0,
              max_position_embeddings=2048)


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S"), msg, flush=True)


# --- 1. corpus ---------------------------------------------------------------------------------------------

_ROLE = re.compile(r":[\w:.+-]+:`([~!]?)([^`]*?)(?:\s*<[^>`]*>)?`")
_UNDERLINE = re.compile(r"^([=\-~^\"*#+'`.:_])\1{2,}\s*$")
_DIRECTIVE = re.compile(r"^(\s*)\.\. ([\w:-]+)::\s*(.*)$")
_DROP_BLOCKS = {"index", "toctree", "testsetup", "testcleanup", "highlight", "sectionauthor", "moduleauthor",
                "only", "raw", "tabularcolumns", "include", "literalinclude", "image", "currentmodule",
                "productionlist", "list-table", "csv-table", "table", "impl-detail", "audit-event", "availability"}
_LABELS = {"versionadded": "New in version {}.", "versionchanged": "Changed in version {}.",
           "deprecated": "Deprecated since version {}.", "deprecated-removed": "Deprecated since version {}.",
           "note": "Note:", "seealso": "See also:", "warning": "Warning:", "rubric": "{}"}


def _role(m: re.Match) -> str:
    text = m.group(2).strip()
    if m.group(1) == "~":
        text = text.split(".")[-1]
    return text


def clean_rst(text: str) -> str:
    """Markup a reader does not see goes; prose, signatures and code examples stay."""
    out = []
    drop_indent = None
    for line in text.splitlines():
        if drop_indent is not None:
            if line.strip() == "" or len(line) - len(line.lstrip()) > drop_indent:
                continue
            drop_indent = None
        if re.match(r"^\s*\.\. _[^:]*:\s*$", line) or _UNDERLINE.match(line):
            continue
        m = _DIRECTIVE.match(line)
        if m:
            indent, name, arg = m.groups()
            if name in _DROP_BLOCKS:
                drop_indent = len(indent)
                continue
            if name in _LABELS:
                line = indent + _LABELS[name].format(arg.split(" ")[0] if "{}." in _LABELS[name] else arg)
            elif arg:
                line = indent + arg
            else:
                continue
        elif re.match(r"^\s*\.\.(\s|$)", line):  # comments
            drop_indent = len(line) - len(line.lstrip())
            continue
        elif re.match(r"^\s+:[\w-]+:( |$)", line):  # directive options
            continue
        line = _ROLE.sub(_role, line).replace("``", "").replace("|release|", "3.11").replace("|version|", "3.11")
        if line.strip() == "::":
            continue
        if line.endswith("::"):
            line = line[:-1]
        out.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def corpus(sources: str):
    paths = sorted(p for d in KEEP_DIRS for p in glob.glob(os.path.join(sources, d, "**", "*.rst.txt"), recursive=True))
    paths += [os.path.join(sources, f) for f in KEEP_FILES]
    if not paths or not all(os.path.exists(p) for p in paths):
        raise SystemExit(f"{sources}: the Python documentation sources are missing (apt-get install python3.11-doc)")
    docs = []
    for p in paths:
        rel = os.path.relpath(p, sources)
        with open(p, encoding="utf-8") as f:
            docs.append((rel, clean_rst(f.read())))
    # Held out: whole documents in the order of the SHA-1 of their path, until they hold 6 % of the text.
    total = sum(len(d) for _, d in docs)
    held, size = set(), 0
    for rel, d in sorted(docs, key=lambda rd: hashlib.sha1(rd[0].encode()).hexdigest()):
        if size >= 0.06 * total:
            break
        held.add(rel)
        size += len(d)
    train = [(r, d) for r, d in docs if r not in held]
    held = [(r, d) for r, d in docs if r in held]
    return train, held


# --- 3. training -------------------------------------------------------------------------------------------

def init_for_training(model: LlamaForCausalLM, seed: int) -> None:
    """GPT-2 style: N(0, 0.02), residual projections scaled by 1/sqrt(2 layers), norms at one."""
    g = torch.Generator().manual_seed(seed)
    n = model.cfg.num_hidden_layers
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.fill_(1.0)
            else:
                std = 0.02 / math.sqrt(2 * n) if name.endswith(("o_proj.weight", "down_proj.weight")) else 0.02
                p.copy_(torch.randn(p.shape, generator=g) * std)


def lr_at(step: int, steps: int, peak: float, warmup: int) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    t = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t)))


def batch(data: np.ndarray, rng: np.random.Generator, b: int, t: int):
    starts = rng.integers(0, len(data) - t - 1, size=b)
    x = np.stack([data[s:s + t + 1] for s in starts]).astype(np.int64)
    return torch.from_numpy(x[:, :-1]), torch.from_numpy(x[:, 1:])


def loss_of(model: LlamaForCausalLM, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    b, t = x.shape
    logits, _ = model(x, torch.ones(b, t, dtype=torch.long), torch.arange(t).unsqueeze(0).expand(b, t),
                      model.empty_past(b))
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


@torch.no_grad()
def eval_loss(model: LlamaForCausalLM, data: np.ndarray, t: int, max_windows: int = 64) -> float:
    """Mean next-token loss over consecutive windows of the held-out text (deterministic)."""
    model.eval()
    n = min(max_windows, (len(data) - 1) // t)
    x = torch.from_numpy(data[: n * t].astype(np.int64).reshape(n, t))
    y = torch.from_numpy(data[1: n * t + 1].astype(np.int64).reshape(n, t))
    total = 0.0
    for i in range(0, n, 8):
        total += float(loss_of(model, x[i:i + 8], y[i:i + 8])) * len(x[i:i + 8])
    model.train()
    return total / n


@torch.no_grad()
def sample(model: LlamaForCausalLM, bpe: ByteBPE, prompt: str, n: int, temperature: float, top_k: int,
           seed: int) -> str:
    model.eval()
    g = torch.Generator().manual_seed(seed)
    ids = bpe.encode(prompt)
    past = model.empty_past()
    cur, total, out = torch.tensor([ids]), len(ids), []
    for _ in range(n):
        s = cur.shape[1]
        logits, past = model(cur, torch.ones(1, total, dtype=torch.long), torch.arange(total - s, total)[None], past)
        last = logits[0, -1] / temperature
        v, i = torch.topk(last, top_k)
        nxt = int(i[torch.multinomial(torch.softmax(v, -1), 1, generator=g)])
        if nxt == BOS:
            break
        out.append(nxt)
        cur, total = torch.tensor([[nxt]]), total + 1
    model.train()
    return prompt + bpe.decode(out)


def psf_license(sources: str) -> str:
    with open(os.path.join(sources, "license.rst.txt"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("PSF LICENSE AGREEMENT FOR PYTHON")
    end = text.index(".. _", start)
    body = text[start:end].replace("|release|", "3.11").replace(".. parsed-literal::", "")
    bsd0 = text[text.index("ZERO-CLAUSE BSD LICENSE"):text.index(".. _OtherLicenses")]
    bsd0 = bsd0.replace("|release|", "3.11").replace(".. parsed-literal::", "")
    return (
        "models/default/ is derived from the Python 3.11 documentation (Debian package python3.11-doc,\n"
        "html/_sources/*.rst.txt): the model's weights and tokenizer were trained on its text, and heldout.txt is an\n"
        "excerpt of it with reStructuredText markup simplified (see scripts/train-tiny-llama.py for the changes).\n\n"
        "Copyright (c) 2001-2023 Python Software Foundation; All Rights Reserved\n\n"
        + re.sub(r"\n{3,}", "\n\n", body).strip() + "\n\n" + re.sub(r"\n{3,}", "\n\n", bsd0).strip() + "\n"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True, help="folder for the cached corpus, tokenizer and checkpoints")
    ap.add_argument("--out", required=True, help="model folder to write at the end (e.g. models/default)")
    ap.add_argument("--sources", default=SOURCES)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--vocab", type=int, default=2048)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.work, exist_ok=True)
    w = lambda name: os.path.join(args.work, name)  # noqa: E731

    train_docs, held_docs = corpus(args.sources)
    train_text = "".join(d for _, d in train_docs)
    held_text = "".join(d for _, d in held_docs)
    log(f"corpus: {len(train_docs)} training documents ({len(train_text):,} chars), {len(held_docs)} held out "
        f"({len(held_text):,} chars, {100 * len(held_text) / (len(held_text) + len(train_text)):.1f} %)")

    if not os.path.exists(w("merges.json")):
        merges = train_bpe((d for _, d in train_docs), args.vocab - 259, log=log)
        with open(w("merges.json"), "w", encoding="utf-8") as f:
            json.dump(merges, f, ensure_ascii=False)
    with open(w("merges.json"), encoding="utf-8") as f:
        merges = [tuple(m) for m in json.load(f)]
    bpe = ByteBPE(merges, args.vocab)
    if not os.path.exists(w("train.npy")):
        # Documents are separated by <|endoftext|>, as the model sees them.
        enc = lambda docs: np.array([i for _, d in docs for i in [BOS] + bpe.encode(d)], dtype=np.uint16)  # noqa
        np.save(w("train.npy"), enc(train_docs))
        np.save(w("held.npy"), enc(held_docs))
    train, held = np.load(w("train.npy")), np.load(w("held.npy"))
    log(f"tokens: {len(train):,} training, {len(held):,} held out ({len(train_text) / len(train):.2f} chars/token)")

    cfg = LlamaConfig(vocab_size=args.vocab, **CONFIG)
    model = LlamaForCausalLM(cfg)
    init_for_training(model, args.seed)
    decay = [p for n, p in model.named_parameters() if p.dim() == 2]
    other = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95))
    rng = np.random.default_rng(args.seed)
    step, history = 0, []
    if os.path.exists(w("checkpoint.pt")):
        ck = torch.load(w("checkpoint.pt"))
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        rng.bit_generator.state = ck["rng"]
        step, history = ck["step"], ck["history"]
        log(f"resumed at step {step}")
    log(f"model: {model.num_parameters():,} parameters; {args.steps} steps of {args.batch} x {args.context} tokens")

    model.train()
    t0, running = time.time(), None
    while step < args.steps:
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args.steps, args.lr, 50)
        x, y = batch(train, rng, args.batch, args.context)
        loss = loss_of(model, x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        running = float(loss) if running is None else 0.95 * running + 0.05 * float(loss)
        if step % 25 == 0 or step == args.steps:
            entry = {"step": step, "train_loss": round(running, 4), "seconds": round(time.time() - t0, 1)}
            if step % 100 == 0 or step == args.steps:
                entry["heldout_loss"] = round(eval_loss(model, held, args.context), 4)
            history.append(entry)
            log(json.dumps(entry))
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "rng": rng.bit_generator.state,
                        "step": step, "history": history}, w("checkpoint.tmp"))
            os.replace(w("checkpoint.tmp"), w("checkpoint.pt"))

    model.eval()
    final = eval_loss(model, held, args.context, max_windows=10 ** 9)
    samples = {
        "greedy": sample(model, bpe, PROMPT, 60, 1e-6, 1, args.seed),
        "temperature_0.8_top_k_40": [sample(model, bpe, p, 60, 0.8, 40, args.seed)
                                     for p in [PROMPT, "A list is", "To open a file,"]],
    }
    for k, v in samples.items():
        log(f"{k}: {v!r}")
    torch.save(model.state_dict(), w("model.pt"))
    write_folder(model, bpe, args.out, REF_PROMPT, 32,
                 {"config": "default", "weights": "trained", "parameters": model.num_parameters()}, log=log)
    with open(os.path.join(args.out, "heldout.txt"), "w", encoding="utf-8") as f:
        f.write(held_text)
    with open(os.path.join(args.out, "LICENSE.txt"), "w", encoding="utf-8") as f:
        f.write(psf_license(args.sources))
    info = {
        "corpus": "Python 3.11 documentation, Debian package python3.11-doc (html/_sources/*.rst.txt)",
        "licence": "PSF License Agreement (documentation), Zero-Clause BSD (code examples)",
        "command": " ".join(["/usr/bin/python3", "scripts/train-tiny-llama.py"] + sys.argv[1:]),
        "seed": args.seed, "steps": args.steps, "batch": args.batch, "context": args.context, "lr": args.lr,
        "parameters": model.num_parameters(),
        "training_documents": len(train_docs), "heldout_documents": [r for r, _ in held_docs],
        "training_tokens": int(len(train)), "heldout_tokens": int(len(held)),
        "tokens_seen": args.steps * args.batch * args.context,
        "final_train_loss": history[-1]["train_loss"] if history else None,
        "final_heldout_loss": round(final, 4), "final_heldout_perplexity": round(math.exp(final), 2),
        "history": history, "samples": samples,
    }
    with open(os.path.join(args.out, "training.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=2, ensure_ascii=False)
        f.write("\n")
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args.out) for f in fs)
    log(f"wrote {args.out} ({size / 1e6:.2f} MB); held-out loss {final:.3f} (perplexity {math.exp(final):.1f})")


if __name__ == "__main__":
    main()
