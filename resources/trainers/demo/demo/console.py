"""Console output: LF-style logger lines, HF-style metric dicts, a tqdm-like bar, running_log.txt and the stdout echo copy."""
import datetime
import os
import sys
import time


class _Tee:
    """Wraps stdout so every byte printed is also appended to DEMO_TRAINER_ECHO_COPY (for byte-exact log comparisons)."""

    def __init__(self, stream, path):
        self.stream, self.copy = stream, open(path, "a", encoding="utf-8", newline="")

    def write(self, s):
        self.stream.write(s)
        self.copy.write(s)
        self.copy.flush()
        return len(s)

    def flush(self):
        self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


_running_log = None


def setup():
    # line buffering: a supervisor reading the pipe sees every line as soon as it is printed
    for s in (sys.stdout, sys.stderr):
        try:
            s.reconfigure(line_buffering=True, encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass
    if os.environ.get("DEMO_TRAINER_ECHO_COPY"):
        sys.stdout = _Tee(sys.stdout, os.environ["DEMO_TRAINER_ECHO_COPY"])


def open_running_log(workdir):
    """LLAMABOARD_ENABLED: LF deletes running_log.txt at start then appends every logger record to it."""
    global _running_log
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, "running_log.txt")
    if os.path.exists(path):
        os.remove(path)
    _running_log = open(path, "a", encoding="utf-8")


def log(msg, level="INFO", name="llamafactory.train.tuner", lineno=0):
    ts = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    # LF's console format: [LEVEL|time] logger.name:line >> message (stderr, like Python logging)
    sys.stderr.write(f"[{level}|{ts}] {name}:{lineno} >> {msg}\n")
    sys.stderr.flush()
    if _running_log:
        _running_log.write(f"[{level}|{ts}] {name.rsplit('.', 1)[-1]}.py:{lineno} >> {msg}\n")
        _running_log.flush()


def webui_log_line(logs):
    """LLAMABOARD_ENABLED: LF's LogCallback also logs each loss line in its own short form (train/callbacks.py:301-307)."""
    if not _running_log or not all(k in logs for k in ("loss", "lr", "epoch")):
        return
    line = f"'loss': {logs['loss']:.4f}, 'learning_rate': {logs['lr']:2.4e}, 'epoch': {logs['epoch']:.2f}"
    for key in ("reward", "accuracy", "throughput"):
        if logs.get(key):
            line += f", '{key}': {logs[key]:.2f}"
    log("{" + line + "}", name="llamafactory.train.callbacks", lineno=144)


def fmt_num(v):
    if isinstance(v, float):
        return repr(v) if v == v else "nan"
    return repr(v)


def print_metrics(d):
    """HF Trainer prints each log event as a Python dict on stdout (transformers 4.x numeric style)."""
    bar_clear()
    sys.stdout.write("{" + ", ".join(f"'{k}': {fmt_num(v)}" for k, v in d.items()) + "}\n")
    sys.stdout.flush()
    if _running_log:
        _running_log.write("{" + ", ".join(f"'{k}': {fmt_num(v)}" for k, v in d.items()) + "}\n")
        _running_log.flush()


def fmt_td(sec):
    """tqdm's MM:SS (or H:MM:SS) clock."""
    sec = int(sec)
    h, m, s = sec // 3600, sec // 60 % 60, sec % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def elapsed_str(sec):
    """LF trainer_log format: str(timedelta(seconds=int(...))) e.g. 0:12:34 or '1 day, 2:03:04'."""
    return str(datetime.timedelta(seconds=int(sec)))


class Bar:
    """A tqdm look-alike on stderr: ' 25%|██▌       | 37/150 [00:08<00:24,  4.60it/s]' redrawn with \\r."""

    def __init__(self, total, initial=0):
        self.total, self.n, self.initial = total, initial, initial
        self.t0 = time.time()
        self.last = 0.0
        self.width = 0
        global _bar
        _bar = self
        self.draw(force=True)

    def draw(self, force=False):
        now = time.time()
        if not force and now - self.last < 0.1 and self.n < self.total:
            return
        self.last = now
        el = now - self.t0
        done = self.n - self.initial
        rate = done / el if el > 0 and done else None
        frac = self.n / self.total if self.total else 1.0
        full = int(frac * 10)
        part = " ▏▎▍▌▋▊▉"[int((frac * 10 - full) * 8)] if full < 10 else ""
        bar = ("█" * full + part).ljust(10)
        remaining = fmt_td((self.total - self.n) / rate) if rate else "?"
        rs = (f"{rate:5.2f}it/s" if rate >= 1 else f"{1 / rate:5.2f}s/it") if rate else "?it/s"
        s = f"{frac * 100:3.0f}%|{bar}| {self.n}/{self.total} [{fmt_td(el)}<{remaining}, {rs}]"
        self.width = len(s)
        sys.stderr.write("\r" + s)
        sys.stderr.flush()

    def update(self, n=1):
        self.n += n
        self.draw()

    def close(self):
        self.draw(force=True)
        sys.stderr.write("\n")
        sys.stderr.flush()
        global _bar
        _bar = None


_bar = None


def bar_clear():
    # tqdm.write: blank the bar line before printing a message so lines do not interleave
    if _bar is not None:
        sys.stderr.write("\r" + " " * _bar.width + "\r")
        sys.stderr.flush()


def start_run(out, on_sigabrt):
    """What train and predict both do before their work, like LLaMA-Factory's LogCallback: running_log.txt and the
    SIGABRT graceful-stop handler when LLAMABOARD_ENABLED, then the output folder. Returns the torch device."""
    import signal

    import torch

    if os.environ.get("LLAMABOARD_ENABLED", "0").lower() in ("1", "true", "y"):
        open_running_log(os.environ.get("LLAMABOARD_WORKDIR") or out)
        signal.signal(signal.SIGABRT, on_sigabrt)
    os.makedirs(out, exist_ok=True)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def print_block(split, metrics):
    """HF Trainer.log_metrics: "***** train metrics *****" then aligned "  key = value" lines on stdout."""
    bar_clear()
    print(f"***** {split} metrics *****")
    w = max(len(k) for k in metrics)
    for k in sorted(metrics):
        v = metrics[k]
        print(f"  {k:<{w}} = {round(v, 4) if isinstance(v, float) else v}")
    sys.stdout.flush()
