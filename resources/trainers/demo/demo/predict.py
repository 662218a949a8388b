"""`train` with do_predict (LLAMAFACTORY.md §2, §3.1–3.3): greedy batch generation on eval_dataset, BLEU-4/ROUGE,
generated_predictions.jsonl, predict_results.json (+ all_results.json), predict-only trainer_log.jsonl progress lines."""
import json
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

from . import console, outputs
from .console import elapsed_str, log
from .data import encode_prompt, load_datasets
from .generate import load_for_inference
from .metrics_text import similarity
from .model import EOS, PAD, SPECIAL_TEXT, read_config

_abort = {"flag": False}


def _on_sigabrt(signum, frame):
    _abort["flag"] = True  # LF's LogCallback in a predict-only run: sys.exit(0) at the next prediction step


def check_args(args):
    """LF parser checks that apply to a run with do_predict (raised before anything is written)."""
    if args["stage"] != "sft":
        if args["predict_with_generate"]:
            raise ValueError("`predict_with_generate` cannot be set as True except SFT.")
        raise ValueError(f"stage: {args['stage']} is not supported by the demo trainer (only sft).")
    if args["do_train"] and args["predict_with_generate"]:
        raise ValueError("`predict_with_generate` cannot be set as True while training.")
    if not args["eval_dataset"] and not (args["val_size"] and args["val_size"] > 1e-6):
        raise ValueError("Please make sure eval_dataset be provided or val_size >1e-6")
    if args["val_size"] and not args["eval_dataset"] and not args["dataset"]:
        raise ValueError("Please specify dataset: val_size splits the evaluation set off `dataset`.")
    for k in ("model_name_or_path", "output_dir"):
        if not args[k]:
            raise ValueError(f"Please specify `{k}`.")
    if args["quantization_bit"] is not None:
        raise ValueError("quantization_bit (QLoRA) is not supported by the demo trainer.")
    if args["per_device_eval_batch_size"] < 1:
        raise ValueError("per_device_eval_batch_size must be positive.")


def load_examples(args):
    """(system, turns) examples to predict: eval_dataset, else the val_size split of `dataset` (same split as training)."""
    dataset_dir = os.path.abspath(args["dataset_dir"])
    lg = lambda m, lvl="INFO": log(m, lvl, "llamafactory.data.loader", 143)  # noqa: E731
    if args["eval_dataset"]:
        return load_datasets(args["eval_dataset"], dataset_dir, args["max_samples"], lg)
    examples = load_datasets(args["dataset"], dataset_dir, args["max_samples"], lg)
    order = list(range(len(examples)))
    random.Random(args["seed"]).shuffle(order)
    vs = args["val_size"]
    n_eval = int(vs) if vs >= 1 else max(1, int(round(len(examples) * vs)))
    return [examples[i] for i in order[:n_eval]]


def decode_with_special(ids):
    """tokenizer.decode(..., skip_special_tokens=False): bytes as UTF-8, special ids as their text."""
    out, pending = [], b""
    for i in ids:
        if i < 256:
            pending += bytes([i])
            continue
        out.append(pending.decode("utf-8", errors="ignore"))
        pending = b""
        out.append(SPECIAL_TEXT.get(i, ""))
    out.append(pending.decode("utf-8", errors="ignore"))
    return "".join(out)


def build_rows(examples, cutoff_len, limit):
    """(prompt ids, label text): the conversation up to the last assistant turn; the label is that turn's reply."""
    rows = []
    for system, turns in examples:
        user, answer = turns[-1]
        ids, _ = encode_prompt(system, turns[:-1] + [(user, None)])
        keep = max(2, min(cutoff_len or len(ids), limit - 1))
        rows.append((ids[-keep:], answer or ""))  # keep the end, so the prompt still ends with <|assistant|>
    return rows


@torch.no_grad()
def generate_batch(model, cfg, device, prompts, max_new_tokens):
    """Greedy decoding of a left-padded batch with a KV cache; returns the generated ids per row (EOS excluded)."""
    limit = cfg["max_position_embeddings"]
    b, n = len(prompts), max(len(p) for p in prompts)
    ids = torch.full((b, n), PAD, dtype=torch.long)
    keys = torch.zeros((b, n), dtype=torch.bool)
    for i, p in enumerate(prompts):
        ids[i, n - len(p):] = torch.tensor(p)
        keys[i, n - len(p):] = True
    pos = (keys.long().cumsum(1) - 1).clamp(min=0)  # HF: position_ids from the attention mask
    ids, keys, pos = ids.to(device), keys.to(device), pos.to(device)
    caches = [dict() for _ in range(cfg["num_hidden_layers"])]
    logits = model(ids, caches, positions=pos, key_mask=keys)[:, -1]
    nxt_pos = pos[:, -1] + 1
    out = [[] for _ in range(b)]
    done = [False] * b
    for _ in range(max_new_tokens):
        tok = logits.argmax(-1)
        for i, t in enumerate(tok.tolist()):
            if done[i]:
                continue
            if t == EOS:
                done[i] = True
            else:
                out[i].append(t)
                if int(nxt_pos[i]) >= limit - 1 or len(out[i]) >= max_new_tokens:
                    done[i] = True
        if all(done):
            break
        live = torch.tensor([not d for d in done], device=device)
        tok = torch.where(live, tok, torch.full_like(tok, PAD))
        keys = torch.cat([keys, live[:, None]], 1)
        step_pos = nxt_pos.clamp(max=limit - 1)
        logits = model(tok[:, None], caches, positions=step_pos[:, None], key_mask=keys)[:, -1]
        nxt_pos = nxt_pos + 1
    return out


def _decode_text(ids):
    return bytes(i for i in ids if i < 256).decode("utf-8", errors="ignore")


def _loss_metrics(model, examples, args, device, bs):
    """do_predict without predict_with_generate: teacher-forced predict_loss (and predict_accuracy)."""
    tot, n, correct, count = 0.0, 0, 0, 0
    rows = []
    for system, turns in examples:
        ids, labels = encode_prompt(system, turns)
        rows.append((ids[:args["cutoff_len"]], labels[:args["cutoff_len"]]))
    for i in range(0, len(rows), bs):
        chunk = rows[i:i + bs]
        m = max(len(a) for a, _ in chunk)
        ids = torch.full((len(chunk), m), PAD, dtype=torch.long)
        lab = torch.full((len(chunk), m), -100, dtype=torch.long)
        for j, (a, b) in enumerate(chunk):
            ids[j, :len(a)] = torch.tensor(a)
            lab[j, :len(b)] = torch.tensor(b)
        ids, lab = ids.to(device), lab.to(device)
        logits = model(ids)[:, :-1]
        tgt = lab[:, 1:]
        tot += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-100).item()
        n += 1
        mk = tgt != -100
        correct += (logits.argmax(-1)[mk] == tgt[mk]).sum().item()
        count += mk.sum().item()
        yield None
    out = {"predict_loss": tot / max(1, n)}
    if args["compute_accuracy"]:
        out["predict_accuracy"] = correct / max(1, count)
    yield out


def predict(model, cfg, device, args, out, predict_only, examples=None):
    """Runs prediction and writes the files; shared by predict-only runs and `do_train` + `do_predict`."""
    examples = examples if examples is not None else load_examples(args)
    bs = args["per_device_eval_batch_size"]
    gen = bool(args["predict_with_generate"])
    limit = cfg["max_position_embeddings"]
    rows = build_rows(examples, args["cutoff_len"], limit)
    total = (len(rows) + bs - 1) // bs
    max_new = max(1, min(int(args["max_new_tokens"] or 1024), limit - 1))
    if gen:
        log("Batch generation can be very slow. Consider using `scripts/vllm_infer.py` instead.", "WARNING",
            "llamafactory.train.sft.workflow", 127)
    log("***** Running Prediction *****", name="transformers.trainer", lineno=4228)
    log(f"  Num examples = {len(rows):,}", name="transformers.trainer", lineno=4230)
    log(f"  Batch size = {bs}", name="transformers.trainer", lineno=4233)
    t_prep = time.time()  # HF's model_preparation_time: placing/wrapping the model before the loop
    model.to(device).eval()
    prep_time = time.time() - t_prep
    t0 = time.time()
    bar = console.Bar(total)
    results, loss_out = [], None
    loss_iter = None if gen else _loss_metrics(model, examples, args, device, bs)
    delay = float(os.environ.get("DEMO_TRAINER_STEP_DELAY_MS", "0") or 0) / 1000
    for step in range(1, total + 1):
        if _abort["flag"]:  # LF: predict-only SIGABRT → sys.exit(0) at the next prediction step
            console.bar_clear()
            log("Received SIGABRT: stopping prediction.", "WARNING", "llamafactory.train.callbacks", 245)
            sys.exit(0)
        chunk = rows[(step - 1) * bs:step * bs]
        if gen:
            for (p, label), g in zip(chunk, generate_batch(model, cfg, device, [p for p, _ in chunk], max_new)):
                results.append({"prompt": decode_with_special(p), "predict": _decode_text(g), "label": label})
        else:
            next(loss_iter)
        if delay:
            time.sleep(delay)
        bar.update()
        if predict_only and step % 5 == 0:  # LogCallback.on_prediction_step: progress-only line every 5 steps
            el = time.time() - t0
            line = {"current_steps": step, "total_steps": total, "percentage": round(step / total * 100, 2) if total else 100,
                    "elapsed_time": elapsed_str(el), "remaining_time": elapsed_str((total - step) * el / step)}
            with open(os.path.join(out, "trainer_log.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(line) + "\n")
    bar.close()
    runtime = time.time() - t0
    metrics = {}
    if gen:
        sim = similarity([(r["predict"], r["label"]) for r in results])
        metrics = {"predict_bleu-4": sim["bleu-4"], "predict_rouge-1": sim["rouge-1"], "predict_rouge-2": sim["rouge-2"],
                   "predict_rouge-l": sim["rouge-l"]}
    else:
        loss_out = next(loss_iter)
        metrics.update(loss_out)
    metrics.update({"predict_runtime": round(runtime, 4),
                    "predict_samples_per_second": round(len(rows) / max(runtime, 1e-6), 3),
                    "predict_steps_per_second": round(total / max(runtime, 1e-6), 3),
                    "predict_model_preparation_time": round(prep_time, 4)})
    console.print_block("predict", metrics)
    outputs.save_metrics(out, "predict", metrics)
    path = os.path.join(out, "generated_predictions.jsonl")
    if gen:
        with open(path, "w", encoding="utf-8") as f:
            for r in results:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        log(f"Saving prediction results to {path}", name="llamafactory.train.sft.trainer", lineno=163)
    else:
        log("predict_with_generate is false: only predict_loss is computed and no generated_predictions.jsonl is "
            "written (set predict_with_generate: true for BLEU/ROUGE).", "WARNING", "llamafactory.train.sft.workflow", 130)
    return metrics


def run(args):
    """A predict-only run (do_predict without do_train)."""
    check_args(args)
    read_config(os.path.abspath(args["model_name_or_path"]))
    for ad in [a.strip() for a in (args["adapter_name_or_path"] or "").split(",") if a.strip()]:
        if not os.path.isfile(os.path.join(os.path.abspath(ad), "adapter_config.json")):
            raise ValueError(f"Can't find adapter_config.json at '{os.path.abspath(ad)}'.")
    examples = load_examples(args)  # dataset errors before anything is written
    out = args["output_dir"] = os.path.abspath(args["output_dir"])
    if args["overwrite_output_dir"]:  # LogCallback.on_init_end; predict runs never resume
        tl = os.path.join(out, "trainer_log.jsonl")
        if os.path.exists(tl):
            os.remove(tl)
    device = console.start_run(out, _on_sigabrt)
    torch.manual_seed(args["seed"])
    log(f"Process rank: 0, world size: 1, device: {device}, distributed training: False, compute dtype: torch.float32",
        name="llamafactory.hparams.parser", lineno=556)
    if args["do_sample"] and args["predict_with_generate"]:
        log("The demo trainer predicts with greedy decoding (do_sample/temperature/top_p are ignored for do_predict).",
            "WARNING", "llamafactory.train.sft.workflow", 120)
    log(f"loading configuration file {os.path.join(os.path.abspath(args['model_name_or_path']), 'config.json')}",
        name="transformers.configuration_utils", lineno=765)
    model, cfg, device = load_for_inference(args, lambda m: log(m, name="llamafactory.model.adapter", lineno=180))
    predict(model, cfg, device, args, out, predict_only=True, examples=examples)
    return 0

