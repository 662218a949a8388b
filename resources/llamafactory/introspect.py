"""Describes the `llamafactory` package installed for this Python: every key its `llamafactory-cli` commands accept.

Run by Trainyard with the trainer's own Python (the venv of the chosen llamafactory-cli), off the engine's event loop;
prints the catalogue as JSON (keyspec.py's format, the same as resources/llamafactory/keys.json) on stdout. It imports
LLaMA-Factory's parser module exactly as `llamafactory-cli train` does and reads the argument dataclasses HfArgumentParser
will be given, so the keys are those of the versions that will really run (e.g. transformers >= 5.2 has no
`warmup_ratio`). Exit 3: no llamafactory package here.
"""

import dataclasses
import enum
import inspect
import json
import os
import sys
import types
import typing

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keyspec  # noqa: E402

NAMES = {bool: "bool", int: "int", float: "float", str: "str", dict: "dict", list: "list", tuple: "tuple", set: "set",
         typing.Any: "any", object: "any"}


def descriptor(tp):
    if tp is type(None) or tp is None:
        return ("none",)
    if tp in NAMES:
        return ("name", NAMES[tp])
    origin = typing.get_origin(tp)
    if origin is typing.Union or (hasattr(types, "UnionType") and origin is types.UnionType):
        return ("union", [descriptor(a) for a in typing.get_args(tp)])
    if origin is typing.Literal:
        return ("literal", list(typing.get_args(tp)))
    if origin in (typing.ClassVar,):
        return ("classvar",)
    if origin is not None:
        base = NAMES.get(origin, getattr(origin, "__name__", str(origin)))
        return ("generic", base, [descriptor(a) for a in typing.get_args(tp) if a is not Ellipsis])
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return ("enum", [m.value for m in tp])
    return ("name", getattr(tp, "__name__", str(tp)))


def owner(cls, name):
    """The most-derived class whose body declares the field (the catalogue's `group`)."""
    for c in cls.__mro__:
        if name in inspect.get_annotations(c):
            return c
    return cls


def fields_of(cls):
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if not f.init:  # HfArgumentParser only accepts init fields (transformers hf_argparser.py, parse_dict)
            continue
        decl = owner(cls, f.name)
        origin = "transformers" if decl.__module__.startswith("transformers") else "llamafactory"
        entry = {"group": decl.__name__, "origin": origin}
        entry.update(keyspec.key_spec(descriptor(hints.get(f.name, f.type))))
        try:
            if f.default is not dataclasses.MISSING:
                entry["default"] = keyspec.json_value(f.default)
            elif f.default_factory is not dataclasses.MISSING:
                entry["default"] = keyspec.json_value(f.default_factory())
            else:
                entry["required"] = True
        except (ValueError, TypeError):
            pass
        help_text = f.metadata.get("help")
        if help_text is not None:
            entry["help"] = str(help_text)
        if "choices" in f.metadata and entry["type"] != "choice":
            try:
                entry["choices"] = [keyspec.json_value(c) for c in f.metadata["choices"]]
                entry["type"] = "choice"
            except (ValueError, TypeError):
                pass
        out.append((f.name, entry))
    return out


def main():
    os.environ.setdefault("DISABLE_VERSION_CHECK", "1")  # describe what is installed even where LF's check would refuse it
    # LLaMA-Factory's and transformers' loggers print to stdout on import: keep fd 1 for the JSON alone.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        import llamafactory  # noqa: F401
    except ImportError as e:
        print(f"no llamafactory package for {sys.executable}: {e}", file=sys.stderr)
        return 3
    from importlib import metadata

    from llamafactory.hparams import parser

    lists, cites = {}, {}
    for _, list_name in keyspec.COMMANDS:
        classes = getattr(parser, list_name, None)
        if classes:
            lists[list_name] = [c.__name__ for c in classes]
    by_name = {c.__name__: c for _, n in keyspec.COMMANDS for c in (getattr(parser, n, None) or [])}
    keys = keyspec.command_keys(lists, lambda name: fields_of(by_name[name]))
    version = lambda dist: metadata.version(dist)  # noqa: E731
    catalogue = {
        "format": keyspec.FORMAT,
        "llamafactory": {"version": version("llamafactory"), "commit": None},
        "transformers": {"version": version("transformers"), "pin": None, "withinPin": None},
        "commands": keyspec.commands_block(lists, cites),
        "keys": keys,
    }
    out.write(keyspec.dump(catalogue))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
