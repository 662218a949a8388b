"""Stand-in for the `rouge_chinese` package (not in this machine's offline wheel store; LLaMA-Factory's predict_with_generate
requires it, hparams/parser.py:303-306 at ff6d4d1). Same entry point LLaMA-Factory calls (train/sft/metric.py:123-124):
Rouge().get_scores(hyp, ref) on space-separated tokens -> [{"rouge-1"|"rouge-2"|"rouge-l": {"f", "p", "r"}}].
ROUGE-N is clipped n-gram overlap, ROUGE-L the longest common subsequence; each as precision, recall and F1.
"""
from collections import Counter


def _prf(hit, n_hyp, n_ref):
    p = hit / n_hyp if n_hyp else 0.0
    r = hit / n_ref if n_ref else 0.0
    return {"f": 2 * p * r / (p + r) if p + r else 0.0, "p": p, "r": r}


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _lcs(a, b):
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], prev + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


class Rouge:
    def get_scores(self, hyps, refs, avg=False):
        if isinstance(hyps, str):
            hyps, refs = [hyps], [refs]
        out = []
        for hyp, ref in zip(hyps, refs):
            h, r = hyp.split(), ref.split()
            if not h or not r:
                raise ValueError("Hypothesis is empty.")
            scores = {}
            for n in (1, 2):
                hn, rn = _ngrams(h, n), _ngrams(r, n)
                scores[f"rouge-{n}"] = _prf(sum((hn & rn).values()), sum(hn.values()), sum(rn.values()))
            scores["rouge-l"] = _prf(_lcs(h, r), len(h), len(r))
            out.append(scores)
        return out
