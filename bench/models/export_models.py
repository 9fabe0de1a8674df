#!/usr/bin/python3
"""Exports the llmos reference models to ONNX with random weights.

usage: export_models.py OUT_DIR [NAME ...] [--force] [--reference]

Models (all with a dynamic batch dim; the transformers also a dynamic
sequence dim):
  resnet18, resnet50, mobilenet_v2, squeezenet1_1   torchvision, opset 17
  bert_opset17, bert_opset13    4-layer encoder, hidden 768, 12 heads,
                                inputs input_ids + attention_mask, seq 128
                                (at opset 13 LayerNorm is spelled out)
  gpt_opset17                   4-layer decoder, hidden 768, vocab 50257,
                                causal mask, seq 128

Runs with Debian's python3-torch / python3-torchvision (torch 1.13, CPU);
nothing is downloaded. Existing files are kept unless --force is given.
"""

import argparse
import math
import os
import sys

import torch
import torch.nn as nn
import torchvision

SEQ = 128
HIDDEN = 768
HEADS = 12
LAYERS = 4


class SelfAttention(nn.Module):
    def __init__(self, causal):
        super().__init__()
        self.q = nn.Linear(HIDDEN, HIDDEN)
        self.k = nn.Linear(HIDDEN, HIDDEN)
        self.v = nn.Linear(HIDDEN, HIDDEN)
        self.out = nn.Linear(HIDDEN, HIDDEN)
        self.causal = causal
        if causal:
            self.register_buffer(
                "mask", torch.tril(torch.ones(1024, 1024)).view(1, 1, 1024, 1024))

    def split(self, x):
        b, s, _ = x.size()
        return x.view(b, s, HEADS, HIDDEN // HEADS).transpose(1, 2)

    def forward(self, x, additive_mask=None):
        b, s, _ = x.size()
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(HIDDEN // HEADS)
        if additive_mask is not None:
            scores = scores + additive_mask
        if self.causal:
            causal = self.mask[:, :, :s, :s]
            scores = scores.masked_fill(causal == 0, float("-inf"))
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).transpose(1, 2).contiguous().view(b, s, HIDDEN)
        return self.out(ctx)


class Block(nn.Module):
    def __init__(self, causal):
        super().__init__()
        self.attn = SelfAttention(causal)
        self.ln1 = nn.LayerNorm(HIDDEN)
        self.ln2 = nn.LayerNorm(HIDDEN)
        self.ff = nn.Sequential(nn.Linear(HIDDEN, 4 * HIDDEN), nn.GELU(),
                                nn.Linear(4 * HIDDEN, HIDDEN))
        self.pre_norm = causal  # GPT: pre-norm, BERT: post-norm

    def forward(self, x, mask=None):
        if self.pre_norm:
            x = x + self.attn(self.ln1(x), mask)
            return x + self.ff(self.ln2(x))
        x = self.ln1(x + self.attn(x, mask))
        return self.ln2(x + self.ff(x))


class BertEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(30522, HIDDEN)
        self.positions = nn.Embedding(512, HIDDEN)
        self.ln = nn.LayerNorm(HIDDEN)
        self.blocks = nn.ModuleList(Block(causal=False) for _ in range(LAYERS))

    def forward(self, input_ids, attention_mask):
        s = input_ids.size(1)
        pos = torch.arange(s, device=input_ids.device).unsqueeze(0)
        x = self.ln(self.tokens(input_ids) + self.positions(pos))
        mask = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        for block in self.blocks:
            x = block(x, mask)
        return x


class GptDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(50257, HIDDEN)
        self.positions = nn.Embedding(1024, HIDDEN)
        self.blocks = nn.ModuleList(Block(causal=True) for _ in range(LAYERS))
        self.ln = nn.LayerNorm(HIDDEN)

    def forward(self, input_ids):
        s = input_ids.size(1)
        pos = torch.arange(s, device=input_ids.device).unsqueeze(0)
        x = self.tokens(input_ids) + self.positions(pos)
        for block in self.blocks:
            x = block(x)
        # Tied language-model head.
        return torch.matmul(self.ln(x), self.tokens.weight.t())


def cnn(name):
    model = getattr(torchvision.models, name)(weights=None).eval()
    return model, lambda batch: (torch.randn(batch, 3, 224, 224),), \
        dict(opset_version=17, input_names=["input"], output_names=["output"],
             dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})


def bert(opset):
    model = BertEncoder().eval()

    def inputs(batch):
        ids = torch.randint(0, 30522, (batch, SEQ))
        mask = torch.ones(batch, SEQ, dtype=torch.int64)
        mask[:, SEQ - 16:] = 0  # some padding, so the mask matters
        return ids, mask
    return model, inputs, dict(
        opset_version=opset, input_names=["input_ids", "attention_mask"],
        output_names=["last_hidden_state"],
        dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                      "attention_mask": {0: "batch", 1: "sequence"},
                      "last_hidden_state": {0: "batch", 1: "sequence"}})


def gpt():
    model = GptDecoder().eval()
    return model, lambda batch: (torch.randint(0, 50257, (batch, SEQ)),), \
        dict(opset_version=17, input_names=["input_ids"],
             output_names=["logits"],
             dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                           "logits": {0: "batch", 1: "sequence"}})


# name -> (builder, batch sizes of the reference data)
MODELS = {
    "resnet18": (lambda: cnn("resnet18"), (1, 8)),
    "resnet50": (lambda: cnn("resnet50"), (1, 8)),
    "mobilenet_v2": (lambda: cnn("mobilenet_v2"), (1, 8)),
    "squeezenet1_1": (lambda: cnn("squeezenet1_1"), (1, 8)),
    "bert_opset17": (lambda: bert(17), (1,)),
    "bert_opset13": (lambda: bert(13), (1,)),
    "gpt_opset17": (gpt, (1,)),
}


def save_tensor(path, value):
    from onnx import numpy_helper
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(value.numpy()).SerializeToString())


def write_reference(model, inputs, batches, directory):
    """Writes <directory>/batch<B>/input_<i>.pb and output_<i>.pb (the ONNX
    backend test layout) from PyTorch's own outputs."""
    for batch in batches:
        folder = os.path.join(directory, f"batch{batch}")
        os.makedirs(folder, exist_ok=True)
        args = inputs(batch)
        with torch.no_grad():
            outputs = model(*args)
        if not isinstance(outputs, (tuple, list)):
            outputs = (outputs,)
        for i, value in enumerate(args):
            save_tensor(os.path.join(folder, f"input_{i}.pb"), value)
        for i, value in enumerate(outputs):
            save_tensor(os.path.join(folder, f"output_{i}.pb"), value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("names", nargs="*", choices=[[]] + list(MODELS),
                        default=[])
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--reference", action="store_true",
                        help="also write PyTorch's outputs as test data in "
                             "OUT_DIR/NAME.data/batch<B>/ (CNNs at batch 1 "
                             "and 8, the transformers at batch 1)")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    for name in args.names or list(MODELS):
        path = os.path.join(args.out_dir, name + ".onnx")
        if os.path.exists(path) and not args.force:
            print(f"{path}: exists")
            continue
        # Each model is built from the same seed, so a model and its
        # reference data always belong together.
        torch.manual_seed(0)
        builder, batches = MODELS[name]
        model, inputs, export_args = builder()
        torch.onnx.export(model, inputs(1), path + ".tmp", **export_args)
        os.replace(path + ".tmp", path)
        print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB")
        if args.reference:
            write_reference(model, inputs, batches,
                            os.path.join(args.out_dir, name + ".data"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
