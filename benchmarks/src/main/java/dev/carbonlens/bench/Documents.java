package dev.carbonlens.bench;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.estimate.EstimatorSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The documents the benchmarks analyse: a small and a large one of each kind. The small ones are the
 * repository's samples (packed into the jar from samples/); the large ones are generated here, the same
 * text every time (no randomness, no files, no network).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.carbonlens.bench.Documents} prints each
 * document's size and what the pipeline finds in it; {@code ... Documents yaml-large} prints that
 * document's text.
 */
public final class Documents {
  private Documents() {}

  /** One benchmark input: the file name the pipeline sees (its extension picks the parser) and the text. */
  public record Document(String id, String fileName, String text) {
    public long lines() {
      return text.chars().filter(c -> c == '\n').count();
    }
  }

  /** The ids, in the order of the tables: the values of the benchmarks' {@code doc} parameter. */
  public static final List<String> IDS = List.of("yaml-small", "yaml-large", "json-small", "json-large",
      "python-small", "python-large", "java-small", "java-large");

  public static Document get(String id) {
    return switch (id) {
      case "yaml-small" -> new Document(id, "resnet-k80.yaml", sample("skypilot/resnet-k80.yaml"));
      case "yaml-large" -> new Document(id, "merge-keys-1800.yaml", mergeKeysYaml(1800, 300));
      case "json-small" -> new Document(id, "pythia-imdb-fp32.json", sample("huggingface/pythia-imdb-fp32.json"));
      case "json-large" -> new Document(id, "vit-imagenet-1k-args.json", largeJson(1000));
      case "python-small" -> new Document(id, "hf-llama2-7b-full-finetune-fp32.py",
          sample("code/hf-llama2-7b-full-finetune-fp32.py"));
      case "python-large" -> new Document(id, "train_grid.py", largePython(2000));
      case "java-small" -> new Document(id, "MnistMlpDl4j.java", sample("code/MnistMlpDl4j.java"));
      case "java-large" -> new Document(id, "MnistMlpDl4j.java", largeJava(2000));
      default -> throw new IllegalArgumentException("unknown document " + id + "; one of " + IDS);
    };
  }

  static String sample(String path) {
    try (InputStream in = Documents.class.getResourceAsStream("/bench-samples/" + path)) {
      if (in == null) {
        throw new IllegalStateException("sample missing from the jar: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- YAML: bench/generate_merge_keys_yaml.py, line for line (the same text for the same arguments) ----

  private record Dataset(String name, String path, String kind) {}

  private static final List<Dataset> DATASETS = List.of(
      new Dataset("alpaca", "tatsu-lab/alpaca", "alpaca"),
      new Dataset("dolly", "databricks/databricks-dolly-15k", "dolly"),
      new Dataset("oasst", "OpenAssistant/oasst1", "oasst"),
      new Dataset("ultrachat", "HuggingFaceH4/ultrachat_200k", "chat_template"),
      new Dataset("openhermes", "teknium/OpenHermes-2.5", "chat_template"));
  private static final int[] RANKS = {8, 16, 32, 64};
  private static final String[] LEARNING_RATES = {"5.0e-5", "1.0e-4", "2.0e-4"};
  private static final int[] SEEDS = {0, 1, 2, 3, 4};

  private static final String HEADER = """
      # Llama 3.1 8B instruction tuning with Axolotl. The top level is the baseline run (all weights, fp32);
      # `ablations` holds the LoRA grid that scripts/launch_grid.py expands into one job per variant.
      # Shared settings live in the `x-` blocks; each variant merges them in (`<<`) and overrides the rest.
      base_model: meta-llama/Llama-3.1-8B
      tokenizer_type: AutoTokenizer

      datasets:
        - path: teknium/OpenHermes-2.5
          type: chat_template
      dataset_prepared_path: last_run_prepared
      val_set_size: 0.02
      output_dir: ./outputs/llama-8b-full

      sequence_len: 4096
      sample_packing: true
      pad_to_sequence_len: true

      gradient_accumulation_steps: 8
      micro_batch_size: 2
      num_epochs: 3
      optimizer: adamw_torch_fused
      lr_scheduler: cosine
      learning_rate: 2.0e-5

      bf16: false
      fp16: false
      tf32: true

      gradient_checkpointing: true
      logging_steps: 1
      flash_attention: true

      warmup_ratio: 0.03
      eval_steps: 10
      save_steps: 200
      save_total_limit: 2
      weight_decay: 0.0
      special_tokens:
        pad_token: <|finetune_right_pad_id|>

      # ---- shared settings for the ablation grid ----
      x-lora: &lora
        adapter: lora
        lora_r: 16
        lora_alpha: 32
        lora_dropout: 0.05
        lora_target_linear: true
        bf16: true
        tf32: false
        num_epochs: 1
        eval_steps: 200
        save_steps: 500
      """;

  private record Variant(String name, int rank, String lr, int seed) {}

  /**
   * An Axolotl LoRA ablation grid of exactly {@code lines} lines with {@code mergeKeys} {@code <<} keys:
   * the text {@code bench/generate_merge_keys_yaml.py --lines N --merge-keys M} writes.
   */
  public static String mergeKeysYaml(int lines, int mergeKeys) {
    List<Variant> grid = new ArrayList<>();
    for (Dataset d : DATASETS) {
      for (int rank : RANKS) {
        for (String lr : LEARNING_RATES) {
          for (int seed : SEEDS) {
            grid.add(new Variant(d.name(), rank, lr, seed));
          }
        }
      }
    }
    if (mergeKeys < 1 || mergeKeys > grid.size()) {
      throw new IllegalArgumentException("merge keys must be 1.." + grid.size());
    }
    grid = grid.subList(0, mergeKeys);
    Set<String> used = new LinkedHashSet<>();
    grid.forEach(v -> used.add(v.name()));
    List<String> head = new ArrayList<>(List.of(HEADER.split("\n")));
    for (Dataset d : DATASETS) {
      if (used.contains(d.name())) {
        head.addAll(List.of("x-" + d.name() + ": &" + d.name(), "  datasets:", "    - path: " + d.path(),
            "      type: " + d.kind(), "  wandb_project: llama8b-ablations-" + d.name()));
      }
    }
    head.add("");
    head.add("ablations:");
    int bodyFixed = 0;
    List<String> groupNames = new ArrayList<>();
    List<List<Variant>> groups = new ArrayList<>();
    for (Variant v : grid) {
      if (groupNames.isEmpty() || !groupNames.get(groupNames.size() - 1).equals(v.name())) {
        groupNames.add(v.name());
        groups.add(new ArrayList<>());
        bodyFixed += 1;
      }
      groups.get(groups.size() - 1).add(v);
      bodyFixed += 5;
    }
    int extra = lines - head.size() - bodyFixed;
    if (extra < 0 || extra > grid.size()) {
      throw new IllegalArgumentException("cannot make " + lines + " lines with " + mergeKeys + " merge keys");
    }
    List<String> out = new ArrayList<>(head);
    int index = 0;
    for (int g = 0; g < groups.size(); g++) {
      List<Variant> variants = groups.get(g);
      out.add("  # " + groupNames.get(g) + ": " + variants.size() + " variants (rank x learning rate x seed)");
      for (Variant v : variants) {
        String key = v.name() + "-r" + v.rank() + "-lr" + v.lr().replace(".0", "") + "-s" + v.seed();
        out.addAll(List.of("  " + key + ":", "    <<: [*lora, *" + v.name() + "]", "    lora_r: " + v.rank(),
            "    learning_rate: " + v.lr(), "    seed: " + v.seed()));
        if ((index + 1) * extra / grid.size() != index * extra / grid.size()) {
          out.add("    output_dir: ./outputs/ablations/" + key);
        }
        index++;
      }
    }
    return String.join("\n", out) + "\n";
  }

  // ---- JSON: the small sample's training arguments plus a big label map ----

  /**
   * The Hugging Face training arguments of the small JSON sample (a ViT fine-tune instead of Pythia) carrying
   * the {@code id2label}/{@code label2id} maps of an ImageNet-1k classifier (what a config.json of a
   * classification model holds): {@code labels} entries in each map, about 2 × labels lines. The
   * training keys come first, as a person writes them, and the maps last.
   */
  public static String largeJson(int labels) {
    StringBuilder sb = new StringBuilder(labels * 64);
    sb.append("{\n");
    String[] args = {
        "\"model_name_or_path\": \"google/vit-base-patch16-224\"",
        "\"dataset_name\": \"imagenet-1k\"",
        "\"output_dir\": \"out/vit-base-in1k\"",
        "\"do_train\": true",
        "\"do_eval\": true",
        "\"num_train_epochs\": 90",
        "\"per_device_train_batch_size\": 64",
        "\"per_device_eval_batch_size\": 128",
        "\"gradient_accumulation_steps\": 4",
        "\"learning_rate\": 3e-3",
        "\"warmup_ratio\": 0.06",
        "\"eval_strategy\": \"steps\"",
        "\"eval_steps\": 20",
        "\"save_strategy\": \"steps\"",
        "\"save_steps\": 50",
        "\"logging_steps\": 10",
        "\"report_to\": \"none\"",
        "\"seed\": 42",
        "\"num_labels\": " + labels};
    for (String a : args) {
      sb.append("  ").append(a).append(",\n");
    }
    sb.append("  \"id2label\": {\n");
    for (int i = 0; i < labels; i++) {
      sb.append("    \"").append(i).append("\": \"").append(label(i)).append('"')
          .append(i + 1 < labels ? ",\n" : "\n");
    }
    sb.append("  },\n  \"label2id\": {\n");
    for (int i = 0; i < labels; i++) {
      sb.append("    \"").append(label(i)).append("\": ").append(i).append(i + 1 < labels ? ",\n" : "\n");
    }
    sb.append("  }\n}\n");
    return sb.toString();
  }

  private static final String[] WORDS = {"tabby cat", "tiger shark", "goldfinch", "sea lion", "espresso",
      "mountain bike", "lighthouse", "cello", "red fox", "snowplow", "barn owl", "sourdough", "kayak"};

  /** A WordNet-like class name: a word and a synset number, unique per index. */
  private static String label(int i) {
    return WORDS[i % WORDS.length] + " n" + String.format("%08d", 1_000_000 + i * 37);
  }

  // ---- Python: the sample's main() repeated as main_0(), main_1(), ... ----

  /**
   * The Llama-2 fine-tune sample grown to at least {@code lines} lines: its imports and constants once,
   * then its {@code main()} repeated as {@code main_0()}, {@code main_1()}, ... (one TrainingArguments
   * and Trainer each: one run per function), then the {@code __main__} guard.
   */
  public static String largePython(int lines) {
    String sample = sample("code/hf-llama2-7b-full-finetune-fp32.py");
    int def = sample.indexOf("def main():");
    int guard = sample.indexOf("if __name__");
    String head = sample.substring(0, def);
    String body = sample.substring(def, guard);
    StringBuilder sb = new StringBuilder(head);
    int n = 0;
    while (countLines(sb) + 3 < lines) {
      sb.append(body.replace("def main():", "def main_" + n + "():")
          .replace("out/llama2-7b-sft", "out/llama2-7b-sft-" + n));
      n++;
    }
    sb.append("if __name__ == \"__main__\":\n    main_0()\n");
    return sb.toString();
  }

  // ---- Java: the DL4J sample's main() repeated as train0(), train1(), ... ----

  /**
   * The DL4J MNIST sample grown to at least {@code lines} lines: package, imports and constants once, then its
   * {@code main} body repeated as {@code train0()}, {@code train1()}, ... (a network and its fit loop each),
   * and a {@code main} calling the first.
   */
  public static String largeJava(int lines) {
    String sample = sample("code/MnistMlpDl4j.java");
    int main = sample.indexOf("  public static void main(");
    int end = sample.lastIndexOf('}');
    String head = sample.substring(0, main);
    String method = sample.substring(main, end);
    StringBuilder sb = new StringBuilder(head);
    int n = 0;
    while (countLines(sb) + 5 < lines) {
      sb.append(method.replace("public static void main(String[] args)", "static void train" + n + "()"))
          .append('\n');
      n++;
    }
    sb.append("  public static void main(String[] args) throws Exception {\n    train0();\n  }\n}\n");
    return sb.toString();
  }

  private static int countLines(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** Prints each document's size and what the whole pipeline finds in it, or one document's text. */
  public static void main(String[] args) {
    if (args.length == 1) {
      System.out.print(get(args[0]).text());
      return;
    }
    Analyzer analyzer = Analyzer.builtIn(EstimatorSettings.defaults());
    System.out.printf("%-13s %-36s %7s %9s %5s %9s %8s%n", "doc", "file", "lines", "chars", "runs", "findings",
        "problems");
    for (String id : IDS) {
      Document d = get(id);
      FileAnalysis a = analyzer.analyze(d.fileName(), d.text());
      System.out.printf("%-13s %-36s %7d %9d %5d %9d %8d%n", id, d.fileName(), d.lines(), d.text().length(),
          a.runs().size(), a.findings().size(), a.problems().size());
    }
  }
}
