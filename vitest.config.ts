/**
 * Test projects: `unit` (fast, node), `e2e` (the real UI in Chromium against `serve`, one file at a time) and `contract`
 * (Trainyard driving the real LLaMA-Factory, one file at a time; skips, saying why, where it cannot be set up) and `slurm`
 * (runs submitted through the real sbatch of a one-node Slurm that test/slurm/setup.sh starts; skips where Slurm is not installed).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Two cores: trainer tests spawn Python; more workers only fight for CPU.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          globalSetup: ['test/e2e/globalSetup.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'contract',
          include: ['test/contract/**/*.contract.ts'],
          globalSetup: ['test/contract/globalSetup.ts'],
          environment: 'node',
          // Real trainings on a 2-core CPU: generous, and one file at a time.
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'slurm',
          include: ['test/slurm/**/*.slurm.ts'],
          globalSetup: ['test/slurm/globalSetup.ts'],
          environment: 'node',
          // Real sbatch jobs running the demo trainer on a 2-core CPU; one file at a time (one cluster, two fake GPUs).
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
