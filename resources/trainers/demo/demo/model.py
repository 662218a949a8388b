"""The demo model: a tiny byte-level LLaMA-style causal transformer plus real LoRA adapters."""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import safetensors

# Vocabulary: 256 raw UTF-8 bytes (so any language works) + a few special tokens.
BOS, EOS, PAD, USER, ASSISTANT, SYSTEM = 256, 257, 258, 259, 260, 261
VOCAB_SIZE = 264
SPECIAL_TEXT = {BOS: "<s>", EOS: "</s>", PAD: "<pad>", USER: "<|user|>", ASSISTANT: "<|assistant|>", SYSTEM: "<|system|>"}
LINEAR_NAMES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def default_config():
    return {"architectures": ["DemoByteLlamaForCausalLM"], "model_type": "demo_byte_llama", "vocab_size": VOCAB_SIZE,
            "hidden_size": 160, "intermediate_size": 448, "num_hidden_layers": 4, "num_attention_heads": 4,
            "max_position_embeddings": 384, "rms_norm_eps": 1e-5, "bos_token_id": BOS, "eos_token_id": EOS,
            "pad_token_id": PAD, "torch_dtype": "float16", "tokenizer": "utf-8 bytes + 6 special tokens"}


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class LoraLinear(nn.Module):
    """Wraps a frozen nn.Linear: y = W x + (B A dropout(x)) * alpha / r, like peft's LoRA layer."""

    def __init__(self, base, r, alpha, dropout):
        super().__init__()
        self.base = base
        self.r, self.alpha = r, alpha
        self.scaling = alpha / r
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)  # starts as the identity of the base model, as in peft
        self.drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(self.drop(x))) * self.scaling


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["hidden_size"]
        self.h = cfg["num_attention_heads"]
        self.q_proj, self.k_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)
        self.v_proj, self.o_proj = nn.Linear(d, d, bias=False), nn.Linear(d, d, bias=False)

    def forward(self, x, cache=None, key_mask=None):
        b, t, d = x.shape
        hd = d // self.h
        q, k, v = (p(x).view(b, t, self.h, hd).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        if cache is not None:  # incremental decoding: append this step's keys/values
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
            cache["k"], cache["v"] = k, v
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        s = k.shape[2]
        # causal mask offset by the cached length (no scaled_dot_product_attention: must run on torch 1.13)
        mask = torch.ones(t, s, dtype=torch.bool, device=x.device).tril(s - t)
        if key_mask is not None:
            # batched generation with left padding: key_mask (b, s) is False on pad keys; every query still sees
            # itself so a pad row is never all -inf (NaN would leak into real rows through att @ v)
            diag = torch.zeros(t, s, dtype=torch.bool, device=x.device)
            diag[torch.arange(t), torch.arange(s - t, s)] = True
            mask = (mask & key_mask[:, None, None, :]) | diag
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        return self.o_proj((att @ v).transpose(1, 2).reshape(b, t, d))


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, f = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj, self.up_proj = nn.Linear(d, f, bias=False), nn.Linear(d, f, bias=False)
        self.down_proj = nn.Linear(f, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.mlp = MLP(cfg)

    def forward(self, x, cache=None, key_mask=None):
        x = x + self.self_attn(self.input_layernorm(x), cache, key_mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class DemoModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        d = cfg["hidden_size"]
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], d)
        self.embed_positions = nn.Embedding(cfg["max_position_embeddings"], d)
        self.layers = nn.ModuleList(Block(cfg) for _ in range(cfg["num_hidden_layers"]))
        self.norm = RMSNorm(d, cfg["rms_norm_eps"])
        self.lm_head = nn.Linear(d, cfg["vocab_size"], bias=False)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)

    def forward(self, ids, caches=None, start=0, positions=None, key_mask=None):
        """positions (b, t) and key_mask (b, cached + t) are for left-padded batches (predict); default: one sequence."""
        pos = positions if positions is not None else torch.arange(start, start + ids.shape[1], device=ids.device)
        x = self.embed_tokens(ids) + self.embed_positions(pos)
        for i, layer in enumerate(self.layers):
            x = layer(x, caches[i] if caches is not None else None, key_mask)
        return self.lm_head(self.norm(x))


def add_lora(model, rank, alpha, dropout, targets):
    """Freezes the base and wraps every Linear whose name is in targets ("all" = every projection, as LF does)."""
    for p in model.parameters():
        p.requires_grad_(False)
    names = LINEAR_NAMES if targets == ["all"] else targets
    bad = [t for t in names if t not in LINEAR_NAMES]
    if bad:
        raise ValueError(f"Target modules {bad} not found in the base model. Please check the target modules and try again. "
                         f"Available: {', '.join(LINEAR_NAMES)}")
    wrapped = []
    for layer in model.layers:
        for parent in (layer.self_attn, layer.mlp):
            for n in names:
                if hasattr(parent, n):
                    setattr(parent, n, LoraLinear(getattr(parent, n), rank, alpha, dropout))
                    wrapped.append(n)
    return sorted(set(wrapped))


def lora_state_dict(model):
    """Adapter weights under peft's key names (base_model.model.<path>.lora_A.weight)."""
    out = {}
    for name, p in model.named_parameters():
        if "lora_" in name:
            out["base_model.model." + name] = p.detach()
    return out


def load_lora_weights(model, sd):
    own = dict(model.named_parameters())
    for k, v in sd.items():
        name = k[len("base_model.model."):] if k.startswith("base_model.model.") else k
        if name not in own:
            raise ValueError(f"Adapter weight {k} does not match the base model.")
        own[name].data.copy_(v.to(own[name].dtype))


def base_state_dict(model):
    """Full weights with the LoRA wrappers merged away, under plain module names."""
    out = {}
    for name, mod in model.named_modules():
        if isinstance(mod, LoraLinear):
            w = mod.base.weight + (mod.lora_B.weight @ mod.lora_A.weight) * mod.scaling
            out[name + ".weight"] = w.detach()
    for name, p in model.named_parameters():
        if "lora_" in name or ".base." in name:
            continue
        out[name] = p.detach()
    return out


def load_pretrained(path, device="cpu"):
    """Loads <path>/config.json + model.safetensors; clear errors for what LF users actually point it at."""
    cfg = read_config(path)
    wpath = os.path.join(path, "model.safetensors")
    if not os.path.isfile(wpath):
        raise FileNotFoundError(f"No model.safetensors found in {path}.")
    model = DemoModel(cfg)
    sd = safetensors.load_file(wpath)
    model.load_state_dict({k: v.float() for k, v in sd.items()})
    return model.to(device), cfg


def read_config(path):
    """Checks the model folder before anything is written, so a bad model path leaves no output_dir behind."""
    cfg_path = os.path.join(path, "config.json")
    if not os.path.isdir(path):
        raise FileNotFoundError(f"Model path not found: {path} (model_name_or_path must be a local folder for the demo trainer).")
    if not os.path.isfile(cfg_path):
        raise FileNotFoundError(f"{path} does not appear to have a file named config.json.")
    with open(cfg_path, encoding="utf-8") as f:
        cfg = json.load(f)
    if cfg.get("model_type") != "demo_byte_llama":
        raise ValueError(f"The demo trainer can only load its own demo_byte_llama models, not model_type={cfg.get('model_type')!r} "
                         f"({path}). Install LLaMA-Factory to train real models.")
    return cfg
