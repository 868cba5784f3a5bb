package dev.carbonlens.code.python;

import dev.carbonlens.reference.ReferenceData;
import java.util.Arrays;

/**
 * Not a test: analyses two 2,000-line Python files 200 times each after a warm-up round and prints
 * the median and p95 in ms, parsed afresh and after a keystroke: a real training script repeated,
 * and a dense synthetic file. Run from the
 * repository root. After `mvn -o -pl language-server test-compile` and
 * `mvn -o -pl language-server dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt`:
 * `java -cp language-server/target/test-classes:language-server/target/classes:$(cat /tmp/cp.txt)
 * dev.carbonlens.code.python.PythonAnalysisBenchmark`.
 */
public final class PythonAnalysisBenchmark {
  private PythonAnalysisBenchmark() {}

  static String generate(int lines) {
    StringBuilder sb = new StringBuilder();
    sb.append("import argparse\nimport torch\nfrom torch.utils.data import DataLoader\n");
    sb.append("from transformers import AutoModelForCausalLM, Trainer, TrainingArguments\n");
    sb.append("EPOCHS = 20  # café ☕\nMODEL_ID = \"meta-llama/Llama-2-7b-hf\"\n");
    sb.append("parser = argparse.ArgumentParser()\n");
    sb.append("parser.add_argument(\"--eval-every\", type=int, default=10)\nargs = parser.parse_args()\n");
    int i = 0;
    while (sb.chars().filter(c -> c == '\n').count() < lines - 30) {
      sb.append("\n\ndef helper_").append(i).append("(model, batch, scale=").append(i).append("):\n");
      sb.append("    \"\"\"Helper number ").append(i).append(" with a docstring.\"\"\"\n");
      sb.append("    x = batch[\"input_ids\"].to(\"cuda\")\n");
      sb.append("    y = model(x, attention_mask=batch.get(\"mask\"), labels=x)\n");
      sb.append("    values = [v * scale for v in range(10) if v % 2 == 0]\n");
      sb.append("    config = {\"lr\": 1e-4, \"warmup\": ").append(i).append(", \"name\": f\"run-{scale}\"}\n");
      sb.append("    if y.loss is not None and config[\"lr\"] > 0:\n");
      sb.append("        print(\"step\", len(values), y.loss.item(), sep=\", \")\n");
      sb.append("    return torch.stack([y.logits.mean(dim=-1), y.logits.std(dim=-1)], dim=0)\n");
      i++;
    }
    sb.append("\n\nmodel = AutoModelForCausalLM.from_pretrained(MODEL_ID)\n");
    sb.append("loader = DataLoader(dataset, batch_size=16, shuffle=True)\n");
    sb.append("training_args = TrainingArguments(\n    output_dir=\"out\",\n    num_train_epochs=EPOCHS,\n");
    sb.append("    eval_strategy=\"steps\",\n    eval_steps=args.eval_every,\n    save_steps=50,\n)\n");
    sb.append("trainer = Trainer(model=model, args=training_args, train_dataset=dataset)\ntrainer.train()\n");
    while (sb.chars().filter(c -> c == '\n').count() < lines) {
      sb.append("print(helper_0(model, next(iter(loader))))\n");
    }
    return sb.toString();
  }

  public static void main(String[] argv) throws java.io.IOException {
    ReferenceData reference = ReferenceData.builtIn();
    // A real training script (the carbon-heavy sample) repeated to 2,000 lines: what people write.
    String sample = java.nio.file.Files.readString(java.nio.file.Path.of(
        argv.length > 0 ? argv[0] : "samples/code/hf-llama2-7b-full-finetune-fp32.py"));
    StringBuilder realistic = new StringBuilder();
    while (realistic.chars().filter(c -> c == '\n').count() < 2000) {
      realistic.append(sample);
    }
    measure("realistic (sample repeated)", realistic.toString(), reference);
    // A dense synthetic file: many comprehensions, dicts and f-strings, slower for tree-sitter itself.
    measure("dense synthetic", generate(2000), reference);
  }

  /**
   * Two cases per file: the whole file analysed afresh each time (as `check` does, a new name each
   * run), and the editor's case, one character typed in the middle and the file analysed again
   * (incremental re-parse of the previous tree).
   */
  private static void measure(String label, String text, ReferenceData reference) {
    PythonAnalyser analyser = new PythonAnalyser();
    long lines = text.chars().filter(c -> c == '\n').count();
    var check = analyser.analyse("bench.py", text, reference);
    int middle = text.indexOf('\n', text.length() / 2) + 1;
    String[] versions = {text, text.substring(0, middle) + "#" + text.substring(middle)};
    int n = 200;
    double[] fresh = new double[n];
    double[] typed = new double[n];
    for (int warm = 0; warm < 2; warm++) {
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        analyser.analyse("fresh-" + warm + "-" + i + ".py", text, reference);
        fresh[i] = (System.nanoTime() - t0) / 1e6;
      }
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        analyser.analyse("bench.py", versions[(i + 1) % 2], reference);
        typed[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(fresh);
    Arrays.sort(typed);
    System.out.printf("%s: %d lines, %d chars, %d runs, %d problems%n", label, lines, text.length(),
        check.runs().size(), check.problems().size());
    System.out.printf("  whole file parsed afresh: median %.1f ms, p95 %.1f ms%n", fresh[n / 2], fresh[(int) (n * 0.95)]);
    System.out.printf("  after one keystroke (incremental): median %.1f ms, p95 %.1f ms%n", typed[n / 2],
        typed[(int) (n * 0.95)]);
  }
}
