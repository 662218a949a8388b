"""The LLaMA-Factory key catalogue's format: commands, type descriptors -> key specs, defaults as JSON, canonical output.

Shared by the two producers of the catalogue, so they cannot drift apart:
  - scripts/gen-llamafactory-keys.py reads a LLaMA-Factory checkout's source with `ast` (no dependencies) and writes
    resources/llamafactory/keys.json, the catalogue Trainyard ships;
  - resources/llamafactory/introspect.py imports the `llamafactory` package installed for the user's trainer and
    describes its live dataclasses, so Trainyard validates against the versions that will really run.
Both turn each dataclass field into a small *descriptor* of its annotation, then call `key_spec` here.

Descriptors (plain tuples, so both producers can build them):
  ("none",)                       NoneType
  ("name", "bool"|"int"|…|"any"|<other class name>)
  ("literal", [values])           typing.Literal[...]
  ("enum", [values])              an Enum subclass: its members' values
  ("union", [descriptors])        Optional/Union/X | Y
  ("generic", "list"|"dict"|…, [descriptors])
"""

import json
import math

FORMAT = 2

# Which argument dataclasses each `llamafactory-cli` command parses. The command -> parser-list mapping is LLaMA-Factory's
# own code path (ff6d4d1): launcher.py:136-157 dispatches train -> train/tuner.py:run_exp -> get_train_args (parser.py:395,
# list _TRAIN_ARGS); chat/api/webchat -> chat/chat_model.py:48 and export -> train/tuner.py:177 both call get_infer_args
# (parser.py:669, list _INFER_ARGS); eval -> get_eval_args (parser.py:706, _EVAL_ARGS), although launcher.py:146-147 now
# raises NotImplementedError for `eval`. With USE_MEGATRON_BRIDGE=1, train parses _TRAIN_MBRIDGE_ARGS (parser.py:399-407, list at :94).
COMMANDS = [
    ("train", "_TRAIN_ARGS"),
    ("chat", "_INFER_ARGS"),
    ("api", "_INFER_ARGS"),
    ("export", "_INFER_ARGS"),
    ("eval", "_EVAL_ARGS"),
    ("train:USE_MEGATRON_BRIDGE", "_TRAIN_MBRIDGE_ARGS"),
]

_SCALARS = {"bool", "int", "float", "str", "dict", "list", "tuple", "set", "any"}


def _flatten(desc, out):
    if desc[0] == "union":
        for d in desc[1]:
            _flatten(d, out)
    else:
        out.append(desc)
    return out


def _base(desc):
    """The plain type a non-choice member stands for: generics by their container, unknown classes by name."""
    if desc[0] == "generic":
        return desc[1]
    name = desc[1]
    return name if name in _SCALARS else "class:" + name


def key_spec(desc):
    """A descriptor -> {type, nullable?, choices?} the way HfArgumentParser treats it (transformers hf_argparser.py:
    Optional[X] is X that may be None; Union[Enum, str] keeps the enum's choices, the str only widens the CLI)."""
    members = _flatten(desc, [])
    nullable = any(m[0] == "none" for m in members)
    members = [m for m in members if m[0] != "none"]
    spec = {}
    choices = []
    for m in members:
        if m[0] in ("literal", "enum"):
            for v in m[1]:
                if v not in choices:
                    choices.append(v)
    others = {_base(m) for m in members if m[0] not in ("literal", "enum")}
    if not members or "any" in others:
        kind = "any"
    elif choices:
        kind = "choice" if others <= {"str"} else "any"
    elif others == {"bool"}:
        kind = "bool"
    elif others == {"int"}:
        kind = "int"
    elif others == {"float"}:
        kind = "float"
    elif others == {"int", "float"}:
        kind = "int_or_float"
    elif "dict" in others and others <= {"dict", "str"}:
        kind = "dict"
    elif others & {"list", "tuple", "set"} and others <= {"list", "tuple", "set", "str"}:
        kind = "list"
    elif "str" in others and all(o == "str" or o.startswith("class:") for o in others):
        # str | Path | GenerationConfig: from YAML only the string form can arrive.
        kind = "str"
    else:
        kind = "any"
    spec["type"] = kind
    if nullable:
        spec["nullable"] = True
    if kind == "choice":
        spec["choices"] = choices
    return spec


def json_value(value):
    """A default as JSON, or raises ValueError when it has no JSON form (the producer then leaves the default out)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("not finite")
        return value
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    enum_value = getattr(value, "value", None)
    if enum_value is not None and type(value).__mro__[-2].__name__ in ("Enum", "str", "int"):
        return json_value(enum_value)
    raise ValueError(f"no JSON form for {type(value).__name__}")


def command_keys(command_lists, fields_of):
    """Assign each field the commands that accept it.

    command_lists: {parser list name: [dataclass name, ...]} as read from parser.py;
    fields_of: dataclass name -> [(field name, entry)] in dataclass order.
    Returns {key: entry with "commands"} — a key accepted by no command is left out (HfArgumentParser would reject it).
    """
    keys = {}
    for command, list_name in COMMANDS:
        for cls in command_lists.get(list_name, []):
            for name, entry in fields_of(cls):
                have = keys.get(name)
                if have is None:
                    have = keys[name] = dict(entry, commands=[])
                if command not in have["commands"]:
                    have["commands"].append(command)
    return keys


def commands_block(command_lists, cites):
    return {
        command: {"parser": list_name, "dataclasses": list(command_lists.get(list_name, [])), "cite": cites.get(list_name)}
        for command, list_name in COMMANDS
    }


def dump(catalogue):
    """The canonical text: sorted keys and a trailing newline, so a rerun gives the same bytes."""
    return json.dumps(catalogue, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
