"""Fault injection for Trainyard's tests (DEMO_TRAINER_FAIL_AT_STEP / _FAIL_KIND): prints real error texts and exits 1."""
import os
import sys

OOM = ("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.19 GiB of which "
       "1.06 GiB is free. Including non-PyTorch memory, this process has 78.12 GiB memory in use. Of the allocated memory "
       "75.43 GiB is allocated by PyTorch, and 1.97 GiB is reserved by PyTorch but unallocated. If reserved but unallocated "
       "memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See "
       "documentation for Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)")
NAN = "RuntimeError: Function 'LogSoftmaxBackward0' returned nan values in its 0th output."
NCCL = ("[rank0]:[E ProcessGroupNCCL.cpp:616] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1532, "
        "OpType=ALLREDUCE, NumelIn=8388608, NumelOut=8388608, Timeout(ms)=1800000) ran for 1800095 milliseconds before timing out.\n"
        "torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1970, "
        "unhandled system error (run with NCCL_DEBUG=INFO for details), NCCL version 2.21.5\n"
        "ncclSystemError: System call (e.g. socket, malloc) or external library call failed or device error.")
TRACE = {"oom": ('  File "/usr/lib/python3/dist-packages/torch/nn/modules/linear.py", line 114, in forward\n'
                 "    return F.linear(input, self.weight, self.bias)\n"),
         "nan": ('  File "/usr/lib/python3/dist-packages/torch/_tensor.py", line 488, in backward\n'
                 "    torch.autograd.backward(\n"),
         "nccl": ('  File "/usr/lib/python3/dist-packages/torch/distributed/distributed_c10d.py", line 2501, in all_reduce\n'
                  "    work = group.allreduce([tensor], opts)\n")}


def maybe_fail(step):
    at = os.environ.get("DEMO_TRAINER_FAIL_AT_STEP")
    if not at or int(at) != step:
        return
    kind = os.environ.get("DEMO_TRAINER_FAIL_KIND", "oom").lower()
    if kind == "nan":
        # HF logs the nan loss first, then anomaly detection raises during backward
        print("{'loss': nan, 'grad_norm': nan, 'learning_rate': 0.0001, 'epoch': 0.5}", flush=True)
    msg = {"oom": OOM, "nan": NAN, "nccl": NCCL}.get(kind, OOM)
    sys.stderr.write("\nTraceback (most recent call last):\n"
                     '  File "/usr/lib/python3/dist-packages/transformers/trainer.py", line 2674, in _inner_training_loop\n'
                     "    tr_loss_step = self.training_step(model, inputs, num_items_in_batch)\n"
                     + TRACE.get(kind, TRACE["oom"]) + msg + "\n")
    sys.stderr.flush()
    sys.exit(1)
