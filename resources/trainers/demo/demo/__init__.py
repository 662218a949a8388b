"""Demo trainer package: a tiny byte-level LLaMA-style model trained with LLaMA-Factory's file contract."""
__version__ = "0.9.6.dev0+demo"
