/** Parses a spot-check test file: JSON array or JSONL of alpaca `{instruction, input, output}` or `{prompt, expected}`. */

export interface SpotCheckCase {
  prompt: string;
  expected: string;
}

const MAX_CASES = 5000;

function caseOf(o: unknown, where: string): SpotCheckCase {
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new Error(`${where}: expected an object.`);
  const r = o as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  if (str(r.prompt) !== null) {
    const expected = str(r.expected) ?? str(r.answer) ?? str(r.output) ?? str(r.response);
    if (expected === null) throw new Error(`${where}: "prompt" without "expected".`);
    return { prompt: str(r.prompt)!, expected };
  }
  if (str(r.instruction) !== null) {
    const expected = str(r.output);
    if (expected === null) throw new Error(`${where}: "instruction" without "output".`);
    const input = str(r.input)?.trim();
    // LLaMA-Factory's alpaca converter joins instruction and input with a newline into the user turn.
    return { prompt: input ? `${str(r.instruction)}\n${input}` : str(r.instruction)!, expected };
  }
  throw new Error(`${where}: needs {"prompt", "expected"} or alpaca {"instruction", "input", "output"}.`);
}

/** Throws one message naming the first bad line; accepts a BOM and blank lines. */
export function parseSpotCheckFile(text: string, fileName = 'file'): SpotCheckCase[] {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (!body) throw new Error(`${fileName} is empty.`);
  let cases: SpotCheckCase[];
  if (body.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (e) {
      throw new Error(`${fileName} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    cases = (data as unknown[]).map((o, i) => caseOf(o, `${fileName} item ${i + 1}`));
  } else {
    cases = [];
    const lines = body.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch {
        throw new Error(`${fileName} line ${i + 1} is not JSON.`);
      }
      cases.push(caseOf(o, `${fileName} line ${i + 1}`));
    });
  }
  if (!cases.length) throw new Error(`${fileName} has no test cases.`);
  if (cases.length > MAX_CASES) throw new Error(`${fileName} has ${cases.length} cases; the spot-check takes at most ${MAX_CASES}.`);
  return cases;
}
