package dev.carbonlens.code.python;

import dev.carbonlens.reference.ReferenceData;
import java.util.Arrays;

/**
 * Not a test: analyses a generated 2,000-line training script 200 times after a warm-up and prints
 * the median and p95 in ms. After `mvn -o -pl language-server test-compile` and
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

  public static void main(String[] argv) {
    String text = generate(2000);
    ReferenceData reference = ReferenceData.builtIn();
    PythonAnalyser analyser = new PythonAnalyser();
    long lines = text.chars().filter(c -> c == '\n').count();
    var check = analyser.analyse("bench.py", text, reference);
    System.out.println("lines=" + lines + " chars=" + text.length() + " runs=" + check.runs().size()
        + " problems=" + check.problems().size() + " epochs=" + check.runs().get(0).run().schedule().epochs());
    for (int i = 0; i < 50; i++) {
      analyser.analyse("bench.py", text, reference);
    }
    int n = 200;
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      analyser.analyse("bench.py", text, reference);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf("median=%.2f ms p95=%.2f ms min=%.2f ms max=%.2f ms%n", ms[n / 2], ms[(int) (n * 0.95)],
        ms[0], ms[n - 1]);
  }
}
