"""The `train` command: SFT with LoRA or full fine-tuning, HF-Trainer-like loop, LF's output/resume/abort behaviour."""
import math
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

from . import console, faults, outputs, safetensors
from .console import log
from .data import KNOWN_TEMPLATES, load_datasets, tokenize
from .model import PAD, add_lora, load_lora_weights, load_pretrained, read_config

_abort = {"flag": False}


def _on_sigabrt(signum, frame):
    _abort["flag"] = True  # LF's LogCallback: stop at the next step end, then save as usual


def lr_lambda(kind, warmup, total):
    def f(step):
        if kind in ("constant_with_warmup", "linear", "cosine") and step < warmup:
            return step / max(1, warmup)
        if kind in ("constant", "constant_with_warmup"):
            return 1.0
        progress = (step - warmup) / max(1, total - warmup)
        if kind == "cosine":
            return max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))
        return max(0.0, 1.0 - progress)  # linear
    return f


def collate(rows, device):
    n = max(len(r[0]) for r in rows)
    ids = torch.full((len(rows), n), PAD, dtype=torch.long)
    labels = torch.full((len(rows), n), -100, dtype=torch.long)
    for i, (a, b) in enumerate(rows):
        ids[i, :len(a)] = torch.tensor(a)
        labels[i, :len(b)] = torch.tensor(b)
    return ids.to(device), labels.to(device)


def loss_fn(model, ids, labels):
    logits = model(ids)[:, :-1]
    tgt = labels[:, 1:]
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-100), logits, tgt


def evaluate(model, rows, args, device, state, compute_accuracy):
    t0 = time.time()
    model.eval()
    bs = args["per_device_eval_batch_size"]
    tot, n, correct, count = 0.0, 0, 0, 0
    with torch.no_grad():
        for i in range(0, len(rows), bs):
            ids, labels = collate(rows[i:i + bs], device)
            loss, logits, tgt = loss_fn(model, ids, labels)
            tot += loss.item()
            n += 1
            m = tgt != -100
            correct += (logits.argmax(-1)[m] == tgt[m]).sum().item()
            count += m.sum().item()
    model.train()
    rt = time.time() - t0
    out = {"eval_loss": tot / max(1, n)}
    if compute_accuracy:
        out["eval_accuracy"] = correct / max(1, count)
    out.update({"eval_runtime": round(rt, 4), "eval_samples_per_second": round(len(rows) / max(rt, 1e-6), 3),
                "eval_steps_per_second": round(n / max(rt, 1e-6), 3), "epoch": state["epoch"]})
    return out


def check_args(args):
    if not args["do_train"]:
        raise ValueError("The demo trainer runs training or do_predict: set do_train: true or do_predict: true "
                         "(eval-only runs are not implemented).")
    if args["stage"] != "sft":
        raise ValueError(f"stage: {args['stage']} is not supported by the demo trainer (only sft).")
    if args["finetuning_type"] not in ("lora", "full"):
        raise ValueError(f"finetuning_type: {args['finetuning_type']} is not supported by the demo trainer (lora or full).")
    for k in ("model_name_or_path", "output_dir", "dataset"):
        if not args[k]:
            raise ValueError(f"Please specify `{k}`." if k != "dataset" else "Please specify dataset for training.")
    if args["eval_strategy"] != "no" and not args["val_size"]:
        raise ValueError("Please make sure eval_dataset be provided or val_size >1e-6")
    if args["quantization_bit"] is not None:
        raise ValueError("quantization_bit (QLoRA) is not supported by the demo trainer.")
    if args["learning_rate"] <= 0 or args["per_device_train_batch_size"] < 1 or args["gradient_accumulation_steps"] < 1:
        raise ValueError("learning_rate, per_device_train_batch_size and gradient_accumulation_steps must be positive.")


def resolve_output_dir(args):
    """LF parser rules (§3.4): overwrite → drop trainer_log.jsonl; otherwise auto-resume or refuse."""
    out = args["output_dir"]
    if args["overwrite_output_dir"]:
        tl = os.path.join(out, "trainer_log.jsonl")
        if os.path.exists(tl):
            log("Previous trainer log in this folder will be deleted.", "WARNING", "llamafactory.train.callbacks", 149)
            os.remove(tl)
        return args["resume_from_checkpoint"]
    if args["resume_from_checkpoint"]:
        return args["resume_from_checkpoint"]
    if os.path.isdir(out) and os.listdir(out):
        last = outputs.last_checkpoint(out)
        finals = ("adapter_model.safetensors", "model.safetensors", "adapter_model.bin", "pytorch_model.bin")
        if last is None and any(os.path.isfile(os.path.join(out, n)) for n in finals):
            raise ValueError("Output directory already exists and is not empty. Please set `overwrite_output_dir`.")
        if last is not None:
            log(f"Resuming training from {last}.", name="llamafactory.hparams.parser", lineno=420)
            log("Change `output_dir` or use `overwrite_output_dir` to avoid.", name="llamafactory.hparams.parser", lineno=421)
            return last
    return None


def run(args):
    if args["do_predict"] and not args["do_train"]:
        from . import predict
        return predict.run(args)
    check_args(args)
    if args["do_predict"]:
        from . import predict
        predict.check_args(args)
    if args["template"] and args["template"] != "demo":
        note = "a known LLaMA-Factory template" if args["template"] in KNOWN_TEMPLATES else "an unknown template name"
        log(f"template: {args['template']} is {note}; the demo trainer maps it to its single `demo` chat template.", "WARNING",
            "llamafactory.data.template", 518)
    if args["plot_loss"]:
        log("plot_loss is accepted but no training_loss.png is drawn (the demo trainer ships without matplotlib).", "WARNING",
            "llamafactory.extras.ploting", 70)
    if args["bf16"] or args["fp16"]:
        log("bf16/fp16 requested: the demo model trains in fp32 (it is small enough).", "WARNING", "llamafactory.hparams.parser", 300)
    read_config(os.path.abspath(args["model_name_or_path"]))
    out = args["output_dir"] = os.path.abspath(args["output_dir"])
    resume = resolve_output_dir(args)
    device = console.start_run(out, _on_sigabrt)
    torch.manual_seed(args["seed"])
    random.seed(args["seed"])
    log(f"Process rank: 0, world size: 1, device: {device}, distributed training: False, compute dtype: torch.float32",
        name="llamafactory.hparams.parser", lineno=556)
    examples = load_datasets(args["dataset"], os.path.abspath(args["dataset_dir"]), args["max_samples"],
                             lambda m, lvl="INFO": log(m, lvl, "llamafactory.data.loader", 143))
    rows = tokenize(examples, args["cutoff_len"])
    rng = random.Random(args["seed"])
    eval_rows = []
    vs = args["val_size"]
    if vs:
        order = list(range(len(rows)))
        rng.shuffle(order)
        n_eval = int(vs) if vs >= 1 else max(1, int(round(len(rows) * vs)))
        eval_rows = [rows[i] for i in order[:n_eval]]
        rows = [rows[i] for i in order[n_eval:]]
    log(f"training example:\ninput_ids:\n{rows[0][0][:32]}...", name="llamafactory.data.loader", lineno=300)

    model, base_cfg = load_pretrained(os.path.abspath(args["model_name_or_path"]), "cpu")
    log(f"loading configuration file {os.path.join(os.path.abspath(args['model_name_or_path']), 'config.json')}",
        name="transformers.configuration_utils", lineno=765)
    if rows and max(len(r[0]) for r in rows) > base_cfg["max_position_embeddings"]:
        rows = [(a[:base_cfg["max_position_embeddings"]], b[:base_cfg["max_position_embeddings"]]) for a, b in rows]
    lora_info = None
    if args["finetuning_type"] == "lora":
        rank = args["lora_rank"]
        alpha = args["lora_alpha"] if args["lora_alpha"] is not None else rank * 2
        adapter = args["adapter_name_or_path"]
        targets = [t.strip() for t in str(args["lora_target"]).split(",") if t.strip()]
        if adapter:  # continue training an existing adapter (LF: create_new_adapter false)
            import json
            adapter = os.path.abspath(adapter.split(",")[-1])
            with open(os.path.join(adapter, "adapter_config.json"), encoding="utf-8") as f:
                ac = json.load(f)
            rank, alpha, targets = ac["r"], ac["lora_alpha"], ac["target_modules"]
        wrapped = add_lora(model, rank, alpha, args["lora_dropout"], targets)
        if adapter:
            load_lora_weights(model, safetensors.load_file(os.path.join(adapter, "adapter_model.safetensors")))
            log(f"Loaded adapter(s): {adapter}", name="llamafactory.model.adapter", lineno=180)
        lora_info = {"rank": rank, "alpha": alpha, "targets": wrapped}
        log("Fine-tuning method: LoRA", name="llamafactory.model.adapter", lineno=163)
    else:
        log("Fine-tuning method: Full", name="llamafactory.model.adapter", lineno=34)
    model.to(device).train()
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total_p = sum(p.numel() for p in model.parameters())
    log(f"trainable params: {trainable:,} || all params: {total_p:,} || trainable%: {100 * trainable / total_p:.4f}",
        name="llamafactory.model.loader", lineno=143)

    bs, ga = args["per_device_train_batch_size"], args["gradient_accumulation_steps"]
    batches_per_epoch = math.ceil(len(rows) / bs)
    steps_per_epoch = max(1, math.ceil(batches_per_epoch / ga))
    max_steps = args["max_steps"] if args["max_steps"] and args["max_steps"] > 0 else math.ceil(args["num_train_epochs"] * steps_per_epoch)
    num_epochs = math.ceil(max_steps / steps_per_epoch)
    warmup = args["warmup_steps"] if args["warmup_steps"] and args["warmup_steps"] >= 1 else \
        math.ceil((args["warmup_steps"] or args["warmup_ratio"] or 0) * max_steps)
    sched_kind = args["lr_scheduler_type"]
    if sched_kind not in ("linear", "cosine", "constant", "constant_with_warmup"):
        log(f"lr_scheduler_type {sched_kind} is not implemented by the demo trainer; using linear.", "WARNING")
        sched_kind = "linear"
    logging_steps = _abs_steps(args["logging_steps"], max_steps)
    save_steps = _abs_steps(args["save_steps"], max_steps)
    eval_steps = _abs_steps(args["eval_steps"] or args["logging_steps"], max_steps)

    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args["learning_rate"], betas=(args["adam_beta1"], args["adam_beta2"]),
                            eps=args["adam_epsilon"], weight_decay=args["weight_decay"])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(sched_kind, warmup, max_steps))
    state = {"global_step": 0, "epoch": 0.0, "max_steps": max_steps, "num_train_epochs": num_epochs, "log_history": [],
             "num_input_tokens_seen": 0, "total_flos": 0.0}
    if resume:
        state = _resume(resume, model, opt, sched, args, state)

    log("***** Running training *****", name="transformers.trainer", lineno=2434)
    for line in (f"Num examples = {len(rows):,}", f"Num Epochs = {num_epochs:,}",
                 f"Instantaneous batch size per device = {bs:,}", f"Total train batch size (w. parallel, distributed & accumulation) = {bs * ga:,}",
                 f"Gradient Accumulation steps = {ga}", f"Total optimization steps = {max_steps:,}",
                 f"Number of trainable parameters = {trainable:,}"):
        log("  " + line, name="transformers.trainer", lineno=2435)
    if resume:
        log(f"  Continuing training from global step {state['global_step']}", name="transformers.trainer", lineno=2457)

    delay = float(os.environ.get("DEMO_TRAINER_STEP_DELAY_MS", "0") or 0) / 1000
    t_start = time.time()
    start_step = state["global_step"]
    bar = console.Bar(max_steps, start_step)
    run_loss, run_n, run_gn, total_loss, total_n = 0.0, 0, 0.0, 0.0, 0
    step = start_step
    stopped = False
    while step < max_steps and not stopped:
        epoch = step // steps_per_epoch
        perm = torch.randperm(len(rows), generator=torch.Generator().manual_seed(args["seed"] + epoch)).tolist()
        batches = [perm[i:i + bs] for i in range(0, len(perm), bs)]
        for s_in_epoch in range(step - epoch * steps_per_epoch, steps_per_epoch):
            faults.maybe_fail(step + 1)
            micro = batches[s_in_epoch * ga:(s_in_epoch + 1) * ga]
            loss_sum = 0.0
            for m in micro:
                ids, labels = collate([rows[i] for i in m], device)
                loss, _, _ = loss_fn(model, ids, labels)
                (loss * len(m) / sum(len(x) for x in micro)).backward()
                loss_sum += loss.item() * len(m)
                if args["include_num_input_tokens_seen"]:
                    state["num_input_tokens_seen"] += ids.numel()
                state["total_flos"] += 6.0 * total_p * ids.numel()
            step_loss = loss_sum / max(1, sum(len(x) for x in micro))
            gn = float(torch.nn.utils.clip_grad_norm_(params, args["max_grad_norm"] or 1e9))
            opt.step()
            # transformers logs the rate this step used, read before the scheduler moves on (trainer.py:1900-1901 in 5.18).
            step_lr = sched.get_last_lr()[0]
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            if delay:
                time.sleep(delay)
            run_loss += step_loss
            run_n += 1
            run_gn = gn
            total_loss += step_loss
            total_n += 1
            state["global_step"] = step
            state["epoch"] = epoch + (s_in_epoch + 1) / steps_per_epoch
            bar.update()
            elapsed = time.time() - t_start
            if step % logging_steps == 0:  # HF logs on multiples only (no forced log at the last step)
                entry = {"loss": round(run_loss / run_n, 4), "grad_norm": run_gn,
                         "learning_rate": step_lr, "epoch": state["epoch"]}
                # LF's LogCallback runs before HF's progress printer: its trainer_log line (and LlamaBoard line) come first.
                logged = outputs.trainer_log_line(out, step, max_steps, entry, elapsed, state["num_input_tokens_seen"])
                console.webui_log_line(logged)
                console.print_metrics(entry)
                entry["step"] = step
                state["log_history"].append(entry)
                run_loss, run_n = 0.0, 0
            if eval_rows and args["eval_strategy"] == "steps" and step % eval_steps == 0:
                ev = evaluate(model, eval_rows, args, device, state, args["compute_accuracy"])
                console.print_metrics(ev)
                state["log_history"].append(dict(ev, step=step))
                outputs.trainer_log_line(out, step, max_steps, ev, time.time() - t_start, state["num_input_tokens_seen"])
            if _abort["flag"]:
                log("Received SIGABRT: stopping training at the next step end and saving.", "WARNING",
                    "llamafactory.train.callbacks", 212)
                state["stopped"] = stopped = True
            if args["save_strategy"] != "no" and (step % save_steps == 0 or step == max_steps):
                outputs.save_checkpoint(out, step, model, opt, sched.state_dict(), _rng_state(), state, args, lora_info,
                                        base_cfg, log)
            if step >= max_steps or stopped:
                break
        if eval_rows and args["eval_strategy"] == "epoch" and not stopped:
            ev = evaluate(model, eval_rows, args, device, state, args["compute_accuracy"])
            console.print_metrics(ev)
            state["log_history"].append(dict(ev, step=step))
            outputs.trainer_log_line(out, step, max_steps, ev, time.time() - t_start, state["num_input_tokens_seen"])
    bar.close()
    runtime = time.time() - t_start
    log("\n\nTraining completed. Do not forget to share your model on huggingface.co/models =)\n\n",
        name="transformers.trainer", lineno=2718)
    n_samples = (step - start_step) * bs * ga
    summary = {"train_runtime": round(runtime, 4), "train_samples_per_second": round(n_samples / max(runtime, 1e-6), 3),
               "train_steps_per_second": round((step - start_step) / max(runtime, 1e-6), 3),
               "train_loss": total_loss / max(1, total_n), "epoch": state["epoch"]}
    console.print_metrics(summary)
    state["log_history"].append({"epoch": state["epoch"], "step": step, "total_flos": state["total_flos"],
                                 "train_loss": summary["train_loss"], "train_runtime": summary["train_runtime"],
                                 "train_samples_per_second": summary["train_samples_per_second"],
                                 "train_steps_per_second": summary["train_steps_per_second"]})
    outputs.trainer_log_line(out, step, max_steps, {"epoch": state["epoch"]}, runtime, state["num_input_tokens_seen"])
    outputs.save_weights(model, out, args, lora_info, base_cfg)
    log(f"Saving model checkpoint to {out}", name="transformers.trainer", lineno=4093)
    outputs.write_json(os.path.join(out, "trainer_state.json"), outputs.state_dict_for(state, args))
    metrics = {"epoch": state["epoch"], "total_flos": state["total_flos"], "train_loss": summary["train_loss"],
               "train_runtime": summary["train_runtime"], "train_samples_per_second": summary["train_samples_per_second"],
               "train_steps_per_second": summary["train_steps_per_second"]}
    console.print_block("train", metrics)
    outputs.save_metrics(out, "train", metrics)
    if args["do_eval"] and eval_rows:
        # LF evaluates after save_state (train/sft/workflow.py:120-149) and its LogCallback closed its log at train end
        # (train/callbacks.py:246-247, 309-310): this evaluation reaches only the console block and eval_results.json.
        ev = evaluate(model, eval_rows, args, device, state, args["compute_accuracy"])
        console.print_block("eval", ev)
        outputs.save_metrics(out, "eval", ev)
    elif args["do_eval"]:
        log("do_eval needs val_size > 0 in the demo trainer; skipping evaluation.", "WARNING")
    if args["do_predict"]:  # LF: after training, predict on eval_dataset (predict_loss: no generation while training)
        from . import predict
        predict.predict(model, base_cfg, device, args, out, predict_only=False)
    return 0


def _abs_steps(v, max_steps):
    # HF: a float < 1 is a ratio of total steps
    if isinstance(v, float) and v < 1:
        return max(1, math.ceil(v * max_steps))
    return max(1, int(v))


def _rng_state():
    st = {"python": random.getstate(), "cpu": torch.random.get_rng_state()}
    if torch.cuda.is_available():
        st["cuda"] = torch.cuda.random.get_rng_state_all()
    return st


def _resume(path, model, opt, sched, args, state):
    import json
    path = os.path.abspath(path)
    if not os.path.isdir(path):
        raise ValueError(f"Can't find a valid checkpoint at {path}")
    wfile = "adapter_model.safetensors" if args["finetuning_type"] == "lora" else "model.safetensors"
    if not os.path.isfile(os.path.join(path, wfile)) or not os.path.isfile(os.path.join(path, "trainer_state.json")):
        raise ValueError(f"Can't find a valid checkpoint at {path} (no {wfile}: was it written with another finetuning_type?)")
    sd = safetensors.load_file(os.path.join(path, wfile))
    if args["finetuning_type"] == "lora":
        load_lora_weights(model, sd)
    else:
        model.load_state_dict({k: v for k, v in sd.items()}, strict=False)
    if os.path.exists(os.path.join(path, "optimizer.pt")):
        opt.load_state_dict(torch.load(os.path.join(path, "optimizer.pt"), map_location="cpu"))
        sched.load_state_dict(torch.load(os.path.join(path, "scheduler.pt")))
    with open(os.path.join(path, "trainer_state.json"), encoding="utf-8") as f:
        ts = json.load(f)
    state.update(global_step=ts["global_step"], epoch=ts["epoch"], log_history=ts["log_history"],
                 num_input_tokens_seen=ts.get("num_input_tokens_seen", 0), total_flos=ts.get("total_flos", 0.0))
    return state
