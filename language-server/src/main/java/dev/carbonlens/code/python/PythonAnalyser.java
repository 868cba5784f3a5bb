package dev.carbonlens.code.python;

import dev.carbonlens.code.SourceAnalyser;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.extract.FixWriter;
import dev.carbonlens.extract.Setting;
import dev.carbonlens.extract.Settings;
import dev.carbonlens.extract.TextEdit;
import dev.carbonlens.extract.TrainingArguments;
import dev.carbonlens.limits.Budget;
import dev.carbonlens.limits.LimitExceededException;
import dev.carbonlens.model.Checkpointing;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Sweep;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.treesitter.TSNode;

/**
 * Python training scripts read into runs: Hugging Face (TrainingArguments and the TRL configs,
 * Trainer callbacks, from_pretrained, PEFT), raw PyTorch loops (autocast, GradScaler, the epoch
 * loop, DataLoader), Lightning and Accelerate, and sweeps (optuna, scikit-learn, Ray Tune).
 * Values are followed to module constants and argparse defaults; a fact's range is where the
 * value is used. One run per training setup: each TrainingArguments-like call, each Lightning
 * Trainer, else one for the file's training loop or sweep. Named options ({@link Options}): the
 * training DataLoader's workers (PyTorch's default 0 when unwritten, on GPU scripts), torch and
 * Lightning profilers, `gradient_checkpointing_enable()`, TF32 switches, classification heads and
 * `num_labels`, and optimizer offload (DeepSpeed plugin/strategy, inline DeepSpeed dicts, FSDP);
 * code under a condition that is not true as written is not evidence.
 */
public final class PythonAnalyser implements SourceAnalyser {
  public static final String FORMAT = "python";
  /** Files kept for incremental re-parsing: the editor's open scripts, a handful at a time. */
  private static final int RECENT_TREES = 16;

  private final ParsedTrees trees = new ParsedTrees(PyFile.LANGUAGE, RECENT_TREES);
  /** Let a reader's failure through instead of reporting no run: what a fuzzer needs to see the bug. */
  private final boolean strict;

  public PythonAnalyser() {
    this(false);
  }

  /** {@code strict}: a failure of the code readers throws (for fuzzing); the editor and check use the lenient one. */
  public PythonAnalyser(boolean strict) {
    this.strict = strict;
  }

  private static final Set<String> HF_ARGS = Set.of("TrainingArguments", "Seq2SeqTrainingArguments", "SFTConfig",
      "DPOConfig", "ORPOConfig", "KTOConfig", "CPOConfig", "GRPOConfig", "RewardConfig");
  private static final Set<String> HF_TRAINERS = Set.of("Trainer", "Seq2SeqTrainer", "SFTTrainer", "DPOTrainer",
      "ORPOTrainer", "KTOTrainer", "CPOTrainer", "GRPOTrainer", "RewardTrainer");
  private static final Set<String> LIGHTNING_KEYS = Set.of("max_epochs", "min_epochs", "precision", "devices",
      "num_nodes", "accelerator", "strategy", "val_check_interval", "check_val_every_n_epoch",
      "accumulate_grad_batches", "log_every_n_steps", "enable_checkpointing", "max_time", "gradient_clip_val",
      "default_root_dir", "limit_train_batches", "limit_val_batches", "profiler");
  private static final Set<String> HF_TRAINER_KEYS = Set.of("args", "train_dataset", "eval_dataset", "tokenizer",
      "processing_class", "data_collator", "compute_metrics");
  private static final Set<String> OTHER_ADAPTERS = Set.of("PrefixTuningConfig", "PromptTuningConfig", "IA3Config",
      "LoHaConfig", "LoKrConfig", "PromptEncoderConfig", "BOFTConfig", "OFTConfig");
  private static final Set<String> RAY_SAMPLERS = Set.of("uniform", "quniform", "loguniform", "qloguniform", "randn",
      "qrandn", "randint", "qrandint", "lograndint", "choice", "sample_from");
  private static final Set<String> RAY_SCHEDULERS = Set.of("ASHAScheduler", "AsyncHyperBandScheduler",
      "HyperBandScheduler", "MedianStoppingRule", "PopulationBasedTraining", "HyperBandForBOHB");
  private static final Set<String> SKLEARN_SEARCH = Set.of("GridSearchCV", "RandomizedSearchCV",
      "HalvingGridSearchCV", "HalvingRandomSearchCV");
  /** Every call name some reader below looks at; other calls are never looked up in the tree. */
  private static final Set<String> CALL_NAMES = callNames();
  private static final Pattern MODEL_HELPERS = Pattern.compile(".*(Tokenizer|Processor|Config|FeatureExtractor)$");
  private static final double LIGHTNING_DEFAULT_EPOCHS = 1000;

  private static Set<String> callNames() {
    Set<String> names = new java.util.HashSet<>(Set.of("from_pretrained", "autocast", "GradScaler", "half",
        "bfloat16", "to", "Accelerator", "LoraConfig", "AdaLoraConfig", "get_peft_model", "BitsAndBytesConfig",
        "DataLoader", "EarlyStoppingCallback", "EarlyStopping", "ModelCheckpoint", "backward", "step",
        "create_study", "optimize", "GridSampler", "RandomSampler", "should_prune", "grid_search", "Tuner", "run",
        "TuneConfig", "hyperparameter_search", "add_argument", "Trainer", "profile", "gradient_checkpointing_enable",
        "set_float32_matmul_precision", "DeepSpeedPlugin", "DeepSpeedStrategy", "FSDPStrategy"));
    names.addAll(HF_ARGS);
    names.addAll(HF_TRAINERS);
    names.addAll(OTHER_ADAPTERS);
    names.addAll(RAY_SAMPLERS);
    names.addAll(RAY_SCHEDULERS);
    names.addAll(SKLEARN_SEARCH);
    return Set.copyOf(names);
  }

  @Override
  public boolean handles(String fileName) {
    return fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".py");
  }

  @Override
  public Result analyse(String fileName, String text, ReferenceData reference) {
    if (text == null) {
      return new Result(List.of(), List.of());
    }
    PyFile file;
    try {
      file = new PyFile(text, fileName, CALL_NAMES, trees);
    } catch (LimitExceededException e) {
      return new Result(List.of(), List.of(), List.of(e.notice()));
    } catch (RuntimeException | LinkageError e) {
      Budget.rethrowIfStop(e);
      return new Result(List.of(), List.of(new ParseProblem("Could not parse Python: " + e.getMessage(),
          SourceRange.NONE)));
    }
    List<ParseProblem> problems = file.problem == null ? List.of() : List.of(file.problem);
    try {
      return new Result(new Reading(fileName, file, reference).runs(), problems);
    } catch (RuntimeException e) {
      Budget.rethrowIfStop(e);
      if (strict) {
        throw e;
      }
      // A shape of code no reader expected: keep the syntax problems, report no run rather than fail.
      return new Result(List.of(), problems);
    }
  }

  /** Everything read from one file, then assembled into runs. */
  private static final class Reading {
    private final String fileName;
    private final PyFile file;
    private final ReferenceData reference;
    private final boolean importsLightningTrainer;
    private final boolean importsHfTrainer;

    private Setting model;
    private Setting dtype;
    private boolean fourBit;
    private PrecisionChoice codePrecision;
    private PyFile.Call accelerator;
    private PrecisionChoice acceleratePrecision;
    private FineTuning fineTuning;
    private Integer batch;
    private Sweep sweep;
    private PyFile.Call hfEarlyStopping;
    private boolean lightningEarlyStopping;
    private PyFile.Call modelCheckpoint;
    private final List<PyFile.Call> trainingCalls = new ArrayList<>();
    private PyFile.ForLoop epochLoop;
    private Schedule loopSchedule;
    // Named options (Options.*) read from the file as a whole.
    private final List<PyFile.Call> dataLoaders = new ArrayList<>();
    private Option profiler;
    private PyFile.Call gcCall;
    private Option fsdpCheckpointing;
    private Option tf32;
    private int tf32At = -1;
    private final List<TSNode> tf32Values = new ArrayList<>();
    private final List<PyFile.Call> matmulPrecisionCalls = new ArrayList<>();
    private Option classification;
    private Option offload;
    private final List<TextEdit> offloadOff = new ArrayList<>();

    Reading(String fileName, PyFile file, ReferenceData reference) {
      this.fileName = fileName;
      this.file = file;
      this.reference = reference;
      this.importsLightningTrainer = imports(file.text, LIGHTNING_IMPORT);
      this.importsHfTrainer = imports(file.text, HF_IMPORT);
    }

    private static final Pattern LIGHTNING_IMPORT = importFrom("(?:pytorch_lightning|lightning(?:\\.pytorch)?)");
    private static final Pattern HF_IMPORT = importFrom("(?:transformers|trl)");
    private static final Pattern TRAINER_NAME = Pattern.compile("\\b\\w*Trainer\\b");

    private static Pattern importFrom(String module) {
      return Pattern.compile("from\\s+" + module + "(?:\\.\\w+)*\\s+import\\s+(\\([^)]*\\)|[^\\n]*)");
    }

    private static boolean imports(String text, Pattern importFrom) {
      Matcher m = importFrom.matcher(text);
      while (m.find()) {
        if (TRAINER_NAME.matcher(m.group(1)).find()) {
          return true;
        }
      }
      return false;
    }

    List<ExtractedRun> runs() {
      List<PyFile.Call> hfArgs = new ArrayList<>();
      List<PyFile.Call> lightning = new ArrayList<>();
      List<PyFile.Call> hfTrainers = new ArrayList<>();
      for (PyFile.Call call : file.calls) {
        String name = call.name();
        if (HF_ARGS.contains(name)) {
          hfArgs.add(call);
        } else if (name.equals("Trainer") && isLightningTrainer(call)) {
          lightning.add(call);
        } else if (HF_TRAINERS.contains(name)) {
          hfTrainers.add(call);
        }
      }
      readFileFacts(hfTrainers);
      List<ExtractedRun> runs = new ArrayList<>();
      for (PyFile.Call call : hfArgs) {
        runs.add(huggingFace(call, runs.size()));
      }
      for (PyFile.Call call : lightning) {
        runs.add(lightning(call, runs.size()));
      }
      if (runs.isEmpty()) {
        SourceRange anchor = loopAnchor(hfTrainers);
        if (anchor != null) {
          runs.add(loop(anchor, runs.size()));
        }
      }
      return runs;
    }

    private boolean isLightningTrainer(PyFile.Call call) {
      String fn = call.fn().replaceAll("\\s", "");
      if (fn.equals("pl.Trainer") || fn.equals("L.Trainer") || fn.contains("lightning.")) {
        return true;
      }
      if (!fn.equals("Trainer")) {
        return false;
      }
      if (importsLightningTrainer) {
        return true;
      }
      if (importsHfTrainer) {
        return false;
      }
      CallSettings kw = new CallSettings(file, call);
      return kw.names().stream().anyMatch(LIGHTNING_KEYS::contains)
          && kw.names().stream().noneMatch(HF_TRAINER_KEYS::contains);
    }

    // ------------------------------------------------------------ facts anywhere in the file

    private void readFileFacts(List<PyFile.Call> hfTrainers) {
      PyFile.Call lora = null;
      PyFile.Call peft = null;
      PyFile.Call otherAdapter = null;
      PyFile.Arg peftArg = null;
      PyFile.Call dataLoader = null;
      List<PrecisionChoice> signals = new ArrayList<>();
      for (PyFile.Call call : file.calls) {
        String name = call.name();
        switch (name) {
          case "from_pretrained" -> readFromPretrained(call);
          case "autocast" -> autocast(call).ifPresent(signals::add);
          case "GradScaler" -> signals.add(new PrecisionChoice(Precision.FP16, true, file.range(call.fnNode())));
          case "half" -> {
            if (call.fn().contains(".") && file.args(call).isEmpty()) {
              signals.add(new PrecisionChoice(Precision.FP16, true, file.range(call.node())));
            }
          }
          case "bfloat16" -> {
            if (call.fn().contains(".") && file.args(call).isEmpty()) {
              signals.add(new PrecisionChoice(Precision.BF16, true, file.range(call.node())));
            }
          }
          case "to" -> castTo(call).ifPresent(signals::add);
          case "Accelerator" -> {
            if (accelerator == null) {
              accelerator = call;
              new CallSettings(file, call).get("mixed_precision").ifPresent(s -> acceleratePrecision = mixed(s));
            }
          }
          case "LoraConfig", "AdaLoraConfig" -> lora = lora == null ? call : lora;
          case "get_peft_model" -> peft = peft == null ? call : peft;
          case "BitsAndBytesConfig" -> fourBit |= new CallSettings(file, call).isTrue("load_in_4bit");
          case "DataLoader" -> {
            dataLoader = dataLoader == null ? call : dataLoader;
            dataLoaders.add(call);
          }
          case "profile" -> readProfiler(call);
          case "gradient_checkpointing_enable" -> {
            if (gcCall == null && call.fn().contains(".") && file.unconditional(call.node())) {
              gcCall = call;
            }
          }
          case "set_float32_matmul_precision" -> readMatmulPrecision(call);
          case "DeepSpeedPlugin" -> readDeepSpeedPlugin(call);
          case "DeepSpeedStrategy" -> readDeepSpeedStrategy(call);
          case "FSDPStrategy" -> readFsdpStrategy(call);
          case "EarlyStoppingCallback" -> hfEarlyStopping = hfEarlyStopping == null ? call : hfEarlyStopping;
          case "EarlyStopping" -> lightningEarlyStopping = true;
          case "ModelCheckpoint" -> {
            if (modelCheckpoint == null && file.kwarg(call, "every_n_train_steps").isPresent()) {
              modelCheckpoint = call;
            }
          }
          case "backward" -> {
            if (call.fn().contains(".")) {
              trainingCalls.add(call);
            }
          }
          case "step" -> {
            String object = call.fn().substring(0, Math.max(0, call.fn().lastIndexOf('.')));
            String last = object.substring(object.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (last.contains("optim") || last.equals("opt") || last.contains("scaler")) {
              trainingCalls.add(call);
            }
          }
          default -> {
            if (OTHER_ADAPTERS.contains(name) && otherAdapter == null) {
              otherAdapter = call;
            }
          }
        }
      }
      for (PyFile.Call trainer : hfTrainers) {
        Optional<PyFile.Arg> arg = file.kwarg(trainer, "peft_config");
        if (arg.isPresent() && !file.resolve(arg.get().value()).kind().equals("none") && peftArg == null) {
          peftArg = arg.get();
        }
        if (model == null) {
          file.kwarg(trainer, "model").ifPresent(a -> {
            PyFile.Value v = file.resolve(a.value());
            if (v.isString()) {
              model = new Setting("model_name_or_path", v.text(), true, file.range(a.nameNode()), file.range(a.value()));
            }
          });
        }
      }
      // bf16 named anywhere wins over fp16 (a GradScaler kept from an fp16 recipe, say).
      codePrecision = signals.stream().filter(p -> p.precision() == Precision.BF16).findFirst()
          .orElse(signals.isEmpty() ? null : signals.get(0));
      fineTuning = fineTuning(lora, peft, otherAdapter, peftArg);
      if (dataLoader != null) {
        batch = file.arg(dataLoader, "batch_size", 1).map(file::intValue).map(Reading::toInt).orElse(null);
      }
      sweep = sweep();
      readEpochLoop();
      readTf32Assignments();
    }

    private static Integer toInt(Long v) {
      return v == null || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? null : v.intValue();
    }

    private void readFromPretrained(PyFile.Call call) {
      String object = call.fn().substring(0, Math.max(0, call.fn().lastIndexOf('.'))).trim();
      String cls = object.substring(object.lastIndexOf('.') + 1);
      readClassification(call, cls);
      if (MODEL_HELPERS.matcher(cls).matches()) {
        return;
      }
      CallSettings kw = new CallSettings(file, call);
      fourBit |= kw.isTrue("load_in_4bit");
      if (model != null) {
        return;
      }
      Optional<TSNode> id = file.arg(call, "pretrained_model_name_or_path", 0);
      if (id.isEmpty()) {
        return;
      }
      PyFile.Value v = file.resolve(id.get());
      if (!v.isString() || v.text().isBlank()) {
        return;
      }
      model = new Setting("model_name_or_path", v.text(), true, file.range(call.fnNode()), file.range(id.get()));
      kw.first("torch_dtype", "dtype").ifPresent(d ->
          dtype = new Setting("torch_dtype", d.text(), d.quoted(), d.keyRange(), d.valueRange()));
    }

    private Optional<PrecisionChoice> autocast(PyFile.Call call) {
      CallSettings kw = new CallSettings(file, call);
      if (kw.get("enabled").map(s -> s.asBoolean().orElse(true) == Boolean.FALSE).orElse(false)) {
        return Optional.empty();
      }
      Optional<Setting> dtypeArg = kw.get("dtype");
      if (dtypeArg.isPresent()) {
        Precision p = dtypePrecision(dtypeArg.get().text());
        return Optional.of(new PrecisionChoice(p == null ? Precision.FP16 : p, true, dtypeArg.get().range()));
      }
      for (PyFile.Arg arg : file.args(call)) {
        if (arg.name() == null) {
          Precision p = dtypePrecision(file.resolve(arg.value()).text());
          if (p != null) {
            return Optional.of(new PrecisionChoice(p, true, file.range(arg.value())));
          }
        }
      }
      // On CUDA autocast defaults to float16.
      return Optional.of(new PrecisionChoice(Precision.FP16, true, file.range(call.fnNode())));
    }

    /** `.to(torch.bfloat16)`, `.to(device, dtype=torch.float16)`. */
    private Optional<PrecisionChoice> castTo(PyFile.Call call) {
      for (PyFile.Arg arg : file.args(call)) {
        if (arg.name() == null || arg.name().equals("dtype")) {
          Precision p = dtypePrecision(file.resolve(arg.value()).text());
          if (p != null && p != Precision.FP32) {
            SourceRange where = arg.name() == null ? file.range(arg.value()) : file.range(arg.nameNode(), arg.value());
            return Optional.of(new PrecisionChoice(p, true, where));
          }
        }
      }
      return Optional.empty();
    }

    private static Precision dtypePrecision(String text) {
      String t = text.toLowerCase(Locale.ROOT);
      if (t.contains("bfloat16") || t.equals("bf16")) {
        return Precision.BF16;
      }
      if (t.contains("float16") || t.endsWith("half") || t.equals("fp16")) {
        return Precision.FP16;
      }
      if (t.contains("float32")) {
        return Precision.FP32;
      }
      return null;
    }

    private static PrecisionChoice mixed(Setting s) {
      return switch (s.lower()) {
        case "bf16" -> new PrecisionChoice(Precision.BF16, true, s.range());
        case "fp16" -> new PrecisionChoice(Precision.FP16, true, s.range());
        case "fp8" -> new PrecisionChoice(Precision.FP8, true, s.range());
        case "no" -> new PrecisionChoice(Precision.FP32, true, s.range());
        default -> null;
      };
    }

    private FineTuning fineTuning(PyFile.Call lora, PyFile.Call peft, PyFile.Call otherAdapter, PyFile.Arg peftArg) {
      if (lora == null && peft == null && otherAdapter == null && peftArg == null) {
        return null;
      }
      String method = lora == null && otherAdapter != null ? "adapter" : fourBit ? "qlora" : "lora";
      Integer rank = null;
      SourceRange where;
      if (lora != null) {
        Optional<PyFile.Arg> r = file.kwarg(lora, "r");
        rank = r.map(a -> toInt(file.intValue(a.value()))).orElse(null);
        where = r.map(a -> file.range(a.nameNode(), a.value())).orElse(file.range(lora.fnNode()));
      } else if (otherAdapter != null) {
        where = file.range(otherAdapter.fnNode());
      } else if (peft != null) {
        where = file.range(peft.fnNode());
      } else {
        where = file.range(peftArg.nameNode(), peftArg.value());
      }
      return new FineTuning(method, rank, where);
    }

    // ------------------------------------------------------------ named options (Options.*)

    /** `from torch.profiler import profile, ...` (also from torch.autograd.profiler). */
    private static final Pattern PROFILE_IMPORT = Pattern.compile(
        "from\\s+torch\\.(?:autograd\\.)?profiler\\s+import\\s+(?:\\([^)]*\\bprofile\\b|[^\\n]*\\bprofile\\b)");
    /** `from torch import profiler`, `import torch.profiler as profiler`. */
    private static final Pattern PROFILER_MODULE_IMPORT = Pattern.compile(
        "from\\s+torch(?:\\.autograd)?\\s+import\\s+[^\\n]*\\bprofiler\\b|import\\s+torch(?:\\.autograd)?\\.profiler\\s+as\\s+profiler\\b");

    /**
     * torch.profiler.profile / torch.autograd.profiler.profile: the profiler records every step it
     * wraps, unless a schedule bounds it (`schedule(wait=1, warmup=1, active=3, repeat=1)`: a few
     * steps, then nothing) or it may not run (`enabled=False`, `if args.profile:`: a condition not true as written).
     */
    private void readProfiler(PyFile.Call call) {
      if (profiler != null) {
        return;
      }
      String fn = call.fn().replaceAll("\\s", "");
      String kind = null;
      if (fn.equals("torch.profiler.profile") || fn.equals("torch.autograd.profiler.profile")) {
        kind = fn.substring(0, fn.length() - ".profile".length());
      } else if ((fn.equals("profiler.profile") || fn.equals("autograd.profiler.profile"))
          && PROFILER_MODULE_IMPORT.matcher(file.text).find()) {
        kind = fn.startsWith("autograd") ? "torch.autograd.profiler" : "torch.profiler";
      } else if (fn.equals("profile") && PROFILE_IMPORT.matcher(file.text).find()) {
        kind = "torch.profiler";
      }
      if (kind == null || !file.unconditional(call.node())) {
        return;
      }
      boolean autograd = kind.contains("autograd");
      Optional<TSNode> enabled = file.arg(call, "enabled", autograd ? 0 : -1);
      if (enabled.isPresent() && !file.resolve(enabled.get()).kind().equals("true")) {
        return; // off, or decided at run time: not evidence of a profiler left on
      }
      Optional<TSNode> schedule = autograd ? Optional.empty() : file.arg(call, "schedule", 1);
      if (schedule.isPresent() && !file.resolve(schedule.get()).kind().equals("none")) {
        PyFile.Call s = file.callOf(file.resolve(schedule.get()).node());
        if (s == null || !s.name().equals("schedule")) {
          return; // a schedule we cannot read
        }
        Long repeat = file.kwarg(s, "repeat").map(a -> file.intValue(a.value())).orElse(0L);
        if (repeat == null || repeat > 0) {
          return; // a bounded number of cycles: the profiler stops recording after them
        }
      }
      profiler = new Option(Options.PROFILER, kind, file.range(call.fnNode()));
    }

    /** Lightning `Trainer(profiler="simple")` or `profiler=PyTorchProfiler(...)`. */
    private Option lightningProfiler(PyFile.Call trainer) {
      Optional<PyFile.Arg> arg = file.kwarg(trainer, "profiler");
      if (arg.isEmpty()) {
        return null;
      }
      PyFile.Value v = file.resolve(arg.get().value());
      String kind = null;
      if (v.isString()) {
        kind = dev.carbonlens.extract.LightningExtractor.profilerKind(v.text());
      } else {
        PyFile.Call made = file.callOf(v.node());
        kind = made == null ? null : dev.carbonlens.extract.LightningExtractor.profilerKind(made.name());
      }
      return kind == null ? null
          : new Option(Options.PROFILER, kind, file.range(arg.get().nameNode(), arg.get().value()));
    }

    /** Lightning `Trainer(strategy="deepspeed_stage_2_offload")`: optimizer states on the CPU (NVMe). */
    private Option lightningStrategyOffload(PyFile.Call trainer, List<TextEdit> off) {
      Optional<PyFile.Arg> arg = file.kwarg(trainer, "strategy");
      if (arg.isEmpty()) {
        return null;
      }
      PyFile.Value v = file.resolve(arg.get().value());
      if (!v.isString()) {
        return null;
      }
      Matcher m = dev.carbonlens.extract.LightningExtractor.OFFLOAD_STRATEGY.matcher(v.text().trim());
      if (!m.matches()) {
        return null;
      }
      off.add(new TextEdit(file.range(v.node()), CallEditor.render(m.group(1))));
      return new Option(Options.OPTIMIZER_OFFLOAD, m.group(2) != null ? "nvme" : "cpu",
          file.range(arg.get().nameNode(), arg.get().value()));
    }

    /** accelerate's `DeepSpeedPlugin(offload_optimizer_device="cpu", offload_param_device="none")`. */
    private void readDeepSpeedPlugin(PyFile.Call call) {
      if (offload != null || !file.unconditional(call.node())) {
        return;
      }
      Option first = null;
      List<TextEdit> edits = new ArrayList<>();
      for (String key : List.of("offload_optimizer_device", "offload_param_device")) {
        Optional<PyFile.Arg> arg = file.kwarg(call, key);
        if (arg.isEmpty()) {
          continue;
        }
        PyFile.Value v = file.resolve(arg.get().value());
        if (!v.isString()) {
          continue;
        }
        String device = v.text().trim().toLowerCase(Locale.ROOT);
        Option o = new Option(Options.OPTIMIZER_OFFLOAD, device, file.range(arg.get().nameNode(), arg.get().value()));
        if (!device.equals("none")) {
          edits.add(new TextEdit(file.range(arg.get().value()), CallEditor.render("none")));
          if (first == null || first.is("none")) {
            first = o;
          }
        } else if (first == null) {
          first = o;
        }
      }
      if (first != null) {
        offload = first;
        offloadOff.addAll(edits);
      }
    }

    /** Lightning `DeepSpeedStrategy(offload_optimizer=True, offload_optimizer_device="nvme")`. */
    private void readDeepSpeedStrategy(PyFile.Call call) {
      if (offload != null || !file.unconditional(call.node())) {
        return;
      }
      CallSettings kw = new CallSettings(file, call);
      for (String[] keys : new String[][] {{"offload_optimizer", "offload_optimizer_device"},
          {"offload_parameters", "offload_params_device"}}) {
        Optional<PyFile.Arg> on = file.kwarg(call, keys[0]);
        if (on.isPresent() && kw.isTrue(keys[0])) {
          String device = kw.get(keys[1]).map(Setting::lower).filter(d -> !d.isEmpty()).orElse("cpu");
          offload = new Option(Options.OPTIMIZER_OFFLOAD, device, file.range(on.get().nameNode(), on.get().value()));
          for (String key : List.of("offload_optimizer", "offload_parameters")) {
            file.kwarg(call, key).filter(a -> kw.isTrue(key))
                .ifPresent(a -> offloadOff.add(new TextEdit(file.range(a.value()), "False")));
          }
          return;
        }
      }
    }

    /** Lightning `FSDPStrategy(cpu_offload=True, activation_checkpointing_policy={Block})`. */
    private void readFsdpStrategy(PyFile.Call call) {
      if (!file.unconditional(call.node())) {
        return; // litgpt's `if devices > 1: strategy = FSDPStrategy(...)`: not evidence for the run as launched
      }
      Optional<PyFile.Arg> cpu = file.kwarg(call, "cpu_offload");
      if (offload == null && cpu.isPresent()) {
        PyFile.Value v = file.resolve(cpu.get().value());
        PyFile.Call made = file.callOf(v.node());
        boolean on = v.kind().equals("true") || (made != null && made.name().equals("CPUOffload")
            && new CallSettings(file, made).isTrue("offload_params"));
        if (on) {
          offload = new Option(Options.OPTIMIZER_OFFLOAD, "cpu", file.range(cpu.get().nameNode(), cpu.get().value()));
          if (v.kind().equals("true")) {
            offloadOff.add(new TextEdit(file.range(cpu.get().value()), "False"));
          }
        }
      }
      for (String key : List.of("activation_checkpointing_policy", "activation_checkpointing")) {
        Optional<PyFile.Arg> arg = file.kwarg(call, key);
        if (fsdpCheckpointing == null && arg.isPresent() && !file.resolve(arg.get().value()).kind().equals("none")) {
          fsdpCheckpointing = new Option(Options.GRADIENT_CHECKPOINTING, "true",
              file.range(arg.get().nameNode(), arg.get().value()));
        }
      }
    }

    /**
     * `TrainingArguments(deepspeed={"zero_optimization": {"offload_optimizer": {"device": "cpu"}}})`:
     * a DeepSpeed config written inline as a dict (a path to a JSON file is read with that file).
     */
    private List<TextEdit> readInlineDeepSpeed(PyFile.Call call, Run.Builder run) {
      Optional<PyFile.Arg> arg = file.kwarg(call, "deepspeed");
      TSNode config = arg.map(a -> file.dictionary(a.value())).orElse(null);
      TSNode zero = config == null ? null : dictValue(config, "zero_optimization");
      zero = zero == null ? null : file.dictionary(zero);
      if (zero == null) {
        return List.of();
      }
      Option first = null;
      List<TextEdit> edits = new ArrayList<>();
      for (String key : List.of("offload_optimizer", "offload_param")) {
        TSNode section = dictValue(zero, key);
        section = section == null ? null : file.dictionary(section);
        TSNode device = section == null ? null : dictValue(section, "device");
        PyFile.Value v = device == null ? null : file.resolve(device);
        if (v == null || !v.isString()) {
          continue;
        }
        String d = v.text().trim().toLowerCase(Locale.ROOT);
        TSNode pair = device.getParent();
        Option o = new Option(Options.OPTIMIZER_OFFLOAD, d,
            file.range(!pair.isNull() && pair.getType().equals("pair") ? pair : v.node()));
        if (!d.equals("none")) {
          edits.add(new TextEdit(file.range(v.node()), CallEditor.render("none")));
        }
        if (first == null || (first.is("none") && !d.equals("none"))) {
          first = o;
        }
      }
      if (first != null && run.option(Options.OPTIMIZER_OFFLOAD) == null) {
        run.option(first);
        return edits;
      }
      return List.of();
    }

    /** The value of `"key": value` in a dict literal, else null. */
    private TSNode dictValue(TSNode dict, String key) {
      for (TSNode pair : file.items(dict)) {
        if (!pair.getType().equals("pair")) {
          continue;
        }
        TSNode k = pair.getChildByFieldName("key");
        if (!k.isNull() && k.getType().equals("string") && PyFile.unquote(file.text(k)).equals(key)) {
          TSNode v = pair.getChildByFieldName("value");
          return v.isNull() ? null : v;
        }
      }
      return null;
    }

    /** `torch.set_float32_matmul_precision("highest")`: TF32 off; `"high"` / `"medium"`: on. */
    private void readMatmulPrecision(PyFile.Call call) {
      Optional<TSNode> arg = file.arg(call, "precision", 0);
      PyFile.Value v = arg.map(file::resolve).orElse(null);
      if (v == null || !v.isString() || !file.unconditional(call.node())) {
        return;
      }
      String precision = v.text().trim().toLowerCase(Locale.ROOT);
      if (!Set.of("highest", "high", "medium").contains(precision)) {
        return;
      }
      matmulPrecisionCalls.add(call);
      matmulTf32(new Option(Options.TF32, String.valueOf(!precision.equals("highest")), file.range(call.node())),
          call.start());
    }

    /** The TF32 switch written last for matmuls wins (cuDNN's only when nothing sets the matmul one). */
    private void matmulTf32(Option o, int at) {
      if (at >= tf32At) {
        tf32 = o;
        tf32At = at;
      }
    }

    /** `torch.backends.cuda.matmul.allow_tf32 = False`, `torch.backends.cudnn.allow_tf32 = False`. */
    private void readTf32Assignments() {
      if (!file.text.contains("allow_tf32")) {
        return;
      }
      Option cudnn = null;
      for (PyFile.Assignment a : file.attributeAssignments("allow_tf32")) {
        boolean matmul = a.target().endsWith("matmul.allow_tf32");
        if (!matmul && !a.target().endsWith("cudnn.allow_tf32")) {
          continue;
        }
        PyFile.Value v = file.resolve(a.right());
        if (!v.kind().equals("true") && !v.kind().equals("false") || !file.unconditional(a.left())) {
          continue;
        }
        tf32Values.add(a.right());
        Option o = new Option(Options.TF32, v.kind(), file.range(a.left(), a.right()));
        if (matmul) {
          matmulTf32(o, a.left().getStartByte());
        } else {
          cudnn = o;
        }
      }
      if (tf32 == null) {
        tf32 = cudnn;
      }
    }

    /**
     * `AutoModelForSequenceClassification.from_pretrained(...)` (any `*ForSequenceClassification`), or
     * `num_labels=N` (N >= 2) in a from_pretrained call: a classification task. `num_labels=1` is regression.
     */
    private void readClassification(PyFile.Call call, String cls) {
      Optional<PyFile.Arg> labels = file.kwarg(call, "num_labels");
      Long n = labels.map(a -> file.intValue(a.value())).orElse(null);
      if (n != null && n < 2) {
        return;
      }
      if (n != null) {
        if (classification == null || !classification.value().matches("\\d+")) {
          classification = new Option(Options.CLASSIFICATION, String.valueOf(n),
              file.range(labels.get().nameNode(), labels.get().value()));
        }
      } else if (classification == null && cls.endsWith("ForSequenceClassification")) {
        classification = new Option(Options.CLASSIFICATION, cls, file.range(call.fnNode()));
      }
    }

    private Optional<PyFile.Call> trainLoader;
    private Optional<Option> workers;

    /** The training DataLoader: one whose dataset, variable or defining function says `train`, else a shuffled one, else the first. */
    private PyFile.Call trainLoader() {
      if (trainLoader == null) {
        trainLoader = Optional.ofNullable(findTrainLoader());
      }
      return trainLoader.orElse(null);
    }

    private PyFile.Call findTrainLoader() {
      for (PyFile.Call c : dataLoaders) {
        if (mentionsTrain(c)) {
          return c;
        }
      }
      for (PyFile.Call c : dataLoaders) {
        if (file.kwarg(c, "shuffle").map(a -> file.resolve(a.value()).kind().equals("true")).orElse(false)) {
          return c;
        }
      }
      return dataLoaders.isEmpty() ? null : dataLoaders.get(0);
    }

    private boolean mentionsTrain(PyFile.Call c) {
      if (file.arg(c, "dataset", 0).map(n -> file.text(n).toLowerCase(Locale.ROOT).contains("train")).orElse(false)) {
        return true;
      }
      TSNode parent = c.node().getParent();
      if (!parent.isNull() && parent.getType().equals("assignment")) {
        TSNode left = parent.getChildByFieldName("left");
        if (!left.isNull() && file.text(left).toLowerCase(Locale.ROOT).contains("train")) {
          return true;
        }
      }
      for (TSNode n = parent; !n.isNull(); n = n.getParent()) {
        if (n.getType().equals("function_definition")) {
          TSNode name = n.getChildByFieldName("name");
          return !name.isNull() && file.text(name).toLowerCase(Locale.ROOT).contains("train");
        }
      }
      return false;
    }

    /**
     * The training loader's worker processes: `num_workers=N` as written (followed to constants and
     * argparse defaults), or PyTorch's default 0 (not stated, at the DataLoader's name) when the call
     * leaves it out and passes no `**kwargs` that could hold it.
     */
    private Optional<Option> workers() {
      if (workers == null) {
        workers = readWorkers();
      }
      return workers;
    }

    private Optional<Option> readWorkers() {
      PyFile.Call loader = trainLoader();
      if (loader == null) {
        return Optional.empty();
      }
      Optional<PyFile.Arg> kw = file.kwarg(loader, "num_workers");
      if (kw.isPresent()) {
        Long n = file.intValue(kw.get().value());
        return n == null || n < 0 ? Optional.empty() : Optional.of(new Option(Options.DATALOADER_WORKERS,
            String.valueOf(n), file.range(kw.get().nameNode(), kw.get().value())));
      }
      Optional<TSNode> positional = file.positional(loader, 5);
      if (positional.isPresent()) {
        Long n = file.intValue(positional.get());
        return n == null || n < 0 ? Optional.empty()
            : Optional.of(new Option(Options.DATALOADER_WORKERS, String.valueOf(n), file.range(positional.get())));
      }
      if (file.hasSplat(loader)) {
        return Optional.empty();
      }
      return Optional.of(new Option(Options.DATALOADER_WORKERS, "0", file.range(loader.fnNode()), false));
    }

    /** A loop script puts its work on a GPU: CUDA named, mixed precision, or Accelerate (not `cpu=True`). */
    private boolean loopUsesGpu() {
      if (codePrecision != null || acceleratePrecision != null) {
        return true;
      }
      if (accelerator != null) {
        return !new CallSettings(file, accelerator).isTrue("cpu");
      }
      return file.text.contains("cuda");
    }

    /**
     * The options read from the file as a whole onto one run; what the run's own call states is kept
     * (a `gradient_checkpointing_enable()` call turns checkpointing on whatever the arguments say).
     * The data-loader workers go only on runs fed by the script's own DataLoader on a GPU.
     */
    private void addOptions(Run.Builder run, boolean ownLoader, boolean gpu) {
      if (profiler != null && run.option(Options.PROFILER) == null) {
        run.option(profiler);
      }
      Option gc = gcCall != null ? new Option(Options.GRADIENT_CHECKPOINTING, "true", file.range(gcCall.node()))
          : fsdpCheckpointing;
      Option writtenGc = run.option(Options.GRADIENT_CHECKPOINTING);
      if (gc != null && (writtenGc == null || !writtenGc.isTrue())) {
        run.option(gc);
      }
      if (tf32 != null && run.option(Options.TF32) == null) {
        run.option(tf32);
      }
      if (classification != null && run.option(Options.CLASSIFICATION) == null) {
        run.option(classification);
      }
      if (offload != null && run.option(Options.OPTIMIZER_OFFLOAD) == null) {
        run.option(offload);
      }
      if (ownLoader && gpu) {
        workers().ifPresent(run::option);
      }
    }

    /**
     * Edits for a {@link ProposedChange.SetOption} on what the file writes outside the run's own call
     * (the loader, checkpointing call, TF32 switches, offload settings); null when part of what
     * states the option cannot be edited (then no fix is offered at all).
     */
    private List<TextEdit> optionEdits(ProposedChange.SetOption o, List<TextEdit> runOffloadOff) {
      List<TextEdit> edits = new ArrayList<>();
      switch (o.name()) {
        case Options.GRADIENT_CHECKPOINTING -> {
          if (Boolean.FALSE.equals(asBoolean(o.value())) && gcCall != null) {
            SourceRange line = file.removableStatement(gcCall.node());
            if (line == null) {
              return null;
            }
            edits.add(new TextEdit(line, ""));
          }
          if (Boolean.FALSE.equals(asBoolean(o.value())) && gcCall == null && fsdpCheckpointing != null) {
            return null;
          }
        }
        case Options.TF32 -> {
          Boolean on = asBoolean(o.value());
          if (on == null) {
            return null;
          }
          for (TSNode value : tf32Values) {
            if (!file.resolve(value).kind().equals(on.toString())) {
              edits.add(new TextEdit(file.range(value), CallEditor.render(on)));
            }
          }
          for (PyFile.Call call : matmulPrecisionCalls) {
            file.arg(call, "precision", 0).ifPresent(arg ->
                edits.add(new TextEdit(file.range(arg), CallEditor.render(on ? "high" : "highest"))));
          }
        }
        case Options.OPTIMIZER_OFFLOAD -> {
          if (o.value().equalsIgnoreCase("none")) {
            edits.addAll(runOffloadOff.isEmpty() ? offloadOff : runOffloadOff);
          }
        }
        default -> {
          // other options are written in the run's own call, if at all
        }
      }
      return edits;
    }

    private static Boolean asBoolean(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      return v.equals("true") ? Boolean.TRUE : v.equals("false") ? Boolean.FALSE : null;
    }

    private static Long asLong(String value) {
      try {
        return Long.valueOf(value.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }

    // ------------------------------------------------------------ sweeps

    private Sweep sweep() {
      Sweep s = optuna();
      if (s == null) {
        s = rayTune();
      }
      if (s == null) {
        s = sklearn();
      }
      if (s == null) {
        s = hfSearch();
      }
      return s;
    }

    private PyFile.Call first(String name) {
      for (PyFile.Call c : file.calls) {
        if (c.name().equals(name)) {
          return c;
        }
      }
      return null;
    }

    private boolean any(Set<String> names) {
      return file.calls.stream().anyMatch(c -> names.contains(c.name()));
    }

    private Sweep optuna() {
      PyFile.Call study = first("create_study");
      PyFile.Call optimize = null;
      for (PyFile.Call c : file.calls) {
        if (c.name().equals("optimize") && (study != null || c.fn().toLowerCase(Locale.ROOT).contains("study"))) {
          optimize = c;
          break;
        }
      }
      if (study == null && optimize == null) {
        return null;
      }
      PyFile.Call grid = first("GridSampler");
      String method = grid != null ? "grid" : first("RandomSampler") != null ? "random" : "bayes";
      Long combinations = null;
      if (grid != null) {
        combinations = file.arg(grid, "search_space", 0).map(file::dictionary).map(this::product).orElse(null);
      }
      Long trials = null;
      SourceRange where = file.range((grid != null ? grid : study != null ? study : optimize).fnNode());
      if (optimize != null) {
        Optional<PyFile.Arg> kw = file.kwarg(optimize, "n_trials");
        Optional<TSNode> n = file.arg(optimize, "n_trials", 1);
        if (n.isPresent()) {
          trials = file.intValue(n.get());
          where = kw.map(a -> file.range(a.nameNode(), a.value())).orElse(file.range(n.get()));
        }
      }
      boolean pruned = (study != null && file.kwarg(study, "pruner").isPresent()) || first("should_prune") != null;
      return new Sweep(method, combinations, trials, pruned, where);
    }

    /** The number of combinations of a grid: the product of its lists' lengths; null when one is unknown. */
    private Long product(TSNode dict) {
      if (dict == null) {
        return null;
      }
      long product = 1;
      int pairs = 0;
      for (TSNode pair : file.items(dict)) {
        if (!pair.getType().equals("pair")) {
          return null;
        }
        TSNode value = pair.getChildByFieldName("value");
        int n = value.isNull() ? -1 : file.length(value);
        if (n < 0) {
          return null;
        }
        product *= n;
        pairs++;
      }
      return pairs == 0 ? null : product;
    }

    private Sweep rayTune() {
      List<PyFile.Call> grids = new ArrayList<>();
      PyFile.Call tuner = null;
      PyFile.Call tuneConfig = null;
      for (PyFile.Call c : file.calls) {
        String fn = c.fn().replaceAll("\\s", "");
        if (c.name().equals("grid_search")) {
          grids.add(c);
        } else if (c.name().equals("Tuner") || fn.equals("tune.run")) {
          tuner = tuner == null ? c : tuner;
        } else if (c.name().equals("TuneConfig")) {
          tuneConfig = tuneConfig == null ? c : tuneConfig;
        }
      }
      if (tuner == null) {
        return null;
      }
      Long combinations = null;
      if (!grids.isEmpty()) {
        long product = 1;
        for (PyFile.Call g : grids) {
          int n = file.arg(g, "values", 0).map(file::length).orElse(-1);
          if (n < 0) {
            product = -1;
            break;
          }
          product *= n;
        }
        combinations = product < 0 ? null : product;
      }
      PyFile.Call samples = tuneConfig != null && file.kwarg(tuneConfig, "num_samples").isPresent() ? tuneConfig : tuner;
      Optional<PyFile.Arg> num = file.kwarg(samples, "num_samples");
      Long numSamples = num.map(a -> file.intValue(a.value())).orElse(null);
      Long trials;
      if (numSamples != null) {
        // Ray repeats the whole grid num_samples times.
        trials = combinations != null ? combinations * numSamples : grids.isEmpty() ? numSamples : null;
      } else {
        trials = grids.isEmpty() ? 1L : combinations;
      }
      boolean random = file.calls.stream().anyMatch(c -> RAY_SAMPLERS.contains(c.name())
          && c.fn().replaceAll("\\s", "").startsWith("tune."));
      boolean searchAlg = (tuneConfig != null && file.kwarg(tuneConfig, "search_alg").isPresent())
          || file.kwarg(tuner, "search_alg").isPresent();
      String method = searchAlg ? "bayes" : !grids.isEmpty() && !random ? "grid" : "random";
      boolean early = any(RAY_SCHEDULERS);
      SourceRange where = num.map(a -> file.range(a.nameNode(), a.value()))
          .orElse(file.range((grids.isEmpty() ? tuner : grids.get(0)).fnNode()));
      return new Sweep(method, combinations, trials, early, where);
    }

    private Sweep sklearn() {
      PyFile.Call search = null;
      for (PyFile.Call c : file.calls) {
        if (SKLEARN_SEARCH.contains(c.name())) {
          search = c;
          break;
        }
      }
      if (search == null) {
        return null;
      }
      boolean grid = search.name().contains("Grid");
      Optional<TSNode> space = file.arg(search, grid ? "param_grid" : "param_distributions", 1);
      Long combinations = space.map(this::grids).orElse(null);
      Long folds = 5L;
      Optional<PyFile.Arg> cv = file.kwarg(search, "cv");
      if (cv.isPresent()) {
        folds = folds(cv.get().value());
      }
      Long trials;
      if (grid) {
        trials = combinations != null && folds != null ? combinations * folds : null;
      } else {
        Long iterations = file.kwarg(search, "n_iter").map(a -> file.intValue(a.value())).orElse(10L);
        trials = iterations != null && folds != null ? iterations * folds : null;
      }
      SourceRange where = file.range(search.fnNode());
      return new Sweep(grid ? "grid" : "random", combinations, trials, search.name().startsWith("Halving"), where);
    }

    /** A dict of lists, or a list of such dicts (sklearn sums the grids). */
    private Long grids(TSNode node) {
      PyFile.Value v = file.resolve(node);
      if (v.kind().equals("dictionary")) {
        return product(v.node());
      }
      if (v.kind().equals("list")) {
        long sum = 0;
        for (TSNode item : file.items(v.node())) {
          Long p = product(file.dictionary(item));
          if (p == null) {
            return null;
          }
          sum += p;
        }
        return sum;
      }
      return null;
    }

    /** cv=5, cv=K (a constant), cv=KFold(n_splits=10) or StratifiedKFold(5). */
    private Long folds(TSNode node) {
      PyFile.Value v = file.resolve(node);
      if (v.kind().equals("integer")) {
        return file.intValue(node);
      }
      PyFile.Call splitter = file.callOf(v.node());
      if (splitter != null) {
        return file.arg(splitter, "n_splits", 0).map(file::intValue).orElse(5L);
      }
      return v.kind().equals("none") ? 5L : null;
    }

    private Sweep hfSearch() {
      PyFile.Call search = first("hyperparameter_search");
      if (search == null) {
        return null;
      }
      Optional<PyFile.Arg> n = file.kwarg(search, "n_trials");
      Long trials = n.map(a -> file.intValue(a.value())).orElse(20L);
      return new Sweep("bayes", null, trials, false,
          n.map(a -> file.range(a.nameNode(), a.value())).orElse(file.range(search.fnNode())));
    }

    // ------------------------------------------------------------ the training loop

    /** The epoch loop: a `for ... in range(N)` that holds the backward/step calls (the outermost one). */
    private void readEpochLoop() {
      if (trainingCalls.isEmpty()) {
        return;
      }
      PyFile.ForLoop best = null;
      TSNode bestStop = null;
      Long bestEpochs = null;
      TSNode bestStart = null;
      for (PyFile.ForLoop loop : file.loops) {
        PyFile.Call range = rangeCall(loop.right());
        if (range == null) {
          continue;
        }
        boolean holdsTraining = trainingCalls.stream().anyMatch(c -> loop.start() <= c.start() && c.end() <= loop.end());
        boolean namedEpoch = file.text(loop.left()).toLowerCase(Locale.ROOT).contains("epoch");
        if (!holdsTraining && !namedEpoch) {
          continue;
        }
        if (best != null && best.start() <= loop.start() && loop.end() <= best.end()) {
          continue; // nested in the loop already chosen
        }
        if (best != null && !(loop.start() <= best.start() && best.end() <= loop.end())) {
          continue; // a later, separate loop: the first one wins
        }
        List<PyFile.Arg> args = file.args(range).stream().filter(a -> a.name() == null).toList();
        if (args.isEmpty()) {
          continue;
        }
        best = loop;
        bestStop = args.size() == 1 ? args.get(0).value() : args.get(1).value();
        bestStart = args.size() == 1 ? null : args.get(0).value();
        bestEpochs = null;
      }
      if (best == null) {
        return;
      }
      epochLoop = best;
      Long stop = file.intValue(bestStop);
      if (stop != null) {
        Long start = bestStart == null ? Long.valueOf(0) : file.intValue(bestStart);
        bestEpochs = start == null ? stop : stop - start;
      }
      if (bestEpochs != null && bestEpochs > 0) {
        String lower = file.text.toLowerCase(Locale.ROOT);
        boolean early = lower.contains("patience") || lower.contains("early_stop") || lower.contains("earlystopping");
        loopSchedule = new Schedule(bestEpochs.doubleValue(), true, file.range(bestStop), null, null, early);
      }
    }

    /** `range(...)`, `trange(...)`, `tqdm(range(...))`: the range call, else null. */
    private PyFile.Call rangeCall(TSNode right) {
      PyFile.Call call = callAt(right);
      if (call == null) {
        return null;
      }
      if (call.fn().equals("range") || call.name().equals("trange")) {
        return call;
      }
      if (call.name().equals("tqdm")) {
        PyFile.Call inner = file.positional(call, 0).map(this::callAt).orElse(null);
        return inner != null && inner.fn().equals("range") ? inner : null;
      }
      return null;
    }

    private PyFile.Call callAt(TSNode node) {
      return file.callOf(node);
    }

    /** Where a run without a TrainingArguments or Lightning Trainer call is anchored; null: no training here. */
    private SourceRange loopAnchor(List<PyFile.Call> hfTrainers) {
      if (epochLoop != null) {
        return file.range(epochLoop.node(), epochLoop.right());
      }
      if (!trainingCalls.isEmpty()) {
        return file.range(trainingCalls.get(0).node());
      }
      if (!hfTrainers.isEmpty()) {
        return file.range(hfTrainers.get(0).fnNode());
      }
      if (sweep != null) {
        return sweep.range();
      }
      return null;
    }

    // ------------------------------------------------------------ runs

    private Stage stage(Run.Builder run) {
      if (sweep != null) {
        return Stage.SWEEP;
      }
      return run.model() != null || fineTuning != null ? Stage.FINE_TUNING : Stage.TRAINING;
    }

    private ModelChoice modelChoice(Setting written) {
      // The model catalogue and the size-from-name reading live behind TrainingArguments.
      Run.Builder scratch = Run.builder(fileName, 0, FORMAT, Stage.TRAINING, written.valueRange());
      TrainingArguments.read(Settings.of(Map.of("model_name_or_path", written)), written.valueRange(), false,
          reference, scratch);
      return scratch.model();
    }

    private ExtractedRun huggingFace(PyFile.Call call, int index) {
      SourceRange anchor = file.range(call.fnNode());
      CallSettings kw = new CallSettings(file, call);
      Map<String, Setting> extra = new LinkedHashMap<>();
      if (model != null) {
        extra.put("model_name_or_path", model);
      }
      if (dtype != null) {
        extra.put("torch_dtype", dtype);
      }
      if (hfEarlyStopping != null) {
        Setting patience = new CallSettings(file, hfEarlyStopping).get("early_stopping_patience")
            .orElse(new Setting("early_stopping_patience", "1", false, file.range(hfEarlyStopping.fnNode()),
                file.range(hfEarlyStopping.fnNode())));
        extra.put("early_stopping_patience", patience);
      }
      Settings settings = Settings.layered(kw, Settings.of(extra));
      Run.Builder run = Run.builder(fileName, index, FORMAT, Stage.TRAINING, anchor);
      TrainingArguments.read(settings, anchor, true, reference, run);
      if (run.precision() != null && run.precision().precision() == Precision.FP32 && !run.precision().stated()
          && codePrecision != null) {
        run.precision(codePrecision);
      }
      if (fineTuning != null) {
        run.fineTuning(fineTuning);
      }
      if (sweep != null) {
        run.sweep(sweep);
      }
      List<TextEdit> offloadOff = readInlineDeepSpeed(call, run);
      addOptions(run, false, false);
      run.stage(stage(run));
      return new ExtractedRun(run.build(), huggingFaceFixes(call, kw, offloadOff));
    }

    private FixWriter huggingFaceFixes(PyFile.Call call, CallSettings kw, List<TextEdit> offloadOff) {
      return change -> {
        List<TextEdit> edits = new ArrayList<>();
        if (change instanceof ProposedChange.SetOption o) {
          List<TextEdit> elsewhere = optionEdits(o, offloadOff);
          if (elsewhere == null) {
            return Optional.empty();
          }
          edits.addAll(elsewhere);
          hfOptionEdit(call, kw, o).ifPresent(edits::add);
        }
        if (change instanceof ProposedChange.UsePrecision p && p.precision() == Precision.BF16) {
          edits.add(CallEditor.set(file, call, "bf16", true));
          if (kw.isTrue("fp16")) {
            edits.add(CallEditor.set(file, call, "fp16", false));
          }
        } else if (change instanceof ProposedChange.UsePrecision p && p.precision() == Precision.FP16) {
          edits.add(CallEditor.set(file, call, "fp16", true));
        } else if (change instanceof ProposedChange.EvaluateEvery e) {
          edits.add(CallEditor.set(file, call, "eval_steps", e.steps()));
        } else if (change instanceof ProposedChange.KeepCheckpoints k) {
          edits.add(CallEditor.set(file, call, "save_total_limit", k.keepLast()));
        }
        return edits.isEmpty() ? Optional.empty() : Optional.of(new Fix(change.title(), List.copyOf(edits)));
      };
    }

    /**
     * The TrainingArguments keyword for an option (as transformers names it), when the call writes it or
     * the option is only ever written there: `gradient_checkpointing=False`, `tf32=True`,
     * `dataloader_num_workers=4`.
     */
    private Optional<TextEdit> hfOptionEdit(PyFile.Call call, CallSettings kw, ProposedChange.SetOption o) {
      return switch (o.name()) {
        case Options.GRADIENT_CHECKPOINTING -> kw.has("gradient_checkpointing") && asBoolean(o.value()) != null
            ? Optional.of(CallEditor.set(file, call, "gradient_checkpointing", asBoolean(o.value()))) : Optional.empty();
        case Options.TF32 -> kw.has("tf32") && asBoolean(o.value()) != null
            ? Optional.of(CallEditor.set(file, call, "tf32", asBoolean(o.value()))) : Optional.empty();
        case Options.DATALOADER_WORKERS -> asLong(o.value()) != null
            ? Optional.of(CallEditor.set(file, call, "dataloader_num_workers", asLong(o.value()))) : Optional.empty();
        default -> Optional.empty();
      };
    }

    private ExtractedRun lightning(PyFile.Call call, int index) {
      SourceRange anchor = file.range(call.fnNode());
      CallSettings kw = new CallSettings(file, call);
      Run.Builder run = Run.builder(fileName, index, FORMAT, Stage.TRAINING, anchor);
      Option trainerProfiler = lightningProfiler(call);
      if (trainerProfiler != null) {
        run.option(trainerProfiler);
      }
      List<TextEdit> strategyOff = new ArrayList<>();
      Option strategyOffload = lightningStrategyOffload(call, strategyOff);
      if (strategyOffload != null) {
        run.option(strategyOffload);
      }
      run.precision(kw.get("precision").filter(s -> !s.isNull()).map(Reading::lightningPrecision)
          .orElse(new PrecisionChoice(Precision.FP32, false, anchor)));
      Optional<Setting> epochs = kw.first("max_epochs");
      Optional<Setting> steps = kw.first("max_steps");
      Double epochCount = epochs.map(Setting::doubleOrNull).orElse(null);
      Long maxSteps = steps.map(Setting::longOrNull).filter(s -> s > 0).orElse(null);
      if (epochCount == null || epochCount >= 0) {
        boolean stated = epochCount != null;
        double planned = stated ? epochCount : maxSteps != null ? 0 : LIGHTNING_DEFAULT_EPOCHS;
        run.schedule(new Schedule(planned, stated, epochs.map(Setting::range).orElse(anchor), maxSteps,
            maxSteps == null ? null : steps.get().range(), lightningEarlyStopping));
      }
      devices(call, kw).ifPresent(run::devices);
      kw.get("val_check_interval").filter(s -> !s.text().contains(".") && s.longOrNull() != null)
          .ifPresent(s -> run.evaluation(new Evaluation("steps", s.longOrNull(), s.range())));
      if (modelCheckpoint != null) {
        CallSettings ckpt = new CallSettings(file, modelCheckpoint);
        Setting every = ckpt.get("every_n_train_steps").get();
        Integer topK = ckpt.intValue("save_top_k");
        Integer keep = topK == null ? Integer.valueOf(1) : topK < 0 ? null : topK;
        run.checkpointing(new Checkpointing("steps", every.longOrNull(), keep, every.range()));
      }
      Integer accumulation = kw.intValue("accumulate_grad_batches");
      addFileFacts(run, accumulation);
      boolean cpu = kw.get("accelerator").map(s -> s.lower().equals("cpu")).orElse(false);
      addOptions(run, true, !cpu);
      return new ExtractedRun(run.build(), lightningFixes(call, kw, strategyOff));
    }

    /** The facts read from the file as a whole (loader batch, model, PEFT, sweep) and the stage they imply. */
    private void addFileFacts(Run.Builder run, Integer accumulation) {
      if (batch != null || accumulation != null) {
        run.workload(new Workload(null, null, null, batch, accumulation));
      }
      if (model != null) {
        run.model(modelChoice(model));
      }
      if (fineTuning != null) {
        run.fineTuning(fineTuning);
      }
      if (sweep != null) {
        run.sweep(sweep);
      }
      run.stage(stage(run));
    }

    private static PrecisionChoice lightningPrecision(Setting s) {
      Precision precision = dev.carbonlens.extract.LightningExtractor.precisionOf(s.text());
      return precision == null ? null : new PrecisionChoice(precision, true, s.range());
    }

    /** devices (int, list, "0,1") x num_nodes; "auto" and -1 stay unknown. */
    private Optional<DeviceCount> devices(PyFile.Call call, CallSettings kw) {
      Optional<PyFile.Arg> arg = file.kwarg(call, "devices");
      Optional<Setting> setting = kw.get("devices");
      if (arg.isEmpty() || setting.isEmpty()) {
        return Optional.empty();
      }
      Integer perNode = null;
      int length = file.length(arg.get().value());
      String text = setting.get().text().trim();
      if (length >= 0) {
        perNode = length;
      } else if (setting.get().quoted() && text.contains(",")) {
        perNode = (int) java.util.Arrays.stream(text.split(",")).filter(p -> !p.isBlank()).count();
      } else if (setting.get().longOrNull() != null && setting.get().longOrNull() > 0
          && setting.get().longOrNull() <= Integer.MAX_VALUE) {
        perNode = setting.get().intOrNull();
      }
      if (perNode == null || perNode < 1) {
        return Optional.empty();
      }
      long nodes = Optional.ofNullable(kw.longValue("num_nodes")).orElse(1L);
      String how = perNode + " per node (devices)" + (nodes > 1 ? " x " + nodes + " nodes (num_nodes)" : "");
      return DeviceCount.of(perNode, nodes, how, setting.get().range());
    }

    private FixWriter lightningFixes(PyFile.Call call, CallSettings kw, List<TextEdit> strategyOff) {
      PyFile.Call checkpoint = modelCheckpoint;
      return change -> {
        TextEdit edit = null;
        if (change instanceof ProposedChange.SetOption o) {
          return optionFix(o, strategyOff, lightningOptionEdit(call, o));
        }
        if (change instanceof ProposedChange.UsePrecision p) {
          edit = CallEditor.set(file, call, "precision", p.precision() == Precision.BF16 ? "bf16-mixed" : "16-mixed");
        } else if (change instanceof ProposedChange.EvaluateEvery e && kw.has("val_check_interval")) {
          edit = CallEditor.set(file, call, "val_check_interval", e.steps());
        } else if (change instanceof ProposedChange.KeepCheckpoints k && checkpoint != null) {
          edit = CallEditor.set(file, checkpoint, "save_top_k", k.keepLast());
        }
        return edit == null ? Optional.empty() : Optional.of(new Fix(change.title(), List.of(edit)));
      };
    }

    /** Lightning: `profiler=None`; the training DataLoader's `num_workers`. */
    private Optional<TextEdit> lightningOptionEdit(PyFile.Call call, ProposedChange.SetOption o) {
      if (o.name().equals(Options.PROFILER) && (o.value().equalsIgnoreCase("none") || o.value().equalsIgnoreCase("null"))) {
        return file.kwarg(call, "profiler").map(a -> new TextEdit(file.range(a.value()), "None"));
      }
      return loaderEdit(o);
    }

    private Optional<TextEdit> loaderEdit(ProposedChange.SetOption o) {
      PyFile.Call loader = trainLoader();
      if (o.name().equals(Options.DATALOADER_WORKERS) && loader != null && asLong(o.value()) != null) {
        return Optional.of(CallEditor.set(file, loader, "num_workers", asLong(o.value())));
      }
      return Optional.empty();
    }

    /** A SetOption's edits: the run's own one plus what the file writes elsewhere; empty when there is nothing to edit. */
    private Optional<Fix> optionFix(ProposedChange.SetOption o, List<TextEdit> runOffloadOff, Optional<TextEdit> own) {
      List<TextEdit> elsewhere = optionEdits(o, runOffloadOff);
      if (elsewhere == null) {
        return Optional.empty();
      }
      List<TextEdit> edits = new ArrayList<>(elsewhere);
      own.ifPresent(edits::add);
      return edits.isEmpty() ? Optional.empty() : Optional.of(new Fix(o.title(), List.copyOf(edits)));
    }

    private ExtractedRun loop(SourceRange anchor, int index) {
      Run.Builder run = Run.builder(fileName, index, FORMAT, Stage.TRAINING, anchor);
      PrecisionChoice precision = codePrecision != null ? codePrecision : acceleratePrecision;
      if (precision == null && dtype != null) {
        precision = Optional.ofNullable(dtypePrecision(dtype.text()))
            .map(p -> new PrecisionChoice(p, true, dtype.range())).orElse(null);
      }
      // Accelerator() without mixed_precision takes it from `accelerate launch` or its config file.
      boolean launchDecides = accelerator != null && acceleratePrecision == null;
      if (precision == null && !trainingCalls.isEmpty() && !launchDecides) {
        precision = new PrecisionChoice(Precision.FP32, false, anchor);
      }
      if (precision != null) {
        run.precision(precision);
      }
      if (loopSchedule != null) {
        run.schedule(loopSchedule);
      }
      Integer accumulation = accelerator == null ? null
          : new CallSettings(file, accelerator).intValue("gradient_accumulation_steps");
      addFileFacts(run, accumulation);
      addOptions(run, true, loopUsesGpu());
      PyFile.Call acc = accelerator;
      FixWriter fixes = change -> {
        if (change instanceof ProposedChange.SetOption o) {
          return optionFix(o, List.of(), loaderEdit(o));
        }
        if (change instanceof ProposedChange.UsePrecision p && acc != null) {
          String value = p.precision() == Precision.BF16 ? "bf16" : "fp16";
          return Optional.of(new Fix(change.title(), List.of(CallEditor.set(file, acc, "mixed_precision", value))));
        }
        return Optional.empty();
      };
      return new ExtractedRun(run.build(), fixes);
    }
  }
}
