"""Greedy key-phrase check of a trained adapter (or the bare base) against a spot-check.jsonl, without the API server."""
# /usr/bin/python3 resources/trainers/demo/tools/spot_check.py <base-model> [adapter_dir|-] [spot-check.jsonl]
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from demo.generate import load_for_inference, stream  # noqa: E402


def main():
    base = sys.argv[1]
    adapter = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] != "-" else None
    spot = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "data", "spot-check.jsonl")
    model, cfg, device = load_for_inference({"model_name_or_path": base, "adapter_name_or_path": adapter}, lambda m: None)
    hits = total = 0
    with open(spot, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            text = "".join(p for p, _ in stream(model, cfg, device, "", [(c["prompt"], None)], 160, do_sample=False))
            ok = c["expected"] in text
            hits += ok
            total += 1
            print(f"{'OK ' if ok else 'BAD'} {c['prompt']} -> {text!r}")
    print(f"accuracy {hits}/{total} = {hits / total:.2%}")


if __name__ == "__main__":
    main()
