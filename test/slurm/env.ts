/** Names of the variables the Slurm suite's global setup hands to its test files (workers inherit the environment). */
/** Why every Slurm test skips (no slurm-wlm/munge on this machine, or the one-node cluster did not come up). */
export const ENV_SLURM_SKIP = 'TRAINYARD_SLURM_SKIP';
