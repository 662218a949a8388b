/** Parameter counts from a model's config.json (dense and MoE decoder-only transformers), or from its name as a fallback. */

export interface ModelDims {
  hidden: number;
  layers: number;
  vocab: number;
  intermediate: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  tied: boolean;
  /** Routed experts per MoE layer (0 for dense), and how many run per token. */
  experts: number;
  expertsPerToken: number;
  expertIntermediate: number;
  sharedExperts: number;
}

export interface ParamCount {
  total: number;
  /** Embedding + output head (kept in 16 bits even when the rest is quantized). */
  embedding: number;
  /** One decoder layer (for freeze tuning and LoRA targets). */
  perLayer: number;
  dims: ModelDims;
}

const n = (c: Record<string, unknown>, ...keys: string[]): number | undefined => {
  for (const k of keys) {
    const v = c[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
};

/** Multimodal configs (Qwen-VL, Kimi-VL, Llava) keep the language model under text_config. */
function languageConfig(c: Record<string, unknown>): Record<string, unknown> {
  for (const k of ['text_config', 'llm_config', 'language_config']) {
    const sub = c[k];
    if (sub && typeof sub === 'object' && n(sub as Record<string, unknown>, 'hidden_size') !== undefined) return { ...c, ...(sub as object) };
  }
  return c;
}

export function modelDims(config: Record<string, unknown>): ModelDims | null {
  const c = languageConfig(config);
  const hidden = n(c, 'hidden_size', 'n_embd', 'd_model');
  const layers = n(c, 'num_hidden_layers', 'n_layer', 'num_layers');
  const vocab = n(c, 'vocab_size', 'padded_vocab_size');
  if (!hidden || !layers || !vocab) return null;
  const heads = n(c, 'num_attention_heads', 'n_head') ?? Math.max(1, Math.round(hidden / 128));
  return {
    hidden,
    layers,
    vocab,
    intermediate: n(c, 'intermediate_size', 'n_inner', 'ffn_hidden_size') ?? 4 * hidden,
    heads,
    kvHeads: n(c, 'num_key_value_heads', 'multi_query_group_num') ?? heads,
    headDim: n(c, 'head_dim') ?? hidden / heads,
    tied: c.tie_word_embeddings === true,
    experts: n(c, 'num_experts', 'num_local_experts', 'n_routed_experts') ?? 0,
    expertsPerToken: n(c, 'num_experts_per_tok', 'moe_topk') ?? 0,
    expertIntermediate: n(c, 'moe_intermediate_size') ?? n(c, 'intermediate_size') ?? 4 * hidden,
    sharedExperts: n(c, 'n_shared_experts') ?? (n(c, 'shared_expert_intermediate_size') ? 1 : 0),
  };
}

/** Gated MLPs (SwiGLU: gate, up, down) are the norm for LLaMA-family models; GPT-2/NeoX/OPT use two matrices. */
function mlpMatrices(config: Record<string, unknown>): number {
  const t = String(config.model_type ?? '');
  return /^(gpt2|gpt_neox|gptj|opt|bloom|falcon|phi)$/.test(t) ? 2 : 3;
}

export function countParams(config: Record<string, unknown>): ParamCount | null {
  const d = modelDims(config);
  if (!d) return null;
  const attn = d.hidden * d.heads * d.headDim * 2 + d.hidden * d.kvHeads * d.headDim * 2;
  const m = mlpMatrices(config);
  const mlp =
    d.experts > 0
      ? d.experts * m * d.hidden * d.expertIntermediate + d.sharedExperts * m * d.hidden * d.expertIntermediate + d.hidden * d.experts
      : m * d.hidden * d.intermediate;
  const perLayer = attn + mlp + 2 * d.hidden;
  const embedding = d.vocab * d.hidden * (d.tied ? 1 : 2);
  return { total: perLayer * d.layers + embedding + d.hidden, embedding, perLayer, dims: d };
}

/** "Llama-2-70b-hf" → 70e9, "Qwen2.5-0.5B" → 0.5e9; MoE names like "8x7B" multiply. Null when the name says nothing. */
export function paramsFromName(name: string): number | null {
  const moe = /(\d+)x(\d+(?:\.\d+)?)b(?![a-z])/i.exec(name);
  if (moe) return Number(moe[1]) * Number(moe[2]) * 1e9 * 0.85;
  const m = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)\s*([bm])(?![a-z])/i.exec(name);
  if (!m) return null;
  return Number(m[1]) * (m[2]!.toLowerCase() === 'b' ? 1e9 : 1e6);
}
