#!/usr/bin/env python3
"""Generates resources/llamafactory/keys.json from a LLaMA-Factory checkout and the transformers source it pins.

Why `ast` and not `import llamafactory`: importing LLaMA-Factory needs torch, transformers, peft, trl, omegaconf… of
versions it accepts, and transformers' TrainingArguments must be of the version LLaMA-Factory pins (<= 5.8 at ff6d4d1),
which is rarely the one installed. Reading the source needs only Python 3.9+, reads exactly the files named on the
command line (a checkout and a transformers wheel or folder), and gives the same bytes on every machine. The installed
version is described at runtime by resources/llamafactory/introspect.py (real imports); both emit keyspec.py's format,
and test/core/configs/catalogueIntrospect.test.ts checks that they agree on the same sources.

Usage:
  gen-llamafactory-keys.py --llamafactory <checkout> --transformers <transformers-X.whl | folder holding transformers/>
                           [--commit <sha>] [--removed <removed-keys.json>] [--out <keys.json>]
The checkout is a folder with pyproject.toml and src/llamafactory/ (a git checkout, an sdist, or a subset of one).
"""

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "resources", "llamafactory"))

import keyspec  # noqa: E402

BUILTIN_NAMES = {"bool": "bool", "int": "int", "float": "float", "str": "str", "dict": "dict", "list": "list",
                 "tuple": "tuple", "set": "set", "Any": "any", "object": "any", "Dict": "dict", "List": "list",
                 "Tuple": "tuple", "Set": "set"}
# transformers derives its enums from ExplicitEnum(str, Enum) (utils/generic.py); naming it lets a subset without utils/ resolve.
ENUM_BASES = {"Enum", "StrEnum", "IntEnum", "ExplicitEnum"}


class SourceError(Exception):
    pass


class Package:
    """One package's sources, from a folder or a wheel (read in place, never extracted)."""

    def __init__(self, name, location):
        self.name = name
        if os.path.isfile(location) and zipfile.is_zipfile(location):
            self.zip = zipfile.ZipFile(location)
            self.files = set(self.zip.namelist())
            self.root = ""
        else:
            self.zip = None
            self.root = location
            if not os.path.isdir(os.path.join(location, name)):
                raise SourceError(f"{location} has no {name}/ folder")

    def read(self, rel):
        if self.zip is not None:
            return self.zip.read(rel).decode("utf-8") if rel in self.files else None
        path = os.path.join(self.root, rel)
        if not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8") as f:
            return f.read()


class Module:
    def __init__(self, dotted, rel, tree):
        self.dotted = dotted
        self.rel = rel
        self.tree = tree
        self.is_package = rel.endswith("__init__.py")
        self.names = {}
        self._collect(tree.body)

    def _collect(self, body):
        """Top-level names. For `if <env or feature check>: … else: …` the else branch is LLaMA-Factory's default
        environment (USE_MCA unset, optional packages absent); an `if` without else (TYPE_CHECKING, torch extras) is
        skipped, and names only bound there are found by `all_imports`."""
        for node in body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
                self.names[node.name] = node
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.names[t.id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                self.names[node.target.id] = node.value
            elif isinstance(node, (ast.ImportFrom, ast.Import)):
                for a in node.names:
                    self.names[(a.asname or a.name).split(".")[0]] = node
            elif isinstance(node, ast.If) and node.orelse:
                self._collect(node.orelse)
            elif isinstance(node, ast.Try):
                self._collect(node.body)

    def all_imports(self, name):
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
                return node
        return None


class Sources:
    """Resolves names across the LLaMA-Factory and transformers sources the way Python's imports would."""

    def __init__(self, packages):
        self.packages = {p.name: p for p in packages}
        self.modules = {}

    def module(self, dotted):
        if dotted in self.modules:
            return self.modules[dotted]
        top = dotted.split(".")[0]
        pkg = self.packages.get(top)
        mod = None
        if pkg is not None:
            base = dotted.replace(".", "/")
            for rel in (base + ".py", base + "/__init__.py"):
                text = pkg.read(pkg_rel(pkg, rel))
                if text is not None:
                    mod = Module(dotted, rel, ast.parse(text, filename=rel))
                    break
        self.modules[dotted] = mod
        return mod

    def import_target(self, mod, node):
        if node.level == 0:
            return node.module
        parts = mod.dotted.split(".")
        keep = len(parts) - node.level + (1 if mod.is_package else 0)
        prefix = ".".join(parts[:keep])
        return prefix + ("." + node.module if node.module else "")

    def resolve(self, mod, name, depth=0):
        """-> ("class", Module, ClassDef) | ("value", Module, expr) | ("module", Module) | None (outside the sources)."""
        if depth > 20 or mod is None:
            return None
        node = mod.names.get(name)
        if node is None:
            node = mod.all_imports(name)
        if node is None:
            return None
        if isinstance(node, ast.ClassDef):
            return ("class", mod, node)
        if isinstance(node, ast.ImportFrom):
            target = self.import_target(mod, node)
            alias = next(a for a in node.names if (a.asname or a.name).split(".")[0] == name)
            sub = self.module(target + "." + alias.name)
            if sub is not None and self.module(target) is not None and alias.name not in self.module(target).names:
                return ("module", sub)
            return self.resolve(self.module(target), alias.name, depth + 1)
        if isinstance(node, ast.Import):
            return ("module", self.module(name))
        if isinstance(node, ast.Name):
            return self.resolve(mod, node.id, depth + 1)
        if isinstance(node, ast.FunctionDef):
            return None
        return ("value", mod, node)

    def resolve_expr(self, mod, expr):
        if isinstance(expr, ast.Name):
            return self.resolve(mod, expr.id)
        if isinstance(expr, ast.Attribute):
            owner = self.resolve_expr(mod, expr.value)
            if owner and owner[0] == "module":
                return self.resolve(owner[1], expr.attr)
            if owner and owner[0] == "class":
                return ("member", owner[1], owner[2], expr.attr)
        return None


def pkg_rel(pkg, rel):
    return rel


# --- classes ---------------------------------------------------------------------------------------------------------

def is_dataclass(cls):
    for d in cls.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
        if name == "dataclass":
            return True
    return False


def enum_values(sources, mod, cls, seen=None):
    """Member values of an Enum class, or None when it is not an enum."""
    if not is_enum(sources, mod, cls, set()):
        return None
    values = []
    for node in cls.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id.startswith("_"):
                continue
            if isinstance(node.value, ast.Constant):
                values.append(node.value.value)
    return values


def is_enum(sources, mod, cls, seen):
    for b in cls.bases:
        name = b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", None)
        if name in ENUM_BASES:
            return True
        r = sources.resolve_expr(mod, b)
        if r and r[0] == "class" and id(r[2]) not in seen:
            seen.add(id(r[2]))
            if is_enum(sources, r[1], r[2], seen):
                return True
    return False


def c3(sources, mod, cls):
    """Python's method resolution order over the classes found in the sources (others contribute no fields)."""
    bases = []
    for b in cls.bases:
        r = sources.resolve_expr(mod, b)
        if r and r[0] == "class":
            bases.append((r[1], r[2]))
    seqs = [c3(sources, m, c) for m, c in bases] + [bases]
    out = [(mod, cls)]
    seqs = [list(s) for s in seqs if s]
    while seqs:
        for s in seqs:
            head = s[0]
            if not any(head in t[1:] for t in seqs):
                break
        else:
            raise SourceError(f"inconsistent class hierarchy at {cls.name}")
        out.append(head)
        seqs = [[x for x in t if x != head] for t in seqs]
        seqs = [t for t in seqs if t]
    return out


# --- values ----------------------------------------------------------------------------------------------------------

class Unknown(Exception):
    pass


def evaluate(sources, mod, node, depth=0):
    """A constant expression's value (literals, string concatenation, module constants, enum members), else Unknown."""
    if depth > 10:
        raise Unknown()
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [evaluate(sources, mod, e, depth + 1) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {evaluate(sources, mod, k, depth + 1): evaluate(sources, mod, v, depth + 1) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -evaluate(sources, mod, node.operand, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult)):
        a, b = evaluate(sources, mod, node.left, depth + 1), evaluate(sources, mod, node.right, depth + 1)
        return a + b if isinstance(node.op, ast.Add) else a * b
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            elif isinstance(v, ast.FormattedValue) and v.conversion == -1 and v.format_spec is None:
                parts.append(str(evaluate(sources, mod, v.value, depth + 1)))
            else:
                raise Unknown()
        return "".join(parts)
    if isinstance(node, (ast.Name, ast.Attribute)):
        r = sources.resolve_expr(mod, node)
        if r and r[0] == "value":
            return evaluate(sources, r[1], r[2], depth + 1)
        if r and r[0] == "member":
            for stmt in r[2].body:
                if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == r[3] for t in stmt.targets):
                    return evaluate(sources, r[1], stmt.value, depth + 1)
    raise Unknown()


def descriptor(sources, mod, node):
    """An annotation's descriptor (see keyspec.py)."""
    if isinstance(node, ast.Constant):
        if node.value is None:
            return ("none",)
        if isinstance(node.value, str):  # a forward reference: "Self", "GenerationConfig"
            return descriptor(sources, mod, ast.parse(node.value, mode="eval").body)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return ("union", [descriptor(sources, mod, node.left), descriptor(sources, mod, node.right)])
    if isinstance(node, ast.Subscript):
        head = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Optional":
            return ("union", [descriptor(sources, mod, args[0]), ("none",)])
        if head == "Union":
            return ("union", [descriptor(sources, mod, a) for a in args])
        if head == "Literal":
            return ("literal", [evaluate(sources, mod, a) for a in args])
        if head in ("ClassVar", "InitVar"):
            return ("classvar",)
        return ("generic", BUILTIN_NAMES.get(head, head), [descriptor(sources, mod, a) for a in args if not isinstance(a, ast.Constant) or a.value is not Ellipsis])
    if isinstance(node, ast.Name) and node.id in BUILTIN_NAMES:
        return ("name", BUILTIN_NAMES[node.id])
    if isinstance(node, (ast.Name, ast.Attribute)):
        r = sources.resolve_expr(mod, node)
        if r and r[0] == "class":
            values = enum_values(sources, r[1], r[2])
            if values is not None:
                return ("enum", values)
            return ("name", r[2].name)
        return ("name", ast.unparse(node).split(".")[-1])
    return ("name", ast.unparse(node))


def field_call(node):
    if isinstance(node, ast.Call):
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
        if name == "field":
            return {k.arg: k.value for k in node.keywords if k.arg}
    return None


def default_of(sources, mod, value):
    """(has_default, json default or Unknown) of a field's right-hand side."""
    if value is None:
        return False, None
    kw = field_call(value)
    if kw is None:
        return True, evaluate(sources, mod, value)
    if "default" in kw:
        return True, evaluate(sources, mod, kw["default"])
    factory = kw.get("default_factory")
    if factory is None:
        return False, None
    if isinstance(factory, ast.Name) and factory.id in ("list", "dict", "set", "tuple"):
        return True, {"list": [], "dict": {}, "set": [], "tuple": []}[factory.id]
    if isinstance(factory, ast.Lambda):
        return True, evaluate(sources, mod, factory.body)
    raise Unknown()


def own_fields(sources, mod, cls, origin):
    """The fields a dataclass body declares, as (name, entry) in order; init=False and ClassVar are not parser keys."""
    out = []
    for node in cls.body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        desc = descriptor(sources, mod, node.annotation)
        if desc == ("classvar",):
            continue
        kw = field_call(node.value) or {}
        init = kw.get("init")
        entry = {"group": cls.name, "origin": origin, "_line": f"{mod.rel}:{node.lineno}"}
        if isinstance(init, ast.Constant) and init.value is False:
            entry["_init"] = False
        entry.update(keyspec.key_spec(desc))
        try:
            has, value = default_of(sources, mod, node.value)
            if has:
                entry["default"] = keyspec.json_value(value)
            else:
                entry["required"] = True
        except (Unknown, ValueError):
            pass  # computed at import time (e.g. transformers' default optimizer depends on torch): no static default
        meta = kw.get("metadata")
        if isinstance(meta, ast.Dict):
            for k, v in zip(meta.keys, meta.values):
                key = k.value if isinstance(k, ast.Constant) else None
                try:
                    if key == "help":
                        entry["help"] = str(evaluate(sources, mod, v))
                    elif key == "choices" and entry["type"] != "choice":
                        # Evaluated first: choices computed at import time (log levels) leave the plain type.
                        choices = [keyspec.json_value(c) for c in evaluate(sources, mod, v)]
                        entry["type"], entry["choices"] = "choice", choices
                except (Unknown, ValueError, TypeError):
                    pass
        out.append((node.target.id, entry))
    return out


def dataclass_fields(sources, mod, cls, origin_of):
    """All init fields in dataclass order (bases first, most-derived definition wins), like dataclasses.fields()."""
    merged = {}
    for m, c in reversed(c3(sources, mod, cls)):
        if not is_dataclass(c):
            continue
        for name, entry in own_fields(sources, m, c, origin_of(m)):
            merged[name] = entry
    return [(n, e) for n, e in merged.items() if e.get("_init", True)]


# --- the checkout ----------------------------------------------------------------------------------------------------

def read_checkout(root):
    pyproject = os.path.join(root, "pyproject.toml")
    if not os.path.isfile(pyproject):
        raise SourceError(f"{root} has no pyproject.toml: not a LLaMA-Factory checkout")
    with open(pyproject, encoding="utf-8") as f:
        text = f.read()
    pin = re.search(r'"transformers([^";]*)', text)
    version = None
    env_py = os.path.join(root, "src", "llamafactory", "extras", "env.py")
    if os.path.isfile(env_py):
        with open(env_py, encoding="utf-8") as f:
            m = re.search(r'^VERSION\s*=\s*"([^"]+)"', f.read(), re.M)
            version = m.group(1) if m else None
    return {"pin": pin.group(1).strip() if pin else None, "version": version}


def git_commit(root):
    try:
        out = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip() if out.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", out.stdout.strip()) else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def transformers_version(pkg):
    text = pkg.read("transformers/__init__.py") or ""
    m = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M)
    if not m:
        raise SourceError("cannot find transformers.__version__ in transformers/__init__.py")
    return m.group(1)


def _vkey(v):
    parts = re.findall(r"\d+", v)[:3]
    return tuple(int(p) for p in parts) + (0,) * (3 - len(parts))


def satisfies(version, pin):
    """PEP 440 comparisons over release numbers, enough for LLaMA-Factory's pins (>=, <=, <, >, ==, !=)."""
    for clause in (pin or "").split(","):
        m = re.match(r"\s*(>=|<=|==|!=|<|>)\s*([\w.]+)", clause)
        if not m:
            continue
        op, ref = m.group(1), _vkey(m.group(2))
        v = _vkey(version)
        ok = {">=": v >= ref, "<=": v <= ref, "==": v == ref, "!=": v != ref, "<": v < ref, ">": v > ref}[op]
        if not ok:
            return False
    return True


def command_lists(sources):
    parser = sources.module("llamafactory.hparams.parser")
    if parser is None:
        raise SourceError("src/llamafactory/hparams/parser.py not found")
    lists, cites = {}, {}
    for node in parser.tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            for t in node.targets:
                if isinstance(t, ast.Name) and re.fullmatch(r"_[A-Z_]+_ARGS", t.id):
                    lists[t.id] = [ast.unparse(e) for e in node.value.elts]
                    cites[t.id] = f"src/{parser.rel}:{node.lineno}"
    return parser, lists, cites


def build(lf_root, tf_location, commit=None, removed_file=None):
    meta = read_checkout(lf_root)
    lf = Package("llamafactory", os.path.join(lf_root, "src"))
    tf = Package("transformers", tf_location)
    tf_version = transformers_version(tf)
    sources = Sources([lf, tf])
    parser, lists, cites = command_lists(sources)

    def origin_of(m):
        return "transformers" if m.dotted.startswith("transformers") else "llamafactory"

    def fields_of(cls_name):
        r = sources.resolve(parser, cls_name)
        if not r or r[0] != "class":
            raise SourceError(f"dataclass {cls_name} (listed in parser.py) not found in the sources")
        return dataclass_fields(sources, r[1], r[2], origin_of)

    keys = keyspec.command_keys(lists, fields_of)
    for entry in keys.values():
        entry.pop("_init", None)
        line = entry.pop("_line")
        entry["source"] = ("src/" if entry["origin"] == "llamafactory" else "") + line
    catalogue = {
        "format": keyspec.FORMAT,
        "llamafactory": {"version": meta["version"], "commit": commit or git_commit(lf_root)},
        "transformers": {"version": tf_version, "pin": meta["pin"], "withinPin": satisfies(tf_version, meta["pin"])},
        "commands": keyspec.commands_block(lists, cites),
        "keys": keys,
    }
    if removed_file:
        with open(removed_file, encoding="utf-8") as f:
            removed = json.load(f)
        stale = sorted(k for k, v in removed.get("keys", {}).items()
                       if v.get("by") == "llamafactory" and keys.get(k, {}).get("origin") == "llamafactory")
        if stale:
            raise SourceError(f"{removed_file} lists keys this checkout still has: {', '.join(stale)}")
        # A replacement LLaMA-Factory names must exist in this checkout, or the hint would send the user to another dead key.
        dead = sorted(k for k, v in removed.get("keys", {}).items()
                      if v.get("by") == "llamafactory" and v.get("replacement") and v["replacement"] not in keys)
        if dead:
            raise SourceError(f"{removed_file}: replacements missing from this checkout for {', '.join(dead)}")
        catalogue["removed"] = removed.get("keys", {})
        catalogue["removedValues"] = removed.get("values", {})
    return catalogue


WIDGET_EMPTY = {"Checkbox": False, "Textbox": "", "Dropdown": None, "Radio": None, "Number": None}


def form_defaults(sources):
    """Each LlamaBoard form element's initial value ("train.learning_rate": "5e-5"), read from the gr.* calls in
    webui/components/{top,train,eval}.py: what a saved form holds for an element the person never touched, and what an
    older saved form lacks (runner.py reads every element)."""
    out = {}
    for tab in ("top", "train", "eval"):
        mod = sources.module(f"llamafactory.webui.components.{tab}")
        if mod is None:
            raise SourceError(f"src/llamafactory/webui/components/{tab}.py not found")
        for node in ast.walk(mod.tree):
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
                continue
            call = node.value
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and getattr(call.func.value, "id", "") == "gr"):
                continue
            widget = call.func.attr
            if widget not in WIDGET_EMPTY and widget != "Slider":
                continue
            kw = {k.arg: k.value for k in call.keywords}
            if kw.get("visible") is not None and isinstance(kw["visible"], ast.Constant) and kw["visible"].value is False:
                continue  # hidden state (progress bars, resume flags), not a form value
            try:
                if "value" in kw:
                    value = evaluate(sources, mod, kw["value"])
                elif widget == "Slider":
                    value = evaluate(sources, mod, kw["minimum"])
                else:
                    value = [] if isinstance(kw.get("multiselect"), ast.Constant) and kw["multiselect"].value else WIDGET_EMPTY[widget]
            except Unknown:
                continue  # computed when the page is built (the stage list, device count, hub): the runner's own default applies
            out[f"{tab}.{node.targets[0].id}"] = keyspec.json_value(value)
    return out


def llamaboard_tables(sources, commit):
    """What LlamaBoard's runner needs to turn a saved form into arguments (webui/runner.py _parse_train_args): the model
    table register_model_group() fills (extras/constants.py: name -> hub paths, multimodal), TRAINING_STAGES,
    PEFT_METHODS, and webui/common.py's folder names."""
    constants = sources.module("llamafactory.extras.constants")
    common = sources.module("llamafactory.webui.common")
    if constants is None or common is None:
        raise SourceError("src/llamafactory/extras/constants.py or webui/common.py not found (needed for --llamaboard-out)")
    models = {}
    for node in constants.tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "register_model_group"):
            continue
        kw = {k.arg: k.value for k in call.keywords}
        multimodal = isinstance(kw.get("multimodal"), ast.Constant) and kw["multimodal"].value is True
        for name_node, paths in zip(kw["models"].keys, kw["models"].values):
            entry = {}
            for src, path in zip(paths.keys, paths.values):
                entry[{"DEFAULT": "hf", "MODELSCOPE": "ms", "OPENMIND": "om"}[src.attr]] = evaluate(sources, constants, path)
            if multimodal:
                entry["multimodal"] = True
            models[evaluate(sources, constants, name_node)] = entry
    def value(mod, name):
        r = sources.resolve(mod, name)
        if not r or r[0] != "value":
            raise SourceError(f"{name} not found in {mod.rel}")
        return evaluate(sources, r[1], r[2])
    stages_node = sources.resolve(constants, "TRAINING_STAGES")[2]
    return {
        "format": keyspec.FORMAT,
        "llamafactory": {"commit": commit},
        "models": models,
        # [label, stage] in the dict's order: the first is the form's default stage (components/train.py: stages[0]).
        "trainingStages": [[evaluate(sources, constants, k), evaluate(sources, constants, v)] for k, v in zip(stages_node.keys, stages_node.values)],
        "defaults": form_defaults(sources),
        "peftMethods": sorted(value(constants, "PEFT_METHODS")),
        "saveDir": value(common, "DEFAULT_SAVE_DIR"),
        "cacheDir": value(common, "DEFAULT_CACHE_DIR"),
        "userConfig": value(common, "USER_CONFIG"),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--llamafactory", required=True, help="LLaMA-Factory checkout (pyproject.toml, src/llamafactory)")
    ap.add_argument("--transformers", required=True, help="a transformers wheel, or a folder holding transformers/")
    ap.add_argument("--commit", help="the checkout's commit when it is not a git checkout")
    ap.add_argument("--removed", help="removed/renamed keys table (JSON) to merge in")
    ap.add_argument("--out", help="write here instead of stdout")
    ap.add_argument("--llamaboard-out", help="also write LlamaBoard's model and stage tables (resources/llamafactory/llamaboard.json)")
    args = ap.parse_args(argv)
    try:
        catalogue = build(args.llamafactory, args.transformers, args.commit, args.removed)
    except SourceError as e:
        print(f"gen-llamafactory-keys: {e}", file=sys.stderr)
        return 1
    if args.llamaboard_out:
        try:
            lf = Package("llamafactory", os.path.join(args.llamafactory, "src"))
            tables = llamaboard_tables(Sources([lf]), catalogue["llamafactory"]["commit"])
        except SourceError as e:
            print(f"gen-llamafactory-keys: {e}", file=sys.stderr)
            return 1
        with open(args.llamaboard_out, "w", encoding="utf-8") as f:
            f.write(keyspec.dump(tables))
    if not catalogue["transformers"]["withinPin"]:
        print(f"gen-llamafactory-keys: note: transformers {catalogue['transformers']['version']} is outside the pin "
              f"{catalogue['transformers']['pin']}", file=sys.stderr)
    text = keyspec.dump(catalogue)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
