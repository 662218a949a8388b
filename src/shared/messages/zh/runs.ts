/** 运行域的消息：运行为何失败、该怎么办（与 en/runs.ts 同一组代码）。 */
import type { runs as en } from '../en/runs.js';

export const runs: Record<keyof typeof en, string> = {
  'failure.kind.oom': '显存不足',
  'failure.kind.nccl': '多卡通信（NCCL）失败',
  'failure.kind.missing-model': '找不到模型',
  'failure.kind.missing-dataset': '找不到数据集',
  'failure.kind.address-in-use': '端口已被占用',
  'failure.kind.nan-loss': 'Loss 变成了 NaN',
  'failure.kind.signal': '被信号终止',
  'failure.kind.config': '配置无效',
  'failure.kind.disk-full': '磁盘已满',
  'failure.kind.unknown': '运行失败',

  'failure.nanLoss': 'trainer_log.jsonl 记录到 NaN loss。',
  'failure.killed': '训练进程被终止（{signal}）。',
  'failure.killedExit137': '训练进程被终止（退出码 137）。',
  'failure.signal': '训练进程因 {signal} 结束。',
  'failure.exitCode': '训练进程以退出码 {code} 结束。',
  'failure.holderGone': '运行托管进程已不在，也没有留下退出状态（机器重启过，或托管进程被终止）。',
  'failure.holderNeverUp': '运行没有开始：它的托管进程没有启动起来。',
  'failure.holderSpawn': 'Trainyard 无法启动该运行的托管进程：{detail}',
  'failure.note.stopping': '正在停止它遗留的 {count} 个进程…',
  'failure.note.notEnded': '进程 {pids} 在 SIGKILL 之后仍未结束。',
  'failure.note.stopped': '它遗留的进程已停止。',

  'failure.fix.oom':
    '调小 per_device_train_batch_size（同时调大 gradient_accumulation_steps 以保持有效批量），如配置中有 disable_gradient_checkpointing: true 请删除，' +
    '试试 quantization_bit: 4（QLoRA），调小 cutoff_len，或在更多 GPU 上使用 DeepSpeed ZeRO-3' +
    '（deepspeed: examples/deepspeed/ds_z3_config.json）。',
  'failure.fix.diskFull': '在 output_dir 所在磁盘上腾出空间（旧检查点：调小 save_total_limit），或把 output_dir 指向更大的磁盘。',
  'failure.fix.model':
    '检查 model_name_or_path：要么是存在的本地文件夹（相对路径从训练进程的运行目录解析，即 设置 → 训练器 中的 LLaMA-Factory 文件夹），' +
    '要么是能下载的 Hugging Face 模型 ID（受限模型请先 `huggingface-cli login`；离线时它必须已在 Hugging Face 缓存中）。',
  'failure.fix.dataset':
    '检查 dataset 和 dataset_dir：`dataset` 中的每个名称都必须是 dataset_dir 下 dataset_info.json 的键。相对的 dataset_dir（默认 "data"）从训练进程的运行目录解析：请在 设置 → 训练器 中设置 LLaMA-Factory 文件夹。',
  'failure.fix.port': '另一个进程占用了端口（MASTER_PORT 或 API_PORT）。重新启动运行即可：Trainyard 会选一个新的空闲端口。',
  'failure.fix.nanLoss': 'Loss 变成了 NaN：调低 learning_rate，用 bf16 代替 fp16，或设置 max_grad_norm: 1.0；检查数据中是否有空样本或超长样本。',
  'failure.fix.nccl': '多卡集合通信失败或超时：检查 GPU 之间能否互通（nvidia-smi topo -m），调大 ddp_timeout，或试试 NCCL_P2P_DISABLE=1 / NCCL_IB_DISABLE=1。',
  'failure.fix.bf16': '这台机器不能用 bf16 训练（CPU，或早于 Ampere 的 GPU）：设置 bf16: false，较老的 GPU 上再设置 fp16: true。',
  'failure.fix.unknownKey':
    'LLaMA-Factory（或它所用的 transformers）不认识这个键：检查是否拼错，或是否为其他版本的键（transformers 5.2 起移除了 warmup_ratio：请改用 warmup_steps）。',
  'failure.fix.configValue': '配置中有 LLaMA-Factory 不接受的取值组合：查看消息，修改对应的键，然后重新启动运行。',
  'failure.fix.killed':
    '很可能系统内存耗尽，被内核的 OOM killer 终止（查看 `dmesg | grep -i oom`）：调小 preprocessing_num_workers 和 dataloader_num_workers，或使用流式数据集。',
  'failure.fix.signal': '训练进程之外的东西停止了它；请查看日志末尾。',
  'failure.fix.unknown': '错误信息见日志末尾。',
  'failure.fix.trainerPath': '检查 设置 → 训练器 中的训练器路径。',
  'failure.fix.restart': '重新启动该运行；选择“从最新检查点继续”时会接着最后一个检查点训练。',
  'failure.fix.holderDisk': '在 Trainyard 数据文件夹所在磁盘上腾出空间，然后再次启动该运行。',
  'failure.fix.holderStart': '再次启动该运行；如果仍然失败，请检查本机的空闲内存和进程数上限（ulimit -u）。',
};
