package dev.carbonlens.extract;

import dev.carbonlens.document.LineIndex;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Serving;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.reference.ReferenceData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of an LLM serving engine (vLLM, Text Generation Inference, SGLang), wherever they are
 * written: `vllm serve` / launcher flags (`--tensor-parallel-size 8`, `--quantize awq`), a vLLM
 * `--config` file (`max-model-len: 8192`), Helm values (`maxModelLen`) or TGI's environment
 * (`NUM_SHARD`). Names are read case- and separator-insensitively (`max-model-len`, `max_model_len`,
 * `maxModelLen` and `MAX_MODEL_LEN` are one name).
 */
final class ServingFlags {
  private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

  static final List<String> MODEL = List.of("model", "model_id", "model_path", "model_name", "model_name_or_path",
      "hf_model_id", "model_url");
  static final List<String> DTYPE = List.of("dtype", "torch_dtype");
  static final List<String> QUANTIZATION = List.of("quantization", "quantize");
  static final List<String> MAX_BATCH = List.of("max_num_seqs", "max_batch_size", "max_running_requests",
      "max_concurrent_requests", "max_batch_prefill_tokens");
  static final List<String> MAX_TOKENS = List.of("max_model_len", "max_total_tokens", "max_new_tokens",
      "context_length", "max_seq_len", "max_input_tokens", "max_input_length");
  static final List<String> TENSOR_PARALLEL = List.of("tensor_parallel_size", "num_shard", "tp_size", "tp");
  static final List<String> PIPELINE_PARALLEL = List.of("pipeline_parallel_size", "pp_size", "pp");
  /** Concurrent sequences only (TGI's `max_batch_prefill_tokens` is a token budget, not a count of sequences). */
  static final List<String> MAX_SEQUENCES = List.of("max_num_seqs", "max_batch_size", "max_running_requests",
      "max_concurrent_requests");
  /**
   * The longest sequence (prompt and generation) one request may reach: vLLM `max_model_len`, TGI
   * `max_total_tokens`, SGLang `context_length`; else TGI's input cap, a lower bound of it.
   */
  static final List<String> GENERATION_LIMIT = List.of("max_model_len", "max_total_tokens", "context_length",
      "max_input_tokens", "max_input_length");

  /** Option: vLLM `enforce_eager` (CUDA graphs off), `true` / `false`. */
  static final String ENFORCE_EAGER = dev.carbonlens.model.Options.ENFORCE_EAGER;
  /** Option: pipeline-parallel stages per replica (`pipeline_parallel_size`), a count. */
  static final String PIPELINE_STAGES = dev.carbonlens.model.Options.PIPELINE_PARALLEL;
  /** Option: the most sequences decoded together, as written (`max_num_seqs`, `max_batch_size`), a count. */
  static final String BATCH_LIMIT = dev.carbonlens.model.Options.MAX_BATCH;

  /** Every name a serving engine's settings are known by, for content detection. */
  static final java.util.Set<String> KNOWN = java.util.Set.of(
      "tensor_parallel_size", "pipeline_parallel_size", "max_model_len", "max_num_seqs", "max_num_batched_tokens",
      "gpu_memory_utilization", "enforce_eager", "served_model_name", "kv_cache_dtype", "swap_space",
      "enable_prefix_caching", "enable_chunked_prefill", "quantization", "trust_remote_code", "max_loras",
      "num_shard", "quantize", "max_total_tokens", "max_input_tokens", "max_input_length", "max_batch_prefill_tokens",
      "max_batch_total_tokens", "max_concurrent_requests", "max_best_of", "max_stop_sequences", "sharded",
      "waiting_served_ratio", "max_waiting_tokens", "cuda_memory_fraction");

  private ServingFlags() {}

  /** One name for `max-model-len`, `--max_model_len`, `maxModelLen` and `MAX_MODEL_LEN`. */
  static String normalise(String name) {
    String n = name.trim();
    while (n.startsWith("-")) {
      n = n.substring(1);
    }
    n = CAMEL.matcher(n).replaceAll("$1_$2");
    return n.replace('-', '_').replace('.', '_').toLowerCase(Locale.ROOT);
  }

  /** The same settings under normalised names (the first written spelling of a name wins). */
  static Settings normalised(Settings source) {
    Map<String, Setting> byName = new LinkedHashMap<>();
    for (String name : source.names()) {
      source.get(name).ifPresent(s -> byName.putIfAbsent(normalise(name), s));
    }
    return Settings.of(byName);
  }

  /**
   * Reads what `s` (already normalised) says about serving into the run: the model, precision and
   * device count only where the run has none yet, and the {@link Serving} fact. `replicas` is how many
   * copies of the engine run (null: not stated); `acceleratorHasBf16` picks the engine's default
   * precision when `dtype` is `auto` or missing (null: unknown accelerator).
   */
  static Serving read(Settings s, SourceRange anchor, ReferenceData reference, Run.Builder run, Integer replicas,
      Boolean acceleratorHasBf16) {
    Optional<Setting> model = first(s, MODEL);
    if (run.model() == null) {
      model.map(m -> Models.choice(reference, m)).ifPresent(run::model);
    }
    Optional<Setting> dtype = first(s, DTYPE);
    Optional<Setting> quantization = first(s, QUANTIZATION);
    Optional<Setting> maxBatch = firstNumber(s, MAX_BATCH);
    Optional<Setting> maxTokens = firstNumber(s, MAX_TOKENS);
    if (run.precision() == null) {
      PrecisionChoice precision = precision(dtype, quantization, run.model(), anchor, acceleratorHasBf16);
      if (precision != null) {
        run.precision(precision);
      }
    }
    if (run.devices() == null) {
      devices(s, replicas).ifPresent(run::devices);
    }
    SourceRange where = dtype.or(() -> quantization).or(() -> maxBatch).or(() -> maxTokens)
        .map(Setting::range).orElse(anchor);
    options(s, run);
    Serving serving = new Serving(
        dtype.map(Setting::lower).orElse(null),
        quantization.map(Setting::lower).orElse(null),
        maxBatch.map(Setting::intOrNull).orElse(null),
        maxTokens.map(Setting::intOrNull).orElse(null),
        replicas,
        where);
    run.serving(serving);
    return serving;
  }

  /**
   * The named settings rules judge: tensor-parallel degree, pipeline stages, the generation limit, the
   * batch limit and `enforce_eager`, each where it is written.
   */
  static void options(Settings s, Run.Builder run) {
    firstNumber(s, TENSOR_PARALLEL).ifPresent(v -> run.option(Options.TENSOR_PARALLEL, v.text().trim(), v.range()));
    firstNumber(s, PIPELINE_PARALLEL).ifPresent(v -> run.option(PIPELINE_STAGES, v.text().trim(), v.range()));
    firstNumber(s, GENERATION_LIMIT).ifPresent(v -> run.option(Options.MAX_GENERATION, v.text().trim(), v.range()));
    firstNumber(s, MAX_SEQUENCES).ifPresent(v -> run.option(BATCH_LIMIT, v.text().trim(), v.range()));
    s.get(ENFORCE_EAGER).filter(v -> v.asBoolean().isPresent())
        .ifPresent(v -> run.option(ENFORCE_EAGER, v.text().trim(), v.range()));
  }

  /** `tensor-parallel-size` (or TGI's `num_shard`) x `pipeline-parallel-size` per replica, x replicas. */
  static Optional<DeviceCount> devices(Settings s, Integer replicas) {
    Optional<Setting> tp = firstNumber(s, TENSOR_PARALLEL);
    Optional<Setting> pp = firstNumber(s, PIPELINE_PARALLEL);
    if (tp.isEmpty() && pp.isEmpty()) {
      return Optional.empty();
    }
    long perReplica = tp.map(Setting::longOrNull).orElse(1L) * pp.map(Setting::longOrNull).orElse(1L);
    long copies = replicas == null ? 1 : replicas;
    String how = tp.map(t -> t.text().trim() + " (" + t.name() + ")").orElse("1")
        + pp.map(p -> " x " + p.text().trim() + " (" + p.name() + ")").orElse("")
        + (copies > 1 ? " x " + copies + " replicas" : "");
    return DeviceCount.of(perReplica, copies, how, tp.or(() -> pp).get().range());
  }

  /**
   * dtype float16/half → fp16, bfloat16 → bf16, float32 → fp32, `quantization: fp8` → fp8. `auto` (or
   * nothing) is the engine's choice, not stated: the checkpoint's 16-bit type, bf16 where the GPU has it.
   */
  static PrecisionChoice precision(Optional<Setting> dtype, Optional<Setting> quantization, ModelChoice model,
      SourceRange anchor, Boolean acceleratorHasBf16) {
    if (dtype.isPresent()) {
      String d = dtype.get().lower();
      if (d.equals("float16") || d.equals("half") || d.equals("fp16")) {
        return new PrecisionChoice(Precision.FP16, true, dtype.get().range());
      }
      if (d.equals("bfloat16") || d.equals("bf16")) {
        return new PrecisionChoice(Precision.BF16, true, dtype.get().range());
      }
      if (d.equals("float32") || d.equals("float") || d.equals("fp32")) {
        return new PrecisionChoice(Precision.FP32, true, dtype.get().range());
      }
    }
    if (quantization.isPresent() && quantization.get().lower().startsWith("fp8")) {
      return new PrecisionChoice(Precision.FP8, true, quantization.get().range());
    }
    if (model != null && model.id().toLowerCase(Locale.ROOT).contains("fp8")) {
      return new PrecisionChoice(Precision.FP8, false, model.range());
    }
    Precision engineDefault = Boolean.FALSE.equals(acceleratorHasBf16) ? Precision.FP16 : Precision.BF16;
    return new PrecisionChoice(engineDefault, false, dtype.map(Setting::range).orElse(anchor));
  }

  static Optional<Setting> first(Settings s, List<String> names) {
    return s.first(names.toArray(String[]::new)).filter(v -> !v.text().isBlank());
  }

  private static Optional<Setting> firstNumber(Settings s, List<String> names) {
    for (String n : names) {
      Optional<Setting> v = s.get(n).filter(x -> x.longOrNull() != null && x.longOrNull() > 0);
      if (v.isPresent()) {
        return v;
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------------------------------ fixes

  /**
   * Edits for the serving rules' changes wherever the setting is written (a config key, a flag, a
   * list item, an environment variable): the value replaced in place, its quotes kept; a bare flag
   * removed. `others` (the format's own writer) is asked first.
   */
  static FixWriter fixes(ParsedDocument document, Run run, FixWriter others) {
    LineIndex lines = new LineIndex(document.text());
    return change -> others.fixFor(change)
        .or(() -> edits(lines, run, change).map(edits -> new Fix(change.title(), edits)));
  }

  private static Optional<List<TextEdit>> edits(LineIndex lines, Run run, ProposedChange change) {
    Serving sv = run.serving();
    if (change instanceof ProposedChange.ServeWeightsAs w && w.quantization() == null && w.dtype() != null
        && sv != null && sv.dtype() != null) {
      return replaceValue(lines, sv.range(), sv.dtype(), w.dtype()).map(List::of);
    }
    Option batch = run.option(BATCH_LIMIT);
    if (change instanceof ProposedChange.BatchRequests b && batch != null) {
      return replaceValue(lines, batch.range(), batch.value(), String.valueOf(b.maxBatch())).map(List::of);
    }
    Option tp = run.option(Options.TENSOR_PARALLEL);
    if (change instanceof ProposedChange.UseDevices d && tp != null) {
      return deviceEdits(lines, run, tp, d.count());
    }
    Option eager = run.option(ENFORCE_EAGER);
    if (change instanceof ProposedChange.SetOption set && set.name().equals(ENFORCE_EAGER) && eager != null) {
      String written = lines.text().substring(offset(lines, eager.range(), true), offset(lines, eager.range(), false));
      if (written.startsWith("-") || written.startsWith("\"-") || written.startsWith("'-")) {
        return Optional.of(List.of(removeWord(lines, eager.range())));
      }
      return replaceValue(lines, eager.range(), eager.value(), set.value()).map(List::of);
    }
    return Optional.empty();
  }

  /**
   * The tensor-parallel degree set to the proposed count per replica, and the GPUs each replica asks for
   * where they are written apart from it (Helm `requestGPU`, a compose device `count`); none where the
   * count lives elsewhere (a pod's resource requests and limits) or pipeline stages multiply it.
   */
  private static Optional<List<TextEdit>> deviceEdits(LineIndex lines, Run run, Option tp, int total) {
    Option stages = run.option(PIPELINE_STAGES);
    if (stages != null && stages.number() != null && stages.number() > 1) {
      return Optional.empty();
    }
    int replicas = run.serving() == null || run.serving().replicas() == null ? 1 : Math.max(1, run.serving().replicas());
    if (total % replicas != 0) {
      return Optional.empty();
    }
    String perReplica = String.valueOf(total / replicas);
    Optional<TextEdit> degree = replaceValue(lines, tp.range(), tp.value(), perReplica);
    if (degree.isEmpty()) {
      return Optional.empty();
    }
    DeviceCount devices = run.devices();
    if (devices == null || devices.range().equals(tp.range())) {
      return Optional.of(List.of(degree.get()));
    }
    String how = devices.derivation();
    if (!how.contains("(requestGPU)") && !how.contains("(devices count)")) {
      return Optional.empty();
    }
    String written = lines.text().substring(offset(lines, devices.range(), true), offset(lines, devices.range(), false));
    java.util.regex.Matcher count = Pattern.compile("(\\d+)[\"']?\\s*$").matcher(written);
    if (!count.find()) {
      return Optional.empty();
    }
    return replaceValue(lines, devices.range(), count.group(1), perReplica)
        .map(request -> List.of(degree.get(), request));
  }

  /**
   * Replaces the value written at the end of `range` (`8`, `"8"`, `'8'`, matched case-insensitively) with
   * `value`, in the same quotes; empty when the range does not end with it.
   */
  static Optional<TextEdit> replaceValue(LineIndex lines, SourceRange range, String current, String value) {
    String text = lines.text();
    int start = offset(lines, range, true);
    int end = offset(lines, range, false);
    if (current == null || current.isBlank() || end <= start) {
      return Optional.empty();
    }
    String c = current.trim();
    for (String quote : List.of("\"", "'", "")) {
      String written = quote + c + quote;
      int from = end - written.length();
      if (from >= start && text.regionMatches(true, from, written, 0, written.length())
          && (from == start || !Character.isLetterOrDigit(text.charAt(from - 1)) || !quote.isEmpty())) {
        return Optional.of(new TextEdit(lines.range(from + quote.length(), end - quote.length()), value));
      }
    }
    return Optional.empty();
  }

  /**
   * Removes a command-line flag (and the value it carries) from where it is written: its whole line
   * when it is a YAML list item or a line of its own in a script, its item and comma in a flow list,
   * else the word and the space before it.
   */
  static TextEdit removeWord(LineIndex lines, SourceRange range) {
    String text = lines.text();
    int start = offset(lines, range, true);
    int end = offset(lines, range, false);
    if (start > 0 && end < text.length() && (text.charAt(start - 1) == '"' || text.charAt(start - 1) == '\'')
        && text.charAt(end) == text.charAt(start - 1)) {
      start--;
      end++;
    }
    int line = lines.lineOf(start);
    int lineStart = lines.lineStart(line);
    int lineEnd = lines.lineEnd(lines.lineOf(end));
    String before = text.substring(lineStart, start).strip();
    String after = text.substring(end, lineEnd).strip();
    if ((before.equals("-") || before.isEmpty()) && (after.isEmpty() || after.startsWith("#"))) {
      if (before.isEmpty() && line > 0 && lines.lineText(line - 1).stripTrailing().endsWith("\\")) {
        // The last line of a continued command: the previous line's `\` goes with it.
        int prevEnd = lines.lineEnd(line - 1);
        int cut = text.lastIndexOf('\\', prevEnd);
        while (cut > 0 && text.charAt(cut - 1) == ' ') {
          cut--;
        }
        return new TextEdit(lines.range(cut, lineEnd), "");
      }
      int next = lines.lineOf(lineEnd) + 1 < lines.lineCount() ? lines.lineStart(lines.lineOf(lineEnd) + 1) : lineEnd;
      return new TextEdit(lines.range(lineStart, next), "");
    }
    if (before.isEmpty() && after.equals("\\")) {
      int next = lines.lineOf(lineEnd) + 1 < lines.lineCount() ? lines.lineStart(lines.lineOf(lineEnd) + 1) : lineEnd;
      return new TextEdit(lines.range(lineStart, next), "");
    }
    int right = end;
    while (right < text.length() && text.charAt(right) == ' ') {
      right++;
    }
    int left = start;
    while (left > 0 && text.charAt(left - 1) == ' ') {
      left--;
    }
    if (right < text.length() && text.charAt(right) == ',') {
      right++;
      while (right < text.length() && text.charAt(right) == ' ') {
        right++;
      }
      return new TextEdit(lines.range(start, right), "");
    }
    if (left > 0 && text.charAt(left - 1) == ',') {
      return new TextEdit(lines.range(left - 1, end), "");
    }
    return new TextEdit(lines.range(left < start ? left : start, left < start ? end : right), "");
  }

  private static int offset(LineIndex lines, SourceRange r, boolean start) {
    return start ? lines.offsetOf(r.startLine(), r.startColumn()) : lines.offsetOf(r.endLine(), r.endColumn());
  }
}
