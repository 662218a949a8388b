"""Pretrains the shipped base model (base-model/) on generic text plus the example FAQs written as plain documents."""
# Why: LoRA needs a base that already "knows" bytes, words and the shop/telecom facts as plain text; the SFT
# run then teaches the chat format (<|user|> ... <|assistant|>) and how to answer from that knowledge, the
# same split of work as a real pretrained LLM + LoRA SFT. Takes about 10 minutes on 2 free CPU cores:
#   /usr/bin/python3 resources/trainers/demo/pretrain.py [--steps N] [--out DIR]
import argparse
import json
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from demo import safetensors  # noqa: E402
from demo.data import encode_prompt, encode_text  # noqa: E402
from demo.model import BOS, EOS, DemoModel, default_config  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "data")

GENERIC = """The quick brown fox jumps over the lazy dog. A customer service agent answers questions politely and briefly.
Thank you for contacting us. We are happy to help. Please let us know if there is anything else we can do.
Orders, payments, refunds, deliveries, invoices, plans, bills and accounts are common topics for support teams.
An online shop sells clothes, shoes, phones and books. A telecom operator sells mobile plans with data and minutes.
Business days are Monday to Friday. A refund returns money to the original payment method.
你好，欢迎咨询。我们很乐意为您服务。如果还有其他问题，请随时联系我们。
网上商城出售服装、鞋子、手机和图书。电信运营商提供包含流量和通话的手机套餐。
退款会原路返回到您的付款账户。工作日是周一到周五。感谢您的耐心等待。
"""
SMALLTALK = [("Hello", "Hello! How can I help you today?"), ("Thank you", "You're welcome! Anything else I can help with?"),
             ("Who are you?", "I am a customer service assistant."), ("Goodbye", "Goodbye, have a nice day!"),
             ("你好", "你好！请问有什么可以帮您？"), ("谢谢", "不客气，还有其他问题吗？"), ("你是谁？", "我是客服助手。"),
             ("What is 2 plus 2?", "2 plus 2 is 4."), ("Tell me a joke", "Why did the parcel go to school? To get a little smarter.")]


def corpus():
    docs = [GENERIC]
    for fn, kind in (("support_alpaca.json", "alpaca"), ("billing_sharegpt.json", "sharegpt")):
        with open(os.path.join(EXAMPLES, fn), encoding="utf-8") as f:
            for r in json.load(f):
                q, a = (r["instruction"], r["output"]) if kind == "alpaca" else (r["conversations"][0]["value"], r["conversations"][1]["value"])
                docs.append(f"FAQ\nQ: {q}\nA: {a}\n")  # plain-document form, NOT the chat template
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=500)
    ap.add_argument("--out", default=os.path.join(HERE, "base-model"))
    ap.add_argument("--seq", type=int, default=192)
    ap.add_argument("--batch", type=int, default=24)
    args = ap.parse_args()
    torch.manual_seed(0)
    random.seed(0)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    cfg = default_config()
    model = DemoModel(cfg)
    docs = corpus()
    chats = [encode_prompt("", [(u, a)])[0] for u, a in SMALLTALK]
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01, betas=(0.9, 0.98))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 50) * max(0.05, 1 - s / args.steps))
    t0 = time.time()
    for step in range(args.steps):
        rows = []
        for _ in range(args.batch):
            # a random stream of documents (and a few small-talk chats) packed into one sequence
            ids = []
            while len(ids) < args.seq + 1:
                if random.random() < 0.1:
                    ids += random.choice(chats)
                else:
                    ids += [BOS] + encode_text(random.choice(docs)) + [EOS]
            start = random.randint(0, min(8, len(ids) - args.seq - 1))
            rows.append(ids[start:start + args.seq + 1])
        x = torch.tensor(rows)
        logits = model(x[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), x[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if step % 50 == 0 or step == args.steps - 1:
            print(f"step {step} loss {loss.item():.4f} {time.time() - t0:.0f}s", flush=True)
    os.makedirs(args.out, exist_ok=True)
    sd = {k: v.half() for k, v in model.state_dict().items()}  # fp16 on disk keeps the base model ~2.5 MB
    safetensors.save_file(sd, os.path.join(args.out, "model.safetensors"))
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
