"""Config reading like LF's hparams parser: file + key=value overrides, known-key check from keys.json, defaults, types."""
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS_PATHS = [os.path.join(HERE, "..", "..", "..", "llamafactory", "keys.json"), os.path.join(HERE, "keys.json")]

# What the demo really implements; any other known key is accepted and named once in a warning.
IMPLEMENTED = set("""model_name_or_path adapter_name_or_path stage do_train do_eval finetuning_type lora_rank lora_alpha
lora_dropout lora_target dataset dataset_dir template cutoff_len max_samples per_device_train_batch_size
gradient_accumulation_steps learning_rate num_train_epochs max_steps lr_scheduler_type warmup_ratio warmup_steps
logging_steps save_steps save_total_limit val_size eval_strategy eval_steps per_device_eval_batch_size output_dir
overwrite_output_dir resume_from_checkpoint seed include_num_input_tokens_seen plot_loss bf16 fp16 report_to
compute_accuracy max_new_tokens temperature top_p top_k do_sample max_grad_norm weight_decay adam_beta1 adam_beta2
adam_epsilon save_strategy logging_strategy trust_remote_code preprocessing_num_workers overwrite_cache
dataloader_num_workers ddp_timeout save_only_model infer_backend repetition_penalty do_predict predict_with_generate
eval_dataset""".split())


def load_keys():
    for p in KEYS_PATHS:
        if os.path.isfile(p):
            with open(p, encoding="utf-8") as f:
                return json.load(f)
    raise FileNotFoundError("keys.json not found next to the demo trainer (resources/llamafactory/keys.json).")


def _scalar(s):
    # OmegaConf's dotlist typing, approximated with YAML scalar rules (1.0e-4 → float, true → bool, null → None)
    try:
        return yaml.safe_load(s)
    except yaml.YAMLError:
        return s


def read_args(argv):
    if not argv or not argv[0].endswith((".yaml", ".yml", ".json")):
        raise ValueError("The demo trainer needs a config file ending in .yaml, .yml or .json as the first argument "
                         "(HF-style --flags are not supported).")
    path = argv[0]
    if not os.path.isfile(path):
        raise FileNotFoundError(f"Config file not found: {os.path.abspath(path)}")
    with open(path, encoding="utf-8") as f:
        data = json.load(f) if path.endswith(".json") else yaml.safe_load(f)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValueError(f"Config {path} must be a mapping of key: value.")
    for tok in argv[1:]:
        if "=" not in tok:
            raise ValueError(f"Override {tok!r} must be key=value (after a config file only key=value works).")
        k, v = tok.split("=", 1)
        data[k.strip().lstrip("-")] = _scalar(v)
    return data


def _coerce(name, spec, v):
    t = spec["type"]
    if v is None:
        return None
    try:
        if t == "bool":
            if isinstance(v, str):
                if v.lower() in ("true", "yes", "y", "t", "1"):
                    return True
                if v.lower() in ("false", "no", "n", "f", "0"):
                    return False
                raise ValueError
            return bool(v)
        if t == "int":
            if isinstance(v, bool) or (isinstance(v, float) and v != int(v)):
                raise ValueError
            return int(v)
        if t == "float":
            if isinstance(v, bool):
                raise ValueError
            return float(v)
        if t == "int_or_float":
            f = float(v)
            return int(f) if f == int(f) and not (isinstance(v, float) and f < 1) else f
        if t == "choice":
            if str(v) not in spec["choices"]:
                raise ValueError(f"Invalid value {v!r} for {name}: expected one of {', '.join(spec['choices'])}.")
            return str(v)
        if t in ("str", "str_or_null"):
            return v if isinstance(v, (list, dict)) and name == "report_to" else str(v)
    except (TypeError, ValueError) as e:
        if str(e).startswith("Invalid value"):
            raise
        raise ValueError(f"Invalid value {v!r} for {name}: expected {t}.") from None
    return v


def parse(argv, log):
    """Returns the full args dict (defaults filled in) or raises ValueError like HfArgumentParser."""
    raw = read_args(argv)
    keys = load_keys()
    known = keys["keys"]
    unknown = [k for k in raw if k not in known]
    if unknown and os.environ.get("ALLOW_EXTRA_ARGS", "0").lower() not in ("1", "true", "y"):
        # A YAML config reaches HfArgumentParser.parse_dict, which words it so (transformers hf_argparser.py:383).
        raise ValueError(f"Some keys are not used by the HfArgumentParser: {sorted(unknown)}")
    args = {k: spec.get("default") for k, spec in known.items()}
    for k, v in raw.items():
        if k in known:
            args[k] = _coerce(k, known[k], v)
    ignored = sorted(k for k in raw if k in known and k not in IMPLEMENTED)
    if ignored:
        log(f"The demo trainer accepts but does not implement: {', '.join(ignored)}.", "WARNING", "llamafactory.hparams.parser", 1)
    return args, raw


def fail(msg):
    sys.stderr.write(msg.rstrip() + "\n")
    sys.stderr.flush()
    sys.exit(1)
