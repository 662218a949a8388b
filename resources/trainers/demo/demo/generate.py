"""Loading a model for inference (base + adapter or full checkpoint) and streaming byte-level generation."""
import json
import os

import torch

from . import safetensors
from .data import encode_prompt
from .model import EOS, add_lora, load_lora_weights, load_pretrained


def load_for_inference(args, log):
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model, cfg = load_pretrained(os.path.abspath(args["model_name_or_path"]), "cpu")
    for ad in [a.strip() for a in (args.get("adapter_name_or_path") or "").split(",") if a.strip()]:
        ad = os.path.abspath(ad)
        cfg_path = os.path.join(ad, "adapter_config.json")
        if not os.path.isfile(cfg_path):
            raise ValueError(f"Can't find adapter_config.json at '{ad}'.")
        with open(cfg_path, encoding="utf-8") as f:
            ac = json.load(f)
        add_lora(model, ac["r"], ac["lora_alpha"], 0.0, ac["target_modules"])
        load_lora_weights(model, safetensors.load_file(os.path.join(ad, "adapter_model.safetensors")))
        log(f"Loaded adapter(s): {ad}")
    model.to(device).eval()
    return model, cfg, device


def _sample(logits, temperature, top_p, top_k, do_sample):
    if not do_sample or temperature <= 0:
        return int(logits.argmax())
    probs = torch.softmax(logits / temperature, -1)
    if top_k:
        kth = torch.topk(probs, min(top_k, probs.numel())).values[-1]
        probs = torch.where(probs < kth, torch.zeros_like(probs), probs)
    sp, si = torch.sort(probs, descending=True)
    keep = sp.cumsum(0) - sp < top_p  # nucleus: smallest set with mass >= top_p
    sp = sp * keep
    return int(si[torch.multinomial(sp / sp.sum(), 1)])


@torch.no_grad()
def stream(model, cfg, device, system, turns, max_new_tokens=256, temperature=0.95, top_p=0.7, top_k=50,
           do_sample=True, stop=None):
    """Yields (text_piece, finish_reason_or_None); pieces are whole UTF-8 characters, a few bytes each."""
    ids, _ = encode_prompt(system, turns)
    limit = cfg["max_position_embeddings"]
    ids = ids[-(limit - 1):]
    caches = [dict() for _ in range(cfg["num_hidden_layers"])]
    logits = model(torch.tensor([ids], device=device), caches, 0)[0, -1]
    pos = len(ids)
    pending, text, n = b"", "", 0
    stops = [stop] if isinstance(stop, str) else list(stop or [])
    reason = "length"
    while n < max_new_tokens and pos < limit:
        tok = _sample(logits.float(), temperature, top_p, top_k, do_sample)
        n += 1
        if tok == EOS:
            reason = "stop"
            break
        if tok < 256:
            pending += bytes([tok])
            try:
                piece = pending.decode("utf-8")
                pending = b""
            except UnicodeDecodeError:
                piece = ""
                if len(pending) > 4:
                    pending = b""
            if piece:
                text += piece
                hit = next((s for s in stops if s and s in text), None)
                if hit:
                    cut = text.index(hit)
                    yield piece[:max(0, len(piece) - (len(text) - cut))], None
                    reason = "stop"
                    break
                yield piece, None
        logits = model(torch.tensor([[tok]], device=device), caches, pos)[0, -1]
        pos += 1
    yield "", reason


def count_prompt_tokens(system, turns):
    return len(encode_prompt(system, turns)[0])
