#!/usr/bin/python3
"""PyTorch oracle for ModuleInitializer.ResetParameters and InitializerPlan.Apply (Microsoft.ML.WeightInit).

Writes into the output directory given as the only argument one little-endian float32 file per parameter and a
``manifest.json`` in the format of torch_init_oracle.py. Kinds of case:
  reset  torch.manual_seed(seed); build the module (params: {"type": ..., "args": {...}}); every named parameter
  plan   torch.manual_seed(seed); build the module; then, in named_parameters order, init.<scheme>_ for every parameter
         whose rule (resolved here, independently of the C# code, by the documented precedence: exact path > glob >
         type > plan-wide weight/bias > PyTorch default) is not pytorch_default; params: {"type", "args", "rules"}

Run with Debian's interpreter: /usr/bin/python3 test/parity/torch_module_oracle.py OUT_DIR
"""
import fnmatch
import hashlib
import json
import os
import sys
import warnings

import torch
import torch.nn as nn
from torch.nn import init

TYPE_ALIASES = {"NonDynamicallyQuantizableLinear": "Linear"}


class Mixed(nn.Module):
    """conv + norm + LSTM + attention + head, registered in this order (the C# test's MixedModel)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(3, 8, 3)
        self.norm = nn.BatchNorm1d(8)
        self.lstm = nn.LSTM(8, 6, num_layers=2, bidirectional=True)
        self.attn = nn.MultiheadAttention(12, 3)
        self.head = nn.Linear(12, 4)


def build(spec):
    t, a = spec["type"], spec["args"]
    if t == "seq_cnn":
        return nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 8, 3, bias=False),
                             nn.GroupNorm(2, 8), nn.ReLU(), nn.Flatten(), nn.Linear(32, 10))
    if t == "mixed":
        return Mixed()
    if t == "TransformerEncoder":
        return nn.TransformerEncoder(nn.TransformerEncoderLayer(**a["layer"]), a["num_layers"])
    if t == "TransformerDecoder":
        return nn.TransformerDecoder(nn.TransformerDecoderLayer(**a["layer"]), a["num_layers"])
    args = dict(a)
    if "kernel_size" in args and isinstance(args["kernel_size"], list):
        args["kernel_size"] = tuple(args["kernel_size"])
    return getattr(nn, t)(**args)


def reset_specs():
    s = []

    def add(t, **args):
        s.append({"type": t, "args": args})

    add("Linear", in_features=8, out_features=5)
    add("Linear", in_features=20, out_features=3, bias=False)
    add("Linear", in_features=1, out_features=1)
    add("Bilinear", in1_features=3, in2_features=4, out_features=5)
    add("Bilinear", in1_features=6, in2_features=2, out_features=3, bias=False)
    add("Conv1d", in_channels=3, out_channels=4, kernel_size=3)
    add("Conv1d", in_channels=4, out_channels=6, kernel_size=2, groups=2)
    add("Conv2d", in_channels=1, out_channels=20, kernel_size=5)
    add("Conv2d", in_channels=3, out_channels=8, kernel_size=[3, 2], bias=False)
    add("Conv3d", in_channels=2, out_channels=4, kernel_size=3)
    add("ConvTranspose1d", in_channels=3, out_channels=4, kernel_size=3)
    add("ConvTranspose2d", in_channels=4, out_channels=2, kernel_size=3)
    add("ConvTranspose2d", in_channels=4, out_channels=6, kernel_size=2, groups=2)
    add("ConvTranspose3d", in_channels=2, out_channels=3, kernel_size=2)
    add("BatchNorm1d", num_features=5)
    add("BatchNorm2d", num_features=7)
    add("BatchNorm3d", num_features=3)
    add("GroupNorm", num_groups=2, num_channels=6)
    add("GroupNorm", num_groups=3, num_channels=3)
    add("InstanceNorm1d", num_features=4, affine=True)
    add("InstanceNorm2d", num_features=5, affine=True)
    add("InstanceNorm3d", num_features=2, affine=True)
    add("LayerNorm", normalized_shape=[5])
    add("LayerNorm", normalized_shape=[3, 4])
    add("Embedding", num_embeddings=10, embedding_dim=4)
    add("Embedding", num_embeddings=12, embedding_dim=3, padding_idx=2)
    add("EmbeddingBag", num_embeddings=10, embedding_dim=4)
    add("RNN", input_size=3, hidden_size=5)
    add("RNN", input_size=4, hidden_size=6, num_layers=2, bidirectional=True)
    add("LSTM", input_size=3, hidden_size=5)
    add("LSTM", input_size=4, hidden_size=3, num_layers=2, bidirectional=True, bias=False)
    add("GRU", input_size=3, hidden_size=5, num_layers=3)
    add("GRU", input_size=2, hidden_size=4, bidirectional=True)
    add("RNNCell", input_size=3, hidden_size=5)
    add("LSTMCell", input_size=4, hidden_size=6)
    add("GRUCell", input_size=5, hidden_size=2)
    add("MultiheadAttention", embed_dim=8, num_heads=2)
    add("MultiheadAttention", embed_dim=8, num_heads=2, add_bias_kv=True)
    add("MultiheadAttention", embed_dim=8, num_heads=4, kdim=3, vdim=5)
    add("MultiheadAttention", embed_dim=6, num_heads=2, bias=False)
    add("TransformerEncoderLayer", d_model=8, nhead=2, dim_feedforward=16)
    add("TransformerDecoderLayer", d_model=8, nhead=2, dim_feedforward=16)
    add("TransformerEncoder", layer={"d_model": 8, "nhead": 2, "dim_feedforward": 16}, num_layers=2)
    add("TransformerDecoder", layer={"d_model": 8, "nhead": 2, "dim_feedforward": 12}, num_layers=2)
    add("Transformer", d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=16)
    add("seq_cnn")
    add("mixed")
    return s


def plan_cases():
    mixed = {"type": "mixed", "args": {}}
    cnn = {"type": "seq_cnn", "args": {}}
    enc = {"type": "TransformerEncoder", "args": {"layer": {"d_model": 8, "nhead": 2, "dim_feedforward": 16}, "num_layers": 2}}
    relu_out = ["kaiming_normal", {"a": 0.0, "mode": "fan_out", "nonlinearity": "relu"}]
    return [
        (mixed, [["Conv1d.weight"] + relu_out, ["Linear.weight", "xavier_uniform", {"gain": 1.0}], ["*.bias", "zeros", {}],
                 ["BatchNorm1d.weight", "ones", {}], ["head", "normal", {"mean": 0.0, "std": 0.01}],
                 ["lstm.weight_hh_l*", "orthogonal", {"gain": 1.0}], ["attn.in_proj_weight", "xavier_normal", {"gain": 1.0}]]),
        (mixed, [["weight", "xavier_uniform", {"gain": 1.0}], ["bias", "zeros", {}], ["BatchNorm1d.weight", "ones", {}],
                 ["LSTM", "uniform", {"a": -0.1, "b": 0.1}], ["LSTM.bias_*", "constant", {"val": 0.5}],
                 ["MultiheadAttention.in_proj_weight", "orthogonal", {"gain": 1.0}]]),
        (cnn, [["Conv2d.weight"] + relu_out, ["*.bias", "zeros", {}], ["BatchNorm2d.weight", "ones", {}], ["7", "zeros", {}]]),
        (enc, [["Linear.weight", "xavier_uniform", {"gain": 1.0}], ["layers.*.self_attn.in_proj_weight", "orthogonal", {"gain": 1.0}],
               ["*.bias", "zeros", {}], ["LayerNorm.weight", "ones", {}]]),
        (enc, [["layers.1.linear2", "zeros", {}], ["layers.*.linear*.weight", "kaiming_uniform", {"a": 0.0, "mode": "fan_in", "nonlinearity": "relu"}],
               ["MultiheadAttention.out_proj.weight", "trunc_normal", {"std": 0.02}]]),
    ]


def type_of(module):
    name = type(module).__name__
    return TYPE_ALIASES.get(name, name)


def resolve(model, name, rules):
    """The rule for a parameter by the documented precedence, or None."""
    segments = name.split(".")
    owner_path = ".".join(segments[:-1])
    ancestors = [("", model)] + [(".".join(segments[:i]), model.get_submodule(".".join(segments[:i])))
                                  for i in range(1, len(segments))]
    exact, globs, types, wide = [], [], [], []
    for rule in rules:
        target = rule[0]
        if target in ("weight", "bias"):
            if segments[-1] == target:
                wide.append(rule)
        elif ("*" in target or "?" in target) and not (target[0].isupper() and not any(c in "*?" for c in target.split(".")[0])):
            if fnmatch.fnmatchcase(name, target):
                globs.append((sum(c not in "*?" for c in target), rule))
        elif target[0].isupper():
            t, _, rel = target.partition(".")
            if not rel:
                if type_of(model.get_submodule(owner_path) if owner_path else model) == t:
                    types.append((0, rule))
            else:
                for path, module in ancestors:
                    rest = name[len(path) + 1:] if path else name
                    if type_of(module) == t and fnmatch.fnmatchcase(rest, rel):
                        types.append((1 + sum(c not in "*?" for c in rel), rule))
        elif name == target or name.startswith(target + "."):
            exact.append((len(target), rule))
    for level in (exact, globs, types):
        if level:
            return max(level, key=lambda x: x[0])[1]
    return wide[0] if wide else None


def run_reset(spec, seed):
    torch.manual_seed(seed)
    return list(build(spec).named_parameters())


def run_plan(spec, rules, seed):
    torch.manual_seed(seed)
    model = build(spec)
    produced = list(model.named_parameters())
    for name, p in produced:
        rule = resolve(model, name, rules)
        if rule is not None and rule[1] != "pytorch_default":
            getattr(init, rule[1] + "_")(p, **rule[2])
    return produced


def main():
    if len(sys.argv) != 2:
        print("usage: torch_module_oracle.py OUT_DIR", file=sys.stderr)
        return 2
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    cases = [("reset", spec["type"], spec, seed) for spec in reset_specs() for seed in (1, 42, 2024)]
    cases += [("plan", spec["type"], dict(spec, rules=rules), seed) for spec, rules in plan_cases() for seed in (3, 2024)]
    manifest = {"torch_version": torch.__version__, "cases": []}
    for index, (kind, scheme, params, seed) in enumerate(cases):
        case = {"id": "m%03d" % index, "kind": kind, "scheme": scheme, "params": params, "shape": [], "seed": seed}
        with torch.no_grad():
            produced = run_reset(params, seed) if kind == "reset" else run_plan(params, params["rules"], seed)
        tensors = []
        for n, (name, t) in enumerate(produced):
            data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
            file = "%s_%d.bin" % (case["id"], n)
            with open(os.path.join(out_dir, file), "wb") as f:
                f.write(data)
            tensors.append({"name": name, "shape": list(t.shape), "file": file,
                            "sha256": hashlib.sha256(data).hexdigest(), "mean": t.double().mean().item() if t.numel() else 0.0})
        case["tensors"] = tensors
        manifest["cases"].append(case)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
