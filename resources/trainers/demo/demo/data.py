"""Datasets: dataset_info.json lookup, alpaca/sharegpt parsing (LLAMAFACTORY.md §6) and the demo chat template."""
import csv
import json
import os

from .model import ASSISTANT, BOS, EOS, SYSTEM, USER

# Real template names are accepted and mapped onto the demo template (the byte model has one prompt format).
KNOWN_TEMPLATES = {"demo", "default", "empty", "alpaca", "vicuna", "qwen", "qwen2_vl", "qwen3", "qwen3_nothink", "llama2",
                   "llama3", "llama4", "mistral", "chatglm3", "glm4", "gemma", "gemma3", "phi", "phi4", "deepseek",
                   "deepseek3", "deepseekr1", "yi", "baichuan2", "intern2", "kimi_vl", "cpm3", "ministral"}


def encode_text(s):
    return list(s.encode("utf-8"))


def decode(ids):
    return bytes(i for i in ids if i < 256).decode("utf-8", errors="ignore")


def encode_prompt(system, turns):
    """turns: [(user, assistant_or_None)]; returns (ids, labels) with loss only on assistant replies."""
    ids, labels = [BOS], [-100]
    if system:
        s = [SYSTEM] + encode_text(system) + [10]
        ids += s
        labels += [-100] * len(s)
    for user, assistant in turns:
        p = [USER] + encode_text(user) + [10, ASSISTANT]
        ids += p
        labels += [-100] * len(p)
        if assistant is not None:
            a = encode_text(assistant) + [EOS]
            ids += a
            labels += a
    return ids, labels


def _read_records(path):
    ext = os.path.splitext(path)[1].lower()
    with open(path, encoding="utf-8") as f:
        if ext == ".jsonl":
            return [json.loads(line) for line in f if line.strip()]
        if ext == ".json":
            data = json.load(f)
            return data if isinstance(data, list) else [data]
        if ext == ".csv":
            return list(csv.DictReader(f))
    raise ValueError(f"File type {ext} of {path} is not supported by the demo trainer (json, jsonl, csv).")


def _alpaca(rec, cols):
    prompt = rec.get(cols.get("prompt", "instruction")) or ""
    query = rec.get(cols.get("query", "input")) or ""
    response = rec.get(cols.get("response", "output"))
    if response is None:
        return None
    turns = [tuple(h) for h in (rec.get(cols.get("history", "history")) or [])]
    turns.append(("\n".join(x for x in (prompt, query) if x), response))
    return rec.get(cols.get("system", "system")) or "", turns


def _sharegpt(rec, cols, tags):
    msgs = rec.get(cols.get("messages", "conversations")) or []
    role, content = tags.get("role_tag", "from"), tags.get("content_tag", "value")
    user_tag, asst_tag = tags.get("user_tag", "human"), tags.get("assistant_tag", "gpt")
    sys_tag = tags.get("system_tag", "system")
    system = rec.get(cols.get("system", "system")) or ""
    if msgs and msgs[0].get(role) == sys_tag:
        system, msgs = msgs[0].get(content, ""), msgs[1:]
    if len(msgs) < 2 or len(msgs) % 2:
        return None  # LF drops malformed conversations with a warning
    turns = []
    for i in range(0, len(msgs), 2):
        if msgs[i].get(role) not in (user_tag, tags.get("observation_tag", "observation")) or \
                msgs[i + 1].get(role) not in (asst_tag, tags.get("function_tag", "function_call")):
            return None
        turns.append((msgs[i].get(content, ""), msgs[i + 1].get(content, "")))
    return system, turns


def load_datasets(names, dataset_dir, max_samples, log):
    """Returns a list of (system, turns) examples for the comma-separated dataset names."""
    info_path = os.path.join(dataset_dir, "dataset_info.json")
    if not os.path.isfile(info_path):
        raise ValueError(f"Cannot open {info_path} due to [Errno 2] No such file or directory.")
    with open(info_path, encoding="utf-8") as f:
        info = json.load(f)
    out = []
    for name in [n.strip() for n in names.split(",") if n.strip()]:
        if name not in info:
            raise ValueError(f"Undefined dataset {name} in dataset_info.json.")
        attr = info[name]
        if "file_name" not in attr:
            raise ValueError(f"Dataset {name} is not a local file; the demo trainer only reads file_name datasets.")
        path = os.path.join(dataset_dir, attr["file_name"])
        if not os.path.exists(path):
            raise ValueError(f"File {path} not found.")
        files = [os.path.join(path, p) for p in sorted(os.listdir(path))] if os.path.isdir(path) else [path]
        recs = [r for p in files for r in _read_records(p)]
        if max_samples:
            recs = recs[:int(max_samples)]
        fmt = attr.get("formatting", "alpaca")
        cols, tags = attr.get("columns", {}), attr.get("tags", {})
        if fmt not in ("alpaca", "sharegpt", "openai"):
            raise ValueError(f"Unknown formatting {fmt} for dataset {name}.")
        parsed = [(_alpaca(r, cols) if fmt == "alpaca" else _sharegpt(r, cols, tags)) for r in recs]
        good = [p for p in parsed if p]
        if len(good) < len(parsed):
            log(f"Dropped {len(parsed) - len(good)} invalid examples from {name}.", "WARNING")
        log(f"Loading dataset {attr['file_name']}...")
        out.extend(good)
    if not out:
        raise ValueError("Cannot find valid samples, check `data/README.md` for the data format.")
    return out


def tokenize(examples, cutoff_len):
    rows = []
    for system, turns in examples:
        ids, labels = encode_prompt(system, turns)
        rows.append((ids[:cutoff_len], labels[:cutoff_len]))
    return rows
