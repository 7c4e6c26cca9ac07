"""A small Llama of our own (PyTorch), its byte-level BPE tokenizer and the Hugging Face / ONNX folder writer.

Shared by scripts/export-llama.py (random weights from a config and a seed) and scripts/train-tiny-llama.py
(the embedded default model). Runs with Debian's /usr/bin/python3 (python3-torch 1.13, python3-onnx 1.12).
"""
