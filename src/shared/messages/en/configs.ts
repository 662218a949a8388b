/** What the configs domain says about a config: syntax, keys, types, LLaMA-Factory's start-up checks, the files it names. */
export const configs = {
  // Fragments nested in the messages below (a Message parameter is worded in the same language as its frame).
  'config.hint.didYouMean': ' Did you mean {near}?',
  'config.hint.relative': ' ("{value}" resolves against the folder the trainer runs in, {workDir})',
  'config.hint.installed': ' ({versions}, installed for this trainer.)',
  'config.hint.removed': ' {removed}',
  'config.removed.replaced': '{who} replaced {what} with {replacement} ({where}){note}.',
  'config.removed.removed': '{who} removed {what} ({where}){note}.',
  'config.removed.note': ': {note}',

  // Reading the text (parseConfig.ts, screenText.ts)
  'config.parse.refused': 'This file is {why}.',
  'config.refused.binary': 'not text (binary content): a config is a YAML or JSON text file',
  'config.refused.nesting': 'nested more than {max} levels deep: no LLaMA-Factory config is, so it is not read',
  'config.refused.aliases': 'built on YAML aliases (*name) that would expand without bound (a "billion laughs" file): more than {max} expansions',
  'config.refused.unreadable': 'not readable as a config: {detail}',

  // Why an import skips a file (gatherFiles.ts, taskService.ts import).
  'config.skip.notUtf8': 'not text: it is not valid UTF-8 (LLaMA-Factory reads configs as UTF-8)',
  'config.skip.linkNotRegular': 'not a regular file (it links to a pipe, device or socket)',
  'config.skip.linkNotConfig': 'a link to {target}, which is not a .yaml, .yml or .json config',
  'config.skip.notFound': 'file not found',
  'config.skip.cannotRead': 'cannot read it: {code}',
  'config.skip.isFolder': 'is a folder; name the config files',
  'config.skip.notRegular': 'not a regular file (a pipe, device or socket)',
  'config.skip.tooLarge': 'larger than 2 MB: not a config',
  'config.skip.tooMany': 'more than {max} files in one import',
  'config.skip.emptyFolder': 'the folder has no .yaml, .yml or .json files',
  'config.skip.notConfigName': 'not a .yaml, .yml or .json file',
  'config.skip.alreadyImported': 'already imported (same file, same content)',
  'config.skip.list': 'a list, not a mapping of config keys (a dataset file?)',
  'config.skip.noKeyValue': 'not a LLaMA-Factory config: no `key: value` lines',
  'config.skip.tokenDescriptions': 'a special-token description file (new_special_tokens_config), not a task',
  'config.skip.deepspeed': 'a DeepSpeed config (referenced by a training config, not a task)',
  'config.skip.accelerate': 'an accelerate/FSDP config, not a task',
  'config.skip.datasetRegistry': 'a dataset registry (dataset_info.json), not a task',
  'config.skip.noKeys': 'no LLaMA-Factory keys in it',
  'config.skip.noKnownKey': 'not a LLaMA-Factory config: no line starts with a key LLaMA-Factory knows',
  'config.parse.json': 'JSON syntax error: {detail}',
  'config.parse.yaml': 'YAML syntax error: {detail}',
  'config.parse.empty': 'The file is empty: a config is a mapping of keys to values.',
  'config.parse.notMapping': 'The top level must be a mapping of keys to values (key: value), not a list or a single value.',

  // What kind of file it is (validateConfig.ts)
  'config.llamaboardState':
    'This is a LlamaBoard UI-state file (llamaboard_config.yaml: top.*/train.*/eval.* keys), not a config llamafactory-cli can run. Import it into Trainyard to convert it, or use training_args.yaml from the same folder.',
  'config.tokenDescriptions':
    'This is a special-token description file ("<token>": "description"), not a config llamafactory-cli runs: a training config points new_special_tokens_config at it (src/llamafactory/hparams/model_args.py:83-92).',

  // Keys (checkKeys.ts); {unused} is HfArgumentParser's own sentence, as LLaMA-Factory prints it.
  'config.key.megatron':
    '{keys} is a Megatron key: LLaMA-Factory reads it only when started with USE_MEGATRON_BRIDGE=1 (MegatronBridgeArguments, src/llamafactory/hparams/parser.py:94) or USE_MCA=1 (mcore_adapter); a plain llamafactory-cli train stops with "{unused}".',
  'config.key.megatronMany':
    '{keys} are Megatron keys: LLaMA-Factory reads them only when started with USE_MEGATRON_BRIDGE=1 (MegatronBridgeArguments, src/llamafactory/hparams/parser.py:94) or USE_MCA=1 (mcore_adapter); a plain llamafactory-cli train stops with "{unused}".',
  'config.key.ktConfig':
    'kt_config is read in training only by transformers-kt\'s TrainingArguments, which use_kt: true requires (src/llamafactory/hparams/parser.py:257-260, model_args.py:572-573); with stock transformers LLaMA-Factory stops with "{unused}".',
  'config.key.otherCommand': '{key} is not read by {command} (only by {commands}): LLaMA-Factory stops with "{unused}".',
  'config.key.removed': 'Unknown key {key}: LLaMA-Factory stops with "{unused}". {removed}',
  'config.key.removedMaybe': '{removed} Older versions may still accept it; {versions} stops with "{unused}".',
  'config.key.envVar': '{key} is an environment variable, not a config key: LLaMA-Factory stops with "{unused}". Trainyard sets the launch environment itself.',
  'config.key.unknown': 'Unknown key {key}: LLaMA-Factory stops with "{unused}".{installed}{hint}',
  'config.key.required': 'Missing required key {key}: {group} has no default for it.',
  'config.key.requiredFor': 'Missing required key {key} for a {kind} config: {group} has no default for it.',
  'config.key.requiredModel':
    'Missing required key model_name_or_path: LLaMA-Factory stops with "Please provide `model_name_or_path`." (src/llamafactory/hparams/model_args.py:207-208).',

  // Values (checkTypes.ts)
  'config.type.empty': '{key} is empty; LLaMA-Factory passes None instead of its default ({default}).',
  'config.type.boolNumber': '{key}: {shown} is read as {bool}; write {bool}.',
  'config.type.boolYaml11': "{key}: LLaMA-Factory's YAML loader reads {value} as {bool}; write {bool}.",
  'config.type.boolQuoted': '{key} is the string "{value}" (quoted): any non-empty string counts as true. Write {bool} without quotes.',
  'config.type.bool': '{key} must be true or false, got {shown}.',
  'config.type.intFloat': '{key} is an integer; {shown} is a float to Python. Write {value}.',
  'config.type.intQuoted': '{key} is the string "{value}" (quoted); LLaMA-Factory expects a number. Write {fixed} without quotes.',
  'config.type.int': '{key} must be a whole number, got {shown}.',
  'config.type.floatQuoted': "{key} is the string \"{value}\" (quoted); LLaMA-Factory's YAML loader keeps it a string. Write {fixed} without quotes.",
  'config.type.number': '{key} must be a number, got {shown}.',
  'config.type.choice': '{key}: "{value}" is not one of {choices}.{hint}',
  'config.type.singleNotList': '{key} must be a single value, got a list.',
  'config.type.singleNotMapping': '{key} must be a single value, got a mapping.',
  'config.type.list': '{key} must be a list, got {shown}.',
  'config.type.mapping': '{key} must be a mapping, got {shown}.',

  // LLaMA-Factory's start-up checks (lfRules.ts): {says} is its exception text, verbatim.
  'config.lfRule': 'LLaMA-Factory stops at start-up: "{says}" ({cite}).',

  // Facts worth knowing before the run (validateConfig.ts)
  'config.note.doTrain': 'do_train is not set (false by default): llamafactory-cli train would load the model and exit without training.',
  'config.note.outputDir': 'output_dir is not set: transformers writes to trainer_output in the folder the trainer runs in ({dir}).',
  'config.note.evalIntoAdapter': "output_dir is the adapter's folder ({dir}): evaluation results land in the training run's folder. Use a separate output_dir.",
  'config.note.evalIntoAdapterOverwrite':
    "output_dir is the adapter's folder ({dir}): evaluation results, with overwrite_output_dir on, land in the training run's folder. Use a separate output_dir.",
  'config.note.loraIgnored': 'LoRA keys are ignored with finetuning_type: full.',

  // Files the config names (checkFiles.ts)
  'config.dataset.online': 'dataset_dir is ONLINE: {names} are loaded from the Hub by name.',
  'config.dataset.remote': 'dataset_info.json comes from the Hub repo {repo}; names are checked when the run starts.',
  'config.dataset.noInfo':
    'dataset_info.json not found in {dir} (dataset_dir "{value}" resolves against the folder the trainer runs in, {workDir}). Set dataset_dir to the folder that holds it.',
  'config.dataset.badInfo': '{file} is not valid JSON: {detail}',
  'config.dataset.unknown': 'Dataset "{name}" is not in {file}.{hint}',
  'config.dataset.noFile': 'Dataset "{name}": its file {file} does not exist.',
  'config.model.windowsPath': 'model_name_or_path {path} is a Windows path; it does not exist on this machine.',
  'config.model.placeholder': 'model_name_or_path {path} is a placeholder: write the folder of your model.',
  'config.model.notYet': 'Model folder {path} does not exist (yet){relative}.',
  'config.model.missing': 'Model folder {path} does not exist.',
  'config.model.noConfig': '{path} has no config.json; is it a model folder?',
  'config.model.notCached': '{id} is not in the Hugging Face cache ({cache}); it will be downloaded on the first run.',
  'config.adapter.empty':
    'adapter_name_or_path is empty: LLaMA-Factory splits it into one adapter named "" and fails to load it (src/llamafactory/hparams/model_args.py:210-211). Remove the key to train without an adapter.',
  'config.adapter.windowsPath': 'Adapter {path} is a Windows path; it does not exist on this machine.',
  'config.adapter.notYet': 'Adapter folder {path} does not exist (yet){relative}.',
  'config.deepspeed.missing':
    'DeepSpeed config {path} does not exist (deepspeed "{value}" resolves against the folder the trainer runs in, {workDir}). Paths like examples/deepspeed/… are relative to a LLaMA-Factory checkout: set the LLaMA-Factory folder in Settings → Trainer, or give an absolute path.',
  'config.file.notRegular': '{path} is not a regular file (a pipe, a device or a folder): Trainyard does not read it, and LLaMA-Factory cannot use it. Point the config at the real file.',
  'config.file.tooLarge': '{path} is larger than 32 MB: Trainyard does not read it. Is it the right file?',
  'config.file.unreadable': '{path} exists but cannot be read (check its permissions).',
  'config.deepspeed.badJson': 'DeepSpeed config {path} is not valid JSON: {detail}',
  'config.deepspeed.torchrun': 'DeepSpeed config {path}: runs under torchrun; Trainyard launches it with FORCE_TORCHRUN=1.',

  // A config with errors kept off the board (scheduler/board.ts); {issue} is its first error.
  'config.blocked.fit': 'Fix the config first: {issue}',
  'config.blocked.hasErrors': 'it has errors',
  'config.blocked.queueOne': '"{task}" has 1 error: {issue} Fix it before queueing.',
  'config.blocked.queueMany': '"{task}" has {n} errors: {issue} Fix them before queueing.',

  // The VRAM estimate's tooltip (vramEstimate.ts): what it assumed, and the parts it adds up.
  'estimate.gpu': '1 GPU',
  'estimate.gpus': '{n} GPUs',
  'estimate.note.guessed': 'Parameter count ({billions}B) guessed from the model name: config.json was not found.',
  'estimate.note.qlora': '{bits}-bit quantized base weights (QLoRA); embeddings stay 16-bit.',
  'estimate.note.zero3': 'ZeRO-3 over {gpus}{offload}.',
  'estimate.note.paramsOffloaded': ', parameters offloaded to CPU',
  'estimate.note.optimizerOffloaded': 'Optimizer states offloaded to CPU memory.',
  'estimate.note.zero1': 'ZeRO-1 shards optimizer states over {gpus}.',
  'estimate.note.zero2': 'ZeRO-{stage} shards gradients and optimizer states over {gpus}.',
  'estimate.note.noCheckpointing': 'Gradient checkpointing is off: activations of every layer are kept.',
  'estimate.note.scaledOne': 'Scaled by {ratio}: measured peaks of {runs} past run of this model and method.',
  'estimate.note.scaledMany': 'Scaled by {ratio}: measured peaks of {runs} past runs of this model and method.',
  'estimate.part.cuda': 'CUDA context',
  'estimate.part.weights16': 'weights (16-bit)',
  'estimate.part.frozen': 'frozen base weights',
  'estimate.part.trainable': 'trainable {method} weights (fp32)',
  'estimate.part.gradients': 'gradients',
  'estimate.part.master': 'fp32 master weights',
  'estimate.part.optimizer': 'optimizer states ({optim})',
  'estimate.part.activations': 'activations ({batch}×{cutoff} tokens)',
  'estimate.part.activationsCheckpointed': 'activations ({batch}×{cutoff} tokens, checkpointed)',
  'estimate.part.eager': 'attention scores (eager)',
  'estimate.part.logitsLoss': 'logits and loss',
  'estimate.part.kvCache': 'KV cache ({batch}×{seq} tokens)',
  'estimate.part.logits': 'logits',
  'estimate.part.reserve': 'allocator reserve',
} as const;
