"""BLEU-4 and ROUGE-1/2/L like LLaMA-Factory's ComputeSimilarity (train/sft/metric.py), in plain Python.

LF per example: BLEU = nltk sentence_bleu([list(label)], list(pred), smoothing_function=SmoothingFunction().method3)
(characters, 4-gram uniform weights); ROUGE = rouge_chinese.Rouge().get_scores on jieba-cut words joined by spaces,
F-scores. Each score is ×100 and rounded to 4 d.p. per example; the result is the plain mean over examples.

Differences from LF (no jieba, nltk or rouge_chinese here): CJK text is split into single characters instead of jieba
words; other text into runs of ASCII letters/digits plus single other characters (what jieba does outside Chinese);
sentences for ROUGE-L are split at . 。 ! ！ ? ？ (the punctuation itself is not counted, as with rouge's split).
"""
import math
import re
from collections import Counter

_TOKEN = re.compile(r"[A-Za-z0-9]+|\S")
_SENT_END = set(".。!！?？")


def bleu4(pred, label):
    """nltk sentence_bleu on characters, weights (0.25,)*4, smoothing method3 (NIST geometric sequence)."""
    hyp, ref = list(pred), list(label)
    nums, dens = [], []
    for n in range(1, 5):
        h = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
        r = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
        nums.append(sum(min(c, r[g]) for g, c in h.items()))
        dens.append(max(1, sum(h.values())))
    if nums[0] == 0:  # nltk: no matching unigram → 0 (also covers an empty prediction)
        return 0.0
    hl, rl = len(hyp), len(ref)
    bp = 1.0 if hl > rl else (0.0 if hl == 0 else math.exp(1 - rl / hl))
    k, logs = 1, 0.0
    for num, den in zip(nums, dens):
        if num == 0:  # method3: 1 / (2^k * denominator) for the k-th order with no match
            p = 1 / (2 ** k * den)
            k += 1
        else:
            p = num / den
        logs += 0.25 * math.log(p)
    return bp * math.exp(logs)


def words(text):
    return _TOKEN.findall(text)


def _sentences(text):
    out, cur = [], []
    for w in words(text):
        if w in _SENT_END:
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append(w)
    if cur:
        out.append(cur)
    return out


def _f(p_num, p_den, r_den):
    p = p_num / p_den if p_den else 0.0
    r = p_num / r_den if r_den else 0.0
    return 2.0 * p * r / (p + r + 1e-8)  # rouge's F with its 1e-8 guard


def _rouge_n(hyp, ref, n):
    h = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
    r = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    overlap = sum(min(c, r[g]) for g, c in h.items())
    return _f(overlap, sum(h.values()), sum(r.values()))


def _lcs_positions(a, b):
    """Indices in b of one longest common subsequence of a and b."""
    m, n = len(a), len(b)
    t = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m):
        for j in range(n):
            t[i + 1][j + 1] = t[i][j] + 1 if a[i] == b[j] else max(t[i][j + 1], t[i + 1][j])
    out, i, j = [], m, n
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(j - 1)
            i, j = i - 1, j - 1
        elif t[i - 1][j] >= t[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return out


def _rouge_l(hyp_sents, ref_sents):
    """Summary-level ROUGE-L (Lin 2004): union LCS of each reference sentence against every hypothesis sentence."""
    hits = 0
    for r in ref_sents:
        union = set()
        for h in hyp_sents:
            union.update(_lcs_positions(h, r))
        hits += len(union)
    return _f(hits, sum(len(s) for s in hyp_sents), sum(len(s) for s in ref_sents))


def rouge(pred, label):
    """{'rouge-1': f, 'rouge-2': f, 'rouge-l': f} in [0, 1]; all 0 when either side has no words (as in LF)."""
    hs, rs = _sentences(pred), _sentences(label)
    if not hs or not rs:
        return {"rouge-1": 0.0, "rouge-2": 0.0, "rouge-l": 0.0}
    h = [w for s in hs for w in s]
    r = [w for s in rs for w in s]
    return {"rouge-1": _rouge_n(h, r, 1), "rouge-2": _rouge_n(h, r, 2), "rouge-l": _rouge_l(hs, rs)}


def similarity(pairs):
    """pairs: [(pred, label)] → {'rouge-1', 'rouge-2', 'rouge-l', 'bleu-4'} means of the per-example ×100, 4 d.p. scores."""
    scores = {"rouge-1": [], "rouge-2": [], "rouge-l": [], "bleu-4": []}
    for pred, label in pairs:
        for k, v in rouge(pred, label).items():
            scores[k].append(round(v * 100, 4))
        scores["bleu-4"].append(round(bleu4(pred, label) * 100, 4))
    return {k: (sum(v) / len(v) if v else 0.0) for k, v in scores.items()}
