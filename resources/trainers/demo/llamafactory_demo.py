#!/usr/bin/env python3
"""Entry point of Trainyard's demo trainer: the `llamafactory-cli` command surface (train, api, export, version, help)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

USAGE = """----------------------------------------------------------------------
| Usage:                                                             |
|   llamafactory_demo.py api -h: launch an OpenAI-style API server   |
|   llamafactory_demo.py export -h: merge LoRA adapters and export   |
|   llamafactory_demo.py train -h: train models                      |
|   llamafactory_demo.py version: show version info                  |
|   llamafactory_demo.py help: show this message                     |
| (Trainyard demo trainer: chat/eval/webui/webchat/env are not       |
|  implemented)                                                      |
----------------------------------------------------------------------"""


def main():
    from demo import __version__, console
    console.setup()
    argv = sys.argv[1:]
    command = argv.pop(0) if argv else "help"
    if command == "version":
        lines = [f"Welcome to LLaMA Factory, version {__version__}", "(Trainyard demo trainer: tiny byte-level model)"]
        w = max(len(x) for x in lines) + 2
        print("-" * (w + 2) + "\n" + "\n".join(f"| {x:<{w - 1}}|" for x in lines) + "\n" + "-" * (w + 2))
        return 0
    if command == "help":
        print(USAGE)
        return 0
    if command not in ("train", "api", "export"):
        print(f"Unknown command: {command}.\n{USAGE}")
        return 1
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    # Threads: Trainyard often runs several trainers at once on a small box; more threads than free cores makes
    # every job slower (BLAS threads spin), so go single-threaded when the machine is already busy.
    ncpu = os.cpu_count() or 1
    threads = int(os.environ.get("DEMO_TRAINER_THREADS", "0") or 0)
    if not threads:
        busy = hasattr(os, "getloadavg") and os.getloadavg()[0] >= ncpu - 0.5
        threads = 1 if busy else min(ncpu, 4)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    # imported late so `version`/`help` work without torch installed
    try:
        import torch
    except ImportError:
        sys.stderr.write("ImportError: the demo trainer needs PyTorch: sudo apt-get install -y python3-torch libopenblas0-pthread\n")
        return 1
    # small models are faster on few threads; leave one core for the UI when there are several
    torch.set_num_threads(threads)
    from demo import config
    from demo.console import log
    try:
        args, _ = config.parse(argv, log)
        if command == "train":
            from demo import train
            return train.run(args)
        if command == "export":
            from demo import export
            return export.run(args)
        from demo import api
        return api.run(args)
    except (ValueError, FileNotFoundError, KeyError) as e:
        console.bar_clear()
        sys.stderr.write(f"\n{type(e).__name__}: {e}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
