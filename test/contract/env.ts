/** Names of the variables the contract suite's global setup hands to its test files. */
/** The LLaMA-Factory venv (bin/llamafactory-cli, tiny-qwen2/, llamafactory/ with data/ and examples/). */
export const ENV_VENV = 'TRAINYARD_CONTRACT_LF_VENV';
/** Why every contract test skips (no LLaMA-Factory on this machine). */
export const ENV_SKIP = 'TRAINYARD_CONTRACT_LF_SKIP';
/** A folder for the trainer's PYTHONPATH with the packages LLaMA-Factory's predict requires. */
export const ENV_EXTRAS = 'TRAINYARD_CONTRACT_LF_EXTRAS';
/** Why the predict test skips (those packages could not be provided). */
export const ENV_PREDICT_SKIP = 'TRAINYARD_CONTRACT_LF_PREDICT_SKIP';
