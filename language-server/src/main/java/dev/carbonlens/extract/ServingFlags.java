package dev.carbonlens.extract;

import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.ModelChoice;
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
}
