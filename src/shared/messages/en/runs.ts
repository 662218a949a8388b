/** What the runs domain says: why a run failed and what to do about it. */
export const runs = {
  'failure.kind.oom': 'Out of GPU memory',
  'failure.kind.nccl': 'Multi-GPU communication (NCCL) failed',
  'failure.kind.missing-model': 'Model not found',
  'failure.kind.missing-dataset': 'Dataset not found',
  'failure.kind.address-in-use': 'Port already in use',
  'failure.kind.nan-loss': 'Loss became NaN',
  'failure.kind.signal': 'Killed by a signal',
  'failure.kind.config': 'Invalid configuration',
  'failure.kind.disk-full': 'Disk full',
  'failure.kind.unknown': 'The run failed',

  'failure.nanLoss': 'trainer_log.jsonl recorded a NaN loss.',
  'failure.killed': 'The trainer was killed ({signal}).',
  'failure.killedExit137': 'The trainer was killed (exit code 137).',
  'failure.signal': 'The trainer ended on {signal}.',
  'failure.exitCode': 'The trainer exited with code {code}.',
  'failure.holderGone': 'The run holder process is gone and left no exit status (the machine restarted, or the holder was killed).',
  'failure.holderNeverUp': 'The run never started: its holder did not come up.',
  'failure.holderSpawn': "Trainyard could not start the run's holder process: {detail}",
  'failure.note.stopping': 'Stopping the {count} process(es) it left running…',
  'failure.note.notEnded': 'Processes {pids} did not end even after SIGKILL.',
  'failure.note.stopped': 'The processes it left running were stopped.',

  'failure.fix.oom':
    // LLaMA-Factory checkpoints gradients unless told not to (model_args.py: disable_gradient_checkpointing).
    'Lower per_device_train_batch_size (and raise gradient_accumulation_steps to keep the effective batch), remove ' +
    'disable_gradient_checkpointing: true if the config has it, try quantization_bit: 4 (QLoRA), lower cutoff_len, or use DeepSpeed ZeRO-3 ' +
    '(deepspeed: examples/deepspeed/ds_z3_config.json) across more GPUs.',
  'failure.fix.diskFull': 'Free disk space where output_dir lives (old checkpoints: lower save_total_limit) or point output_dir at a bigger disk.',
  'failure.fix.model':
    'Check model_name_or_path: a local folder that exists (a relative path resolves from the folder the trainer runs in, ' +
    'the LLaMA-Factory folder of Settings → Trainer), or a Hugging Face id you can download (log in with ' +
    '`huggingface-cli login` for gated models; offline, it must already be in the Hugging Face cache).',
  'failure.fix.dataset':
    'Check dataset and dataset_dir: every name in `dataset` must be a key of dataset_info.json in dataset_dir. A relative dataset_dir (default "data") resolves from the folder the trainer runs in: set the LLaMA-Factory folder in Settings → Trainer.',
  'failure.fix.port': 'Another process holds the port (MASTER_PORT or API_PORT). Restart the run: Trainyard picks a new free port.',
  'failure.fix.nanLoss': 'The loss became NaN: lower learning_rate, use bf16 instead of fp16, or set max_grad_norm: 1.0; check the data for empty or huge samples.',
  'failure.fix.nccl':
    'A multi-GPU collective failed or timed out: check that the GPUs can talk (nvidia-smi topo -m), raise ddp_timeout, or try NCCL_P2P_DISABLE=1 / NCCL_IB_DISABLE=1.',
  'failure.fix.bf16': 'This machine cannot train in bf16 (a CPU, or a GPU older than Ampere): set bf16: false, and fp16: true on an older GPU.',
  'failure.fix.unknownKey':
    'LLaMA-Factory (or the transformers it runs on) does not know the named key: check it for a typo, or for a key of another version (transformers 5.2 and later removed warmup_ratio: use warmup_steps).',
  'failure.fix.configValue': 'The config has a value LLaMA-Factory does not accept together with the others: see the message, change that key, and start the run again.',
  'failure.fix.killed':
    'Likely the system ran out of RAM and the kernel OOM killer ended it (check `dmesg | grep -i oom`): lower preprocessing_num_workers and dataloader_num_workers, or use streaming datasets.',
  'failure.fix.signal': 'Something outside the trainer stopped it; see the end of the log.',
  'failure.fix.unknown': 'See the end of the log for the error.',
  'failure.fix.trainerPath': 'Check the trainer path in Settings → Trainer.',
  'failure.fix.restart': 'Restart the run; with "resume" it continues from its last checkpoint.',
  'failure.fix.holderDisk': 'Free disk space in the Trainyard data folder, then launch the run again.',
  'failure.fix.holderStart': 'Launch the run again; if it keeps failing, check free memory and the process limit (ulimit -u) of this machine.',
} as const;
