package dev.carbonlens.code.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.code.SourceAnalyser;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.extract.TextEdit;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.ReferenceData;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PythonAnalyserTest {
  private static final ReferenceData REFERENCE = ReferenceData.builtIn();
  private final PythonAnalyser analyser = new PythonAnalyser();

  private SourceAnalyser.Result analyse(String text) {
    return analyser.analyse("train.py", text, REFERENCE);
  }

  private Run onlyRun(String text) {
    SourceAnalyser.Result result = analyse(text);
    assertThat(result.runs()).hasSize(1);
    return result.runs().get(0).run();
  }

  private static SourceRange r(int sl, int sc, int el, int ec) {
    return SourceRange.of(sl, sc, el, ec);
  }

  /** Applies edits (sorted from last to first) to check the text a fix produces. */
  private static String apply(String text, Fix fix) {
    dev.carbonlens.document.LineIndex lines = new dev.carbonlens.document.LineIndex(text);
    List<TextEdit> edits = fix.edits().stream()
        .sorted((a, b) -> Integer.compare(lines.offsetOf(b.range().startLine(), b.range().startColumn()),
            lines.offsetOf(a.range().startLine(), a.range().startColumn())))
        .toList();
    StringBuilder out = new StringBuilder(text);
    for (TextEdit e : edits) {
      int s = lines.offsetOf(e.range().startLine(), e.range().startColumn());
      int end = lines.offsetOf(e.range().endLine(), e.range().endColumn());
      out.replace(s, end, e.newText());
    }
    return out.toString();
  }

  @Test
  void handlesPythonFilesOnly() {
    assertThat(analyser.handles("train.py")).isTrue();
    assertThat(analyser.handles("dir/Train.PY")).isTrue();
    assertThat(analyser.handles("train.yaml")).isFalse();
    assertThat(analyser.handles("Train.java")).isFalse();
  }

  @Test
  void trainingArgumentsWithDefaultsAndUtf16Columns() {
    String text = """
        from transformers import TrainingArguments
        note = "café ☕ 😀"; args = TrainingArguments(output_dir="o", num_train_epochs=20, eval_strategy="steps", eval_steps=10)
        """;
    Run run = onlyRun(text);
    assertThat(run.format()).isEqualTo("python");
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    // `note = "café ☕ 😀"; args = ` is 27 UTF-16 units (the emoji is two, é and ☕ one), 33 UTF-8 bytes.
    assertThat(run.range()).isEqualTo(r(1, 27, 1, 44));
    assertThat(run.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(run.precision().stated()).isFalse();
    assertThat(run.precision().range()).isEqualTo(r(1, 27, 1, 44));
    assertThat(run.schedule().epochs()).isEqualTo(20.0);
    assertThat(run.schedule().epochsStated()).isTrue();
    assertThat(run.schedule().earlyStopping()).isFalse();
    // num_train_epochs=20 at columns 61..80
    assertThat(run.schedule().epochsRange()).isEqualTo(r(1, 61, 1, 80));
    assertThat(run.evaluation().strategy()).isEqualTo("steps");
    assertThat(run.evaluation().everySteps()).isEqualTo(10L);
    assertThat(run.evaluation().range()).isEqualTo(r(1, 105, 1, 118));
    assertThat(run.checkpointing().everySteps()).isEqualTo(500L);
    assertThat(run.workload().perDeviceBatch()).isEqualTo(8);
  }

  @Test
  void bf16AndFp16AndTrlConfigs() {
    Run bf16 = onlyRun("from trl import SFTConfig\ncfg = SFTConfig(output_dir='o', bf16=True, max_seq_length=2048)\n");
    assertThat(bf16.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(bf16.precision().stated()).isTrue();
    assertThat(bf16.precision().range()).isEqualTo(r(1, 32, 1, 41));
    assertThat(bf16.workload().sequenceLength()).isEqualTo(2048);

    Run fp16 = onlyRun("a = Seq2SeqTrainingArguments('o', fp16=True, max_steps=1000)\n");
    assertThat(fp16.precision().precision()).isEqualTo(Precision.FP16);
    assertThat(fp16.schedule().maxSteps()).isEqualTo(1000L);

    Run dpo = onlyRun("a = DPOConfig(output_dir='o', bf16=False, fp16=False)\n");
    assertThat(dpo.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(dpo.precision().stated()).isTrue();
    assertThat(dpo.precision().range()).isEqualTo(r(0, 30, 0, 40));
  }

  @Test
  void modelFromPretrainedWithDtypeAndEarlyStoppingCallback() {
    String text = """
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer, Trainer, TrainingArguments, EarlyStoppingCallback
        tok = AutoTokenizer.from_pretrained("gpt2")
        model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-70b-hf", torch_dtype=torch.bfloat16)
        args = TrainingArguments("out", num_train_epochs=30)
        trainer = Trainer(model=model, args=args, callbacks=[EarlyStoppingCallback(early_stopping_patience=3)])
        """;
    Run run = onlyRun(text);
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-2-70b-hf");
    assertThat(run.model().billionParameters()).isNotNull().isGreaterThan(60.0);
    assertThat(run.model().range()).isEqualTo(r(3, 45, 3, 72));
    assertThat(run.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(run.precision().range()).isEqualTo(r(3, 74, 3, 100));
    assertThat(run.schedule().epochs()).isEqualTo(30.0);
    assertThat(run.schedule().earlyStopping()).isTrue();
  }

  @Test
  void loraAndQlora() {
    String lora = """
        from peft import LoraConfig, get_peft_model
        RANK = 64
        model = get_peft_model(model, LoraConfig(r=RANK, lora_alpha=16))
        args = TrainingArguments(output_dir="o", bf16=True)
        """;
    Run run = onlyRun(lora);
    assertThat(run.fineTuning().method()).isEqualTo("lora");
    assertThat(run.fineTuning().loraRank()).isEqualTo(64);
    assertThat(run.fineTuning().range()).isEqualTo(r(2, 41, 2, 47));
    assertThat(run.stage()).isEqualTo(Stage.FINE_TUNING);

    String qlora = """
        bnb = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.bfloat16)
        model = AutoModelForCausalLM.from_pretrained("mistralai/Mistral-7B-v0.1", quantization_config=bnb)
        peft_config = LoraConfig(r=8)
        trainer = SFTTrainer(model=model, args=SFTConfig(output_dir="o", bf16=True), peft_config=peft_config)
        """;
    Run q = onlyRun(qlora);
    assertThat(q.fineTuning().method()).isEqualTo("qlora");
    assertThat(q.fineTuning().loraRank()).isEqualTo(8);
    assertThat(q.model().id()).isEqualTo("mistralai/Mistral-7B-v0.1");
  }

  @Test
  void rawLoopInFp32WithConstantEpochs() {
    String text = """
        import torch
        EPOCHS = 300
        loader = DataLoader(ds, batch_size=128, shuffle=True)
        model = Net().to("cuda")
        for epoch in range(EPOCHS):
            for x, y in loader:
                loss = crit(model(x.to("cuda")), y.to("cuda"))
                loss.backward()
                optimizer.step()
        """;
    Run run = onlyRun(text);
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    assertThat(run.range()).isEqualTo(r(4, 0, 4, 26));
    assertThat(run.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(run.precision().stated()).isFalse();
    assertThat(run.precision().range()).isEqualTo(r(4, 0, 4, 26));
    assertThat(run.schedule().epochs()).isEqualTo(300.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(r(4, 19, 4, 25));
    assertThat(run.schedule().earlyStopping()).isFalse();
    assertThat(run.workload().perDeviceBatch()).isEqualTo(128);
  }

  @Test
  void argparseDefaultsAreFollowedToTheirUse() {
    String text = """
        parser = argparse.ArgumentParser()
        parser.add_argument("--num-epochs", "-n", type=int, default=120, help="é")
        parser.add_argument("--bf16", action="store_true")
        args = parser.parse_args()
        for epoch in range(1, args.num_epochs + 1):
            train_one_epoch(model)
            loss.backward()
        ta = TrainingArguments(output_dir="o", num_train_epochs=args.num_epochs, bf16=args.bf16)
        """;
    SourceAnalyser.Result result = analyse(text);
    Run run = result.runs().get(0).run();
    assertThat(run.schedule().epochs()).isEqualTo(120.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(r(7, 39, 7, 71));
    assertThat(run.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(run.precision().stated()).isTrue();
  }

  @Test
  void rangeStartStopLoop() {
    String text = """
        START, END = 0, 0
        for ep in range(1, 51):
            loss.backward()
        """;
    Run run = onlyRun(text);
    assertThat(run.schedule().epochs()).isEqualTo(50.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(r(1, 19, 1, 21));
  }

  @Test
  void autocastGradScalerHalfAndTo() {
    String base = "for epoch in range(10):\n    loss.backward()\n";
    Run autocastBf16 = onlyRun("with torch.autocast(device_type='cuda', dtype=torch.bfloat16):\n    pass\n" + base);
    assertThat(autocastBf16.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(autocastBf16.precision().range()).isEqualTo(r(0, 40, 0, 60));

    Run amp = onlyRun("scaler = torch.cuda.amp.GradScaler()\nwith torch.cuda.amp.autocast():\n    pass\n" + base);
    assertThat(amp.precision().precision()).isEqualTo(Precision.FP16);
    assertThat(amp.precision().range()).isEqualTo(r(0, 9, 0, 34));

    Run half = onlyRun("model = Net().half()\n" + base);
    assertThat(half.precision().precision()).isEqualTo(Precision.FP16);
    assertThat(half.precision().range()).isEqualTo(r(0, 8, 0, 20));

    Run to = onlyRun("model = model.to(torch.bfloat16)\n" + base);
    assertThat(to.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(to.precision().range()).isEqualTo(r(0, 17, 0, 31));

    Run cudaOnly = onlyRun("model = model.to('cuda')\n" + base);
    assertThat(cudaOnly.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(cudaOnly.precision().stated()).isFalse();
    assertThat(cudaOnly.accelerator()).isNull();
  }

  @Test
  void accelerateMixedPrecision() {
    String text = "acc = Accelerator(mixed_precision=\"bf16\", gradient_accumulation_steps=4)\n"
        + "for epoch in range(3):\n    acc.backward(loss)\n";
    Run run = onlyRun(text);
    assertThat(run.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(run.precision().range()).isEqualTo(r(0, 18, 0, 40));
    assertThat(run.workload().gradientAccumulation()).isEqualTo(4);

    Run launch = onlyRun("acc = Accelerator()\nfor epoch in range(3):\n    acc.backward(loss)\n");
    assertThat(launch.precision()).as("accelerate launch decides").isNull();
  }

  @Test
  void lightningTrainer() {
    String text = """
        import lightning as L
        from lightning.pytorch.callbacks import EarlyStopping, ModelCheckpoint
        ckpt = ModelCheckpoint(every_n_train_steps=50, save_top_k=-1)
        trainer = L.Trainer(max_epochs=40, precision="32", devices=[0, 1], num_nodes=2, callbacks=[ckpt])
        trainer.fit(model)
        """;
    Run run = onlyRun(text);
    assertThat(run.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(run.precision().stated()).isTrue();
    assertThat(run.precision().range()).isEqualTo(r(3, 35, 3, 49));
    assertThat(run.schedule().epochs()).isEqualTo(40.0);
    assertThat(run.schedule().earlyStopping()).isFalse(); // imported, never passed as a callback
    assertThat(run.devices().count()).isEqualTo(4);
    assertThat(run.checkpointing().everySteps()).isEqualTo(50L);
    assertThat(run.checkpointing().keepLast()).isNull();
    assertThat(run.checkpointing().range()).isEqualTo(r(2, 23, 2, 45));

    Run defaults = onlyRun("import pytorch_lightning as pl\ntrainer = pl.Trainer(accelerator='gpu')\n");
    assertThat(defaults.precision().stated()).isFalse();
    assertThat(defaults.precision().range()).isEqualTo(r(1, 10, 1, 20));
    assertThat(defaults.schedule().epochs()).isEqualTo(1000.0);
    assertThat(defaults.schedule().epochsStated()).isFalse();

    Run bf16 = onlyRun("from pytorch_lightning import Trainer\nt = Trainer(precision='bf16-mixed', max_steps=5000)\n");
    assertThat(bf16.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(bf16.schedule().maxSteps()).isEqualTo(5000L);
  }

  @Test
  void lightningEarlyStoppingCallback() {
    Run run = onlyRun("t = pl.Trainer(max_epochs=100, callbacks=[EarlyStopping(monitor='val_loss')])\n");
    assertThat(run.schedule().earlyStopping()).isTrue();
  }

  @Test
  void optunaGridSweep() {
    String text = """
        search_space = {"lr": [1e-5, 3e-5, 1e-4], "batch": [16, 32]}
        study = optuna.create_study(sampler=optuna.samplers.GridSampler(search_space))
        study.optimize(objective, n_trials=6)
        """;
    Run run = onlyRun(text);
    assertThat(run.stage()).isEqualTo(Stage.SWEEP);
    assertThat(run.sweep().method()).isEqualTo("grid");
    assertThat(run.sweep().combinations()).isEqualTo(6L);
    assertThat(run.sweep().trials()).isEqualTo(6L);
    assertThat(run.sweep().range()).isEqualTo(r(2, 26, 2, 36));
  }

  @Test
  void sklearnGridSearch() {
    String text = """
        grid = GridSearchCV(SVC(), param_grid={"C": [0.1, 1, 10, 100], "kernel": ["rbf", "linear"]}, cv=5)
        grid.fit(X, y)
        """;
    Run run = onlyRun(text);
    assertThat(run.stage()).isEqualTo(Stage.SWEEP);
    assertThat(run.sweep().method()).isEqualTo("grid");
    assertThat(run.sweep().combinations()).isEqualTo(8L);
    assertThat(run.sweep().trials()).isEqualTo(40L);
    assertThat(run.sweep().range()).isEqualTo(r(0, 7, 0, 19));
  }

  @Test
  void rayTuneGrid() {
    String text = """
        space = {"lr": tune.grid_search([1e-3, 1e-4, 1e-5]), "wd": tune.grid_search([0.0, 0.1])}
        tuner = tune.Tuner(train_fn, param_space=space, tune_config=tune.TuneConfig(num_samples=2))
        tuner.fit()
        """;
    Run run = onlyRun(text);
    assertThat(run.sweep().method()).isEqualTo("grid");
    assertThat(run.sweep().combinations()).isEqualTo(6L);
    assertThat(run.sweep().trials()).isEqualTo(12L);
    assertThat(run.sweep().range()).isEqualTo(r(1, 76, 1, 89));

    Run old = onlyRun("tune.run(train_fn, config={'lr': tune.loguniform(1e-5, 1e-2)}, num_samples=50, "
        + "scheduler=ASHAScheduler())\n");
    assertThat(old.sweep().method()).isEqualTo("random");
    assertThat(old.sweep().trials()).isEqualTo(50L);
    assertThat(old.sweep().earlyTermination()).isTrue();
  }

  @Test
  void noTrainingConstructGivesNoRun() {
    assertThat(analyse("import torch\nmodel = AutoModel.from_pretrained('gpt2')\nprint(model(x))\n").runs()).isEmpty();
    assertThat(analyse("").runs()).isEmpty();
    assertThat(analyse("").problems()).isEmpty();
  }

  @Test
  void halfTypedScriptGivesOneProblemAndTheRest() {
    String text = """
        import torch
        x = foo(1, 2
        lr = 0.1 +
        args = TrainingArguments(output_dir="o", num_train_epochs=15, bf16=True)
        """;
    SourceAnalyser.Result result = analyse(text);
    assertThat(result.problems()).hasSize(1);
    assertThat(result.problems().get(0).range().startLine()).isBetween(1, 2);
    assertThat(result.runs()).hasSize(1);
    Run run = result.runs().get(0).run();
    assertThat(run.schedule().epochs()).isEqualTo(15.0);
    assertThat(run.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(run.schedule().epochsRange().startLine()).isEqualTo(3);
  }

  @Test
  void problemColumnIsUtf16() {
    SourceAnalyser.Result result = analyse("x = [\"😀é\", 1 2]\n");
    assertThat(result.problems()).hasSize(1);
    SourceRange at = result.problems().get(0).range();
    // The stray `2` is at UTF-16 column 14 (UTF-8 byte 17: the emoji is 4 bytes, é 2).
    assertThat(at).isEqualTo(r(0, 14, 0, 15));
  }

  @Test
  void junkNeverThrows() {
    Random random = new Random(42);
    String alphabet = "()[]{}:=,.'\"#\\\n\t abc123é😀_fordefclasslambdayield@*";
    for (int i = 0; i < 300; i++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(200);
      for (int k = 0; k < len; k++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String junk = sb.toString();
      assertThatCode(() -> analyse(junk)).doesNotThrowAnyException();
      assertThatCode(() -> analyse("args = TrainingArguments(" + junk)).doesNotThrowAnyException();
    }
    assertThatCode(() -> analyse("\u0000\uD800 lone surrogate")).doesNotThrowAnyException();
    assertThat(analyser.analyse("x.py", null, REFERENCE).runs()).isEmpty();
  }

  @Test
  void fixAddsBf16ToAMultiLineCall() {
    String text = """
        args = TrainingArguments(
            output_dir="o",
            eval_steps=10,
        )
        """;
    ExtractedRun run = analyse(text).runs().get(0);
    Fix fix = run.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(2, 18, 2, 18), "\n    bf16=True,"));
    assertThat(apply(text, fix)).isEqualTo("""
        args = TrainingArguments(
            output_dir="o",
            eval_steps=10,
            bf16=True,
        )
        """);
    Fix eval = run.fixes().fixFor(new ProposedChange.EvaluateEvery(500)).orElseThrow();
    assertThat(eval.edits()).containsExactly(new TextEdit(r(2, 15, 2, 17), "500"));
    Fix keep = run.fixes().fixFor(new ProposedChange.KeepCheckpoints(2)).orElseThrow();
    assertThat(apply(text, keep)).contains("    eval_steps=10,\n    save_total_limit=2,\n)");
  }

  @Test
  void fixOnOneLineCallAndFp16Replaced() {
    String text = "a = TrainingArguments('o', fp16=True)\n";
    ExtractedRun run = analyse(text).runs().get(0);
    Fix fix = run.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(apply(text, fix)).isEqualTo("a = TrainingArguments('o', fp16=False, bf16=True)\n");
  }

  @Test
  void lightningPrecisionFix() {
    String text = "t = pl.Trainer(max_epochs=5, precision=\"32\")\n";
    ExtractedRun run = analyse(text).runs().get(0);
    Fix fix = run.fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(0, 39, 0, 43), "\"bf16-mixed\""));
    String noPrecision = "t = pl.Trainer(max_epochs=5)\n";
    Fix add = analyse(noPrecision).runs().get(0).fixes()
        .fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(apply(noPrecision, add)).isEqualTo("t = pl.Trainer(max_epochs=5, precision=\"bf16-mixed\")\n");
  }

  @Test
  void twoTrainingArgumentsCallsGiveTwoRuns() {
    String text = "a = TrainingArguments('a', bf16=True)\nb = TrainingArguments('b', num_train_epochs=12)\n";
    SourceAnalyser.Result result = analyse(text);
    assertThat(result.runs()).hasSize(2);
    assertThat(result.runs().get(1).run().index()).isEqualTo(1);
    assertThat(result.runs().get(1).run().schedule().epochs()).isEqualTo(12.0);
  }
}
