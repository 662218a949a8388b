"""Writes LLaMA-Factory/HF output files: trainer_log.jsonl lines, trainer_state.json, *_results.json, weights, checkpoints."""
import json
import os
import shutil

import torch

from . import safetensors
from .console import elapsed_str
from .model import base_state_dict, lora_state_dict


def trainer_log_line(output_dir, cur, total, last, elapsed, tokens):
    """One LogCallback line: fields in LF's order, None values dropped (LLAMAFACTORY.md §3.1)."""
    avg = elapsed / cur if cur else 0
    logs = {"current_steps": cur, "total_steps": total, "loss": last.get("loss"), "eval_loss": last.get("eval_loss"),
            "lr": last.get("learning_rate"), "epoch": last.get("epoch"),
            "percentage": round(cur / total * 100, 2) if total != 0 else 100,
            "elapsed_time": elapsed_str(elapsed), "remaining_time": elapsed_str((total - cur) * avg)}
    logs = {k: v for k, v in logs.items() if v is not None}
    if tokens:
        logs["throughput"] = round(tokens / max(elapsed, 1e-6), 2)
        logs["total_tokens"] = tokens
    with open(os.path.join(output_dir, "trainer_log.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(logs) + "\n")
    return logs


def write_json(path, obj, indent=2, sort_keys=False):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=indent, sort_keys=sort_keys)
        f.write("\n")


def save_metrics(output_dir, split, metrics):
    """HF Trainer.save_metrics: {split}_results.json (indent 4, sorted) merged into all_results.json."""
    write_json(os.path.join(output_dir, f"{split}_results.json"), metrics, indent=4, sort_keys=True)
    allp = os.path.join(output_dir, "all_results.json")
    allr = {}
    if os.path.exists(allp):
        with open(allp, encoding="utf-8") as f:
            allr = json.load(f)
    allr.update(metrics)
    write_json(allp, allr, indent=4, sort_keys=True)


def state_dict_for(state, args):
    return {"best_global_step": None, "best_metric": None, "best_model_checkpoint": None, "epoch": state["epoch"],
            "eval_steps": args["eval_steps"] or args["logging_steps"], "global_step": state["global_step"],
            "is_hyper_param_search": False, "is_local_process_zero": True, "is_world_process_zero": True,
            "log_history": state["log_history"], "logging_steps": args["logging_steps"], "max_steps": state["max_steps"],
            "num_input_tokens_seen": state["num_input_tokens_seen"], "num_train_epochs": state["num_train_epochs"],
            "save_steps": args["save_steps"],
            "stateful_callbacks": {"TrainerControl": {"args": {"should_epoch_stop": False, "should_evaluate": False,
                                                               "should_log": False, "should_save": True,
                                                               "should_training_stop": state.get("stopped", False)},
                                                      "attributes": {}}},
            "total_flos": state["total_flos"], "train_batch_size": args["per_device_train_batch_size"],
            "trial_name": None, "trial_params": None}


def save_weights(model, d, args, lora_info, base_cfg):
    os.makedirs(d, exist_ok=True)
    if args["finetuning_type"] == "lora":
        safetensors.save_file(lora_state_dict(model), os.path.join(d, "adapter_model.safetensors"))
        write_json(os.path.join(d, "adapter_config.json"), {
            "alpha_pattern": {}, "base_model_name_or_path": args["model_name_or_path"], "bias": "none",
            "fan_in_fan_out": False, "inference_mode": True, "init_lora_weights": True, "lora_alpha": lora_info["alpha"],
            "lora_dropout": args["lora_dropout"], "modules_to_save": None, "peft_type": "LORA", "r": lora_info["rank"],
            "rank_pattern": {}, "revision": None, "target_modules": lora_info["targets"], "task_type": "CAUSAL_LM",
            "use_dora": False, "use_rslora": False})
    else:
        safetensors.save_file(base_state_dict(model), os.path.join(d, "model.safetensors"))
        write_json(os.path.join(d, "config.json"), dict(base_cfg, torch_dtype="float32"))
        write_json(os.path.join(d, "generation_config.json"), {"bos_token_id": base_cfg["bos_token_id"],
                                                               "eos_token_id": base_cfg["eos_token_id"], "do_sample": True})
    write_json(os.path.join(d, "tokenizer_config.json"), {"tokenizer_class": "DemoByteTokenizer", "model_max_length": base_cfg["max_position_embeddings"]})
    torch.save({k: v for k, v in args.items()}, os.path.join(d, "training_args.bin"))
    model_card(d, args)


def model_card(d, args):
    base = args["model_name_or_path"]
    tags = ["llama-factory", args["finetuning_type"], "generated_from_trainer", "demo-trainer"]
    with open(os.path.join(d, "README.md"), "w", encoding="utf-8") as f:
        f.write("---\nlibrary_name: peft\n" if args["finetuning_type"] == "lora" else "---\nlibrary_name: transformers\n")
        f.write(f"base_model: {base}\ntags:\n" + "".join(f"- {t}\n" for t in tags) + "---\n\n")
        f.write(f"# {os.path.basename(os.path.normpath(args['output_dir']))}\n\n")
        f.write(f"This model is a fine-tuned version of [{base}]({base}) on the {args['dataset']} dataset, "
                f"trained by Trainyard's bundled demo trainer (LLaMA-Factory file contract, not LLaMA-Factory itself).\n\n")
        f.write("## Training hyperparameters\n\n")
        for k in ("learning_rate", "per_device_train_batch_size", "gradient_accumulation_steps", "seed", "lr_scheduler_type",
                  "warmup_ratio", "num_train_epochs", "max_steps", "lora_rank", "lora_alpha", "lora_target"):
            f.write(f"- {k}: {args[k]}\n")


def save_checkpoint(output_dir, step, model, opt, sched_state, rng, state, args, lora_info, base_cfg, log):
    # written under tmp-checkpoint-N then renamed (as newer HF does) so a kill -9 never leaves a half checkpoint
    d = os.path.join(output_dir, f"checkpoint-{step}")
    final_d, d = d, os.path.join(output_dir, f"tmp-checkpoint-{step}")
    shutil.rmtree(d, ignore_errors=True)
    save_weights(model, d, args, lora_info, base_cfg)
    if not args["save_only_model"]:
        torch.save(opt.state_dict(), os.path.join(d, "optimizer.pt"))
        torch.save(sched_state, os.path.join(d, "scheduler.pt"))
        torch.save(rng, os.path.join(d, "rng_state.pth"))
    write_json(os.path.join(d, "trainer_state.json"), state_dict_for(state, args))
    shutil.rmtree(final_d, ignore_errors=True)
    os.rename(d, final_d)
    d = final_d
    log(f"Saving model checkpoint to {d}", name="transformers.trainer", lineno=4093)
    limit = args["save_total_limit"]
    if limit:
        cps = sorted(list_checkpoints(output_dir), key=lambda p: int(p.rsplit("-", 1)[1]))
        for old in cps[:max(0, len(cps) - limit)]:
            log(f"Deleting older checkpoint [{old}] due to args.save_total_limit", name="transformers.trainer", lineno=4213)
            shutil.rmtree(old, ignore_errors=True)
    return d


def list_checkpoints(output_dir):
    if not os.path.isdir(output_dir):
        return []
    return [os.path.join(output_dir, n) for n in os.listdir(output_dir)
            if n.startswith("checkpoint-") and n[11:].isdigit() and os.path.isdir(os.path.join(output_dir, n))]


def last_checkpoint(output_dir):
    cps = list_checkpoints(output_dir)
    return max(cps, key=lambda p: int(p.rsplit("-", 1)[1])) if cps else None
