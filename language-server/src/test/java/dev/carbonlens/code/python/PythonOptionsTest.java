package dev.carbonlens.code.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.LineIndex;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.extract.TextEdit;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.reference.ReferenceData;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The named options ({@link Options}) read from Python training code: data-loader workers, profilers,
 * gradient checkpointing, TF32 switches, classification heads and optimizer offload, with exact
 * UTF-16 ranges, and the fixes that write them back.
 */
class PythonOptionsTest {
  private static final ReferenceData REFERENCE = ReferenceData.builtIn();
  private final PythonAnalyser analyser = new PythonAnalyser();

  private ExtractedRun only(String text) {
    List<ExtractedRun> runs = analyser.analyse("train.py", text, REFERENCE).runs();
    assertThat(runs).hasSize(1);
    return runs.get(0);
  }

  private Run run(String text) {
    return only(text).run();
  }

  private static SourceRange r(int sl, int sc, int el, int ec) {
    return SourceRange.of(sl, sc, el, ec);
  }

  private static String slice(String text, SourceRange range) {
    LineIndex lines = new LineIndex(text);
    return text.substring(lines.offsetOf(range.startLine(), range.startColumn()),
        lines.offsetOf(range.endLine(), range.endColumn()));
  }

  private static String apply(String text, Fix fix) {
    LineIndex lines = new LineIndex(text);
    StringBuilder out = new StringBuilder(text);
    fix.edits().stream()
        .sorted(Comparator.comparingInt((TextEdit e) -> lines.offsetOf(e.range().startLine(), e.range().startColumn()))
            .reversed())
        .forEach(e -> out.replace(lines.offsetOf(e.range().startLine(), e.range().startColumn()),
            lines.offsetOf(e.range().endLine(), e.range().endColumn()), e.newText()));
    return out.toString();
  }

  private static final String LOOP_HEAD = """
      import torch
      from torch.utils.data import DataLoader
      device = torch.device("cuda")
      """;
  private static final String LOOP_TAIL = """
      for epoch in range(10):
          for x, y in train_loader:
              loss = model(x.to(device)).sum()
              loss.backward()
              optimizer.step()
      """;

  // ------------------------------------------------------------------------------ DataLoader workers

  @Test
  void dataLoaderWithoutNumWorkersIsPyTorchsDefaultZeroAtTheCallsName() {
    String text = LOOP_HEAD + "train_loader = DataLoader(train_set, batch_size=64, shuffle=True)\n" + LOOP_TAIL;
    Option workers = run(text).option(Options.DATALOADER_WORKERS);
    // line 3: `train_loader = ` is 15 characters, `DataLoader` 10.
    assertThat(workers).isEqualTo(new Option(Options.DATALOADER_WORKERS, "0", r(3, 15, 3, 25), false));
    assertThat(slice(text, workers.range())).isEqualTo("DataLoader");
  }

  @Test
  void numWorkersIsFollowedToAConstantAndRangesOverTheArgument() {
    String text = LOOP_HEAD + "WORKERS = 0\n"
        + "val_loader = DataLoader(val_set, batch_size=256, num_workers=2)\n"
        + "train_loader = torch.utils.data.DataLoader(dataset=train_set, num_workers=WORKERS, batch_size=64)\n"
        + LOOP_TAIL;
    Option workers = run(text).option(Options.DATALOADER_WORKERS);
    // The training loader (its dataset and variable say so), not the validation one written first.
    assertThat(workers).isEqualTo(new Option(Options.DATALOADER_WORKERS, "0", r(5, 62, 5, 81), true));
    assertThat(slice(text, workers.range())).isEqualTo("num_workers=WORKERS");
  }

  @Test
  void numWorkersAfterAnEmojiIsCountedInUtf16Units() {
    String text = LOOP_HEAD + "note = \"😀\"; train_loader = DataLoader(ds, num_workers=8)\n" + LOOP_TAIL;
    Option workers = run(text).option(Options.DATALOADER_WORKERS);
    // `note = "😀"; train_loader = DataLoader(ds, ` is 43 UTF-16 units (the emoji is two).
    assertThat(workers).isEqualTo(new Option(Options.DATALOADER_WORKERS, "8", r(3, 43, 3, 56)));
    assertThat(slice(text, workers.range())).isEqualTo("num_workers=8");
  }

  @Test
  void cpuOnlyLoopsAndSplattedArgumentsGiveNoWorkerCount() {
    String cpu = "import torch\nfrom torch.utils.data import DataLoader\n"
        + "train_loader = DataLoader(train_set, batch_size=64)\n" + LOOP_TAIL.replace("x.to(device)", "x");
    assertThat(run(cpu).option(Options.DATALOADER_WORKERS)).isNull();
    String splat = LOOP_HEAD + "train_loader = DataLoader(train_set, **loader_kwargs)\n" + LOOP_TAIL;
    assertThat(run(splat).option(Options.DATALOADER_WORKERS)).isNull();
    String unknown = LOOP_HEAD + "train_loader = DataLoader(train_set, num_workers=os.cpu_count())\n" + LOOP_TAIL;
    assertThat(run(unknown).option(Options.DATALOADER_WORKERS)).isNull();
  }

  @Test
  void lightningReadsTheTrainDataloaderUnlessTheTrainerRunsOnCpu() {
    String text = """
        import lightning as L
        from torch.utils.data import DataLoader

        class Model(L.LightningModule):
            def train_dataloader(self):
                return DataLoader(self.train_set, batch_size=32, num_workers=0)

            def val_dataloader(self):
                return DataLoader(self.val_set, batch_size=32, num_workers=4)

        trainer = L.Trainer(accelerator="gpu", max_epochs=5)
        """;
    Option workers = run(text).option(Options.DATALOADER_WORKERS);
    assertThat(workers).isEqualTo(new Option(Options.DATALOADER_WORKERS, "0", r(5, 57, 5, 70)));
    assertThat(run(text.replace("\"gpu\"", "\"cpu\"")).option(Options.DATALOADER_WORKERS)).isNull();
  }

  @Test
  void workersFixAddsNumWorkersToTheTrainingLoader() {
    String text = LOOP_HEAD + "train_loader = DataLoader(train_set, batch_size=64, shuffle=True)\n" + LOOP_TAIL;
    ExtractedRun run = only(text);
    Optional<Fix> fix = run.fixes().fixFor(
        new ProposedChange.SetOption(Options.DATALOADER_WORKERS, "4", "Load data in 4 worker processes"));
    assertThat(fix).isPresent();
    assertThat(fix.get().edits()).containsExactly(new TextEdit(r(3, 64, 3, 64), ", num_workers=4"));
    String fixed = apply(text, fix.get());
    assertThat(fixed).contains("DataLoader(train_set, batch_size=64, shuffle=True, num_workers=4)\n");
    assertThat(run(fixed).option(Options.DATALOADER_WORKERS)).isEqualTo(
        new Option(Options.DATALOADER_WORKERS, "4", r(3, 66, 3, 79)));
  }

  @Test
  void huggingFaceRunsTakeTheirWorkersFromTrainingArgumentsAndFixThem() {
    String text = """
        from torch.utils.data import DataLoader
        from transformers import Trainer, TrainingArguments
        eval_loader = DataLoader(eval_set, batch_size=8)
        args = TrainingArguments(output_dir="out", dataloader_num_workers=0)
        """;
    ExtractedRun hf = only(text);
    assertThat(hf.run().option(Options.DATALOADER_WORKERS))
        .isEqualTo(new Option(Options.DATALOADER_WORKERS, "0", r(3, 43, 3, 67)));
    Fix fix = hf.fixes().fixFor(new ProposedChange.SetOption(Options.DATALOADER_WORKERS, "4", "Workers")).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(3, 66, 3, 67), "4"));
  }

  // ------------------------------------------------------------------------------ profilers

  @Test
  void torchProfilerAroundTheLoopIsAProfilerLeftOn() {
    String text = LOOP_HEAD + "train_loader = DataLoader(ds, num_workers=4)\n"
        + "with torch.profiler.profile(record_shapes=True) as prof:\n"
        + LOOP_TAIL.indent(4);
    Option profiler = run(text).option(Options.PROFILER);
    assertThat(profiler).isEqualTo(new Option(Options.PROFILER, "torch.profiler", r(4, 5, 4, 27)));
    assertThat(slice(text, profiler.range())).isEqualTo("torch.profiler.profile");
  }

  @Test
  void profileImportedFromTorchProfilerAndTheAutogradProfiler() {
    String imported = "from torch.profiler import ProfilerActivity, profile\n" + LOOP_HEAD
        + "train_loader = DataLoader(ds, num_workers=4)\nprof = profile(activities=[ProfilerActivity.CUDA])\n"
        + "prof.start()\n" + LOOP_TAIL;
    assertThat(run(imported).option(Options.PROFILER))
        .isEqualTo(new Option(Options.PROFILER, "torch.profiler", r(5, 7, 5, 14)));
    String autograd = LOOP_HEAD + "train_loader = DataLoader(ds, num_workers=4)\n"
        + "with torch.autograd.profiler.profile(use_cuda=True):\n" + LOOP_TAIL.indent(4);
    assertThat(run(autograd).option(Options.PROFILER).value()).isEqualTo("torch.autograd.profiler");
    // `profile` that is not torch's (line_profiler, a helper of the script's own) is not read.
    String other = LOOP_HEAD + "train_loader = DataLoader(ds, num_workers=4)\nwith profile(\"train\"):\n"
        + LOOP_TAIL.indent(4);
    assertThat(run(other).option(Options.PROFILER)).isNull();
  }

  @Test
  void boundedSchedulesDisabledProfilersAndOffFlagsAreNotLeftOn() {
    String body = "train_loader = DataLoader(ds, num_workers=4)\n";
    String scheduled = LOOP_HEAD + body
        + "with torch.profiler.profile(schedule=torch.profiler.schedule(wait=1, warmup=1, active=3, repeat=2)):\n"
        + LOOP_TAIL.indent(4);
    assertThat(run(scheduled).option(Options.PROFILER)).isNull();
    // repeat=0 (the default) cycles for as long as the block runs.
    String cycling = LOOP_HEAD + body + "SCHED = torch.profiler.schedule(wait=1, warmup=1, active=3)\n"
        + "with torch.profiler.profile(schedule=SCHED):\n" + LOOP_TAIL.indent(4);
    assertThat(run(cycling).option(Options.PROFILER)).isNotNull();
    String disabled = LOOP_HEAD + body + "with torch.autograd.profiler.profile(enabled=False):\n" + LOOP_TAIL.indent(4);
    assertThat(run(disabled).option(Options.PROFILER)).isNull();
    String flag = "import argparse\n" + LOOP_HEAD + body
        + "parser = argparse.ArgumentParser()\nparser.add_argument(\"--profile\", action=\"store_true\")\n"
        + "args = parser.parse_args()\nif args.profile:\n    prof = torch.profiler.profile()\n"
        + "ctx = torch.profiler.profile() if args.profile else None\n" + LOOP_TAIL;
    assertThat(run(flag).option(Options.PROFILER)).isNull();
  }

  @Test
  void onlyCodeThatRunsAsWrittenCounts() {
    String head = "import argparse\n" + LOOP_HEAD + "train_loader = DataLoader(ds, num_workers=4)\n"
        + "PROFILE = True\nparser = argparse.ArgumentParser()\n"
        + "parser.add_argument(\"--profile\", action=\"store_true\")\nargs = parser.parse_args()\n";
    java.util.function.Function<String, Option> profilerUnder = guard ->
        run(head + guard + "\n    prof = torch.profiler.profile()\n" + LOOP_TAIL).option(Options.PROFILER);
    assertThat(profilerUnder.apply("if PROFILE:")).isNotNull();
    assertThat(profilerUnder.apply("if __name__ == \"__main__\":")).isNotNull();
    assertThat(profilerUnder.apply("if PROFILE and args.profile:")).isNull(); // store_true: False unless asked
    assertThat(profilerUnder.apply("if not args.profile:")).isNotNull(); // store_true: False unless asked
    assertThat(profilerUnder.apply("if rank == 0:")).isNull(); // cannot be followed: not evidence
    assertThat(profilerUnder.apply("if args.profile:\n    pass\nelse:")).isNotNull();
    assertThat(profilerUnder.apply("if PROFILE:\n    pass\nelif args.profile:")).isNull();
  }

  @Test
  void lightningTrainerProfilerAndItsFix() {
    String text = """
        import lightning as L
        from lightning.pytorch.profilers import PyTorchProfiler
        trainer = L.Trainer(max_epochs=3, profiler="simple")
        """;
    ExtractedRun run = only(text);
    assertThat(run.run().option(Options.PROFILER))
        .isEqualTo(new Option(Options.PROFILER, "simple", r(2, 34, 2, 51)));
    Fix fix = run.fixes().fixFor(new ProposedChange.SetOption(Options.PROFILER, "none", "Turn off the profiler"))
        .orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(2, 43, 2, 51), "None"));
    assertThat(run(apply(text, fix)).option(Options.PROFILER)).isNull();

    String object = text.replace("profiler=\"simple\"", "profiler=PyTorchProfiler(record_shapes=True)");
    assertThat(run(object).option(Options.PROFILER).value()).isEqualTo("pytorch");
    assertThat(run(text.replace("\"simple\"", "None")).option(Options.PROFILER)).isNull();
  }

  // ------------------------------------------------------------------------------ gradient checkpointing

  @Test
  void gradientCheckpointingEnableCallAndItsRemoval() {
    String text = """
        import torch
        from transformers import AutoModelForCausalLM
        model = AutoModelForCausalLM.from_pretrained("gpt2").cuda()
        model.gradient_checkpointing_enable()
        optimizer = torch.optim.AdamW(model.parameters())
        for epoch in range(3):
            loss = model(batch).loss
            loss.backward()
            optimizer.step()
        """;
    ExtractedRun run = only(text);
    Option gc = run.run().option(Options.GRADIENT_CHECKPOINTING);
    assertThat(gc).isEqualTo(new Option(Options.GRADIENT_CHECKPOINTING, "true", r(3, 0, 3, 37)));
    assertThat(slice(text, gc.range())).isEqualTo("model.gradient_checkpointing_enable()");
    Fix fix = run.fixes().fixFor(new ProposedChange.SetOption(Options.GRADIENT_CHECKPOINTING, "false",
        "Turn off gradient checkpointing")).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(3, 0, 4, 0), ""));
    String fixed = apply(text, fix);
    assertThat(fixed).doesNotContain("gradient_checkpointing_enable")
        .contains(".cuda()\noptimizer = torch.optim.AdamW");
    assertThat(run(fixed).option(Options.GRADIENT_CHECKPOINTING)).isNull();
  }

  @Test
  void aCallAloneInItsBlockOrBehindAnOffFlagIsHandledSafely() {
    String flagged = """
        import argparse, torch
        from transformers import AutoModelForCausalLM
        parser = argparse.ArgumentParser()
        parser.add_argument("--gc", action="store_true")
        args = parser.parse_args()
        model = AutoModelForCausalLM.from_pretrained("gpt2")
        if args.gc:
            model.gradient_checkpointing_enable()
        for epoch in range(3):
            model(batch).loss.backward()
        """;
    assertThat(run(flagged).option(Options.GRADIENT_CHECKPOINTING)).isNull();
    // Always on, but the only statement of its block: deleting it would leave `if True:` empty, so no fix.
    String alone = flagged.replace("if args.gc:", "if True:");
    ExtractedRun run = only(alone);
    assertThat(run.run().option(Options.GRADIENT_CHECKPOINTING).isTrue()).isTrue();
    assertThat(run.fixes().fixFor(new ProposedChange.SetOption(Options.GRADIENT_CHECKPOINTING, "false", "Off")))
        .isEmpty();
  }

  @Test
  void trainingArgumentsCheckpointingIsTurnedOffInPlace() {
    String text = """
        from transformers import Trainer, TrainingArguments
        args = TrainingArguments(output_dir="out", gradient_checkpointing=True, fp16=True)
        """;
    ExtractedRun run = only(text);
    assertThat(run.run().option(Options.GRADIENT_CHECKPOINTING))
        .isEqualTo(new Option(Options.GRADIENT_CHECKPOINTING, "true", r(1, 43, 1, 70)));
    Fix fix = run.fixes().fixFor(new ProposedChange.SetOption(Options.GRADIENT_CHECKPOINTING, "false", "Off"))
        .orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(1, 66, 1, 70), "False"));
    // A later gradient_checkpointing_enable() call turns it on whatever the arguments say.
    String both = text.replace("True, fp16", "False, fp16") + "model.gradient_checkpointing_enable()\n";
    assertThat(run(both).option(Options.GRADIENT_CHECKPOINTING))
        .isEqualTo(new Option(Options.GRADIENT_CHECKPOINTING, "true", r(2, 0, 2, 37)));
  }

  @Test
  void fsdpStrategyActivationCheckpointing() {
    String text = """
        import lightning as L
        from lightning.pytorch.strategies import FSDPStrategy
        strategy = FSDPStrategy(activation_checkpointing_policy={Block}, cpu_offload=True)
        trainer = L.Trainer(devices=8, strategy=strategy)
        """;
    Run run = run(text);
    assertThat(run.option(Options.GRADIENT_CHECKPOINTING))
        .isEqualTo(new Option(Options.GRADIENT_CHECKPOINTING, "true", r(2, 24, 2, 63)));
    assertThat(run.option(Options.OPTIMIZER_OFFLOAD))
        .isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", r(2, 65, 2, 81)));
  }

  // ------------------------------------------------------------------------------ TF32

  @Test
  void tf32SwitchesAssignedInTheScript() {
    String text = LOOP_HEAD + "torch.backends.cuda.matmul.allow_tf32 = False\n"
        + "torch.backends.cudnn.allow_tf32 = True\ntrain_loader = DataLoader(ds, num_workers=4)\n" + LOOP_TAIL;
    ExtractedRun run = only(text);
    Option tf32 = run.run().option(Options.TF32);
    // The matmul switch decides (cuDNN's only counts when nothing sets the matmul one).
    assertThat(tf32).isEqualTo(new Option(Options.TF32, "false", r(3, 0, 3, 45)));
    assertThat(slice(text, tf32.range())).isEqualTo("torch.backends.cuda.matmul.allow_tf32 = False");
    Fix fix = run.fixes().fixFor(new ProposedChange.SetOption(Options.TF32, "true", "Use TF32")).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(3, 40, 3, 45), "True"));
    assertThat(run(apply(text, fix)).option(Options.TF32).isTrue()).isTrue();

    String cudnnOnly = LOOP_HEAD + "torch.backends.cudnn.allow_tf32 = False\n"
        + "train_loader = DataLoader(ds, num_workers=4)\n" + LOOP_TAIL;
    assertThat(run(cudnnOnly).option(Options.TF32)).isEqualTo(new Option(Options.TF32, "false", r(3, 0, 3, 39)));
  }

  @Test
  void matmulPrecisionAndTrainingArgumentsTf32() {
    String text = LOOP_HEAD + "torch.set_float32_matmul_precision(\"highest\")\n"
        + "train_loader = DataLoader(ds, num_workers=4)\n" + LOOP_TAIL;
    ExtractedRun run = only(text);
    assertThat(run.run().option(Options.TF32)).isEqualTo(new Option(Options.TF32, "false", r(3, 0, 3, 45)));
    Fix fix = run.fixes().fixFor(new ProposedChange.SetOption(Options.TF32, "true", "Use TF32")).orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(3, 35, 3, 44), "\"high\""));

    String hf = "from transformers import TrainingArguments\n"
        + "args = TrainingArguments(output_dir=\"out\", tf32=False)\n";
    ExtractedRun args = only(hf);
    assertThat(args.run().option(Options.TF32)).isEqualTo(new Option(Options.TF32, "false", r(1, 43, 1, 53)));
    assertThat(args.fixes().fixFor(new ProposedChange.SetOption(Options.TF32, "true", "Use TF32")).orElseThrow().edits())
        .containsExactly(new TextEdit(r(1, 48, 1, 53), "True"));
  }

  // ------------------------------------------------------------------------------ classification

  @Test
  void sequenceClassificationHeadsAndLabelCounts() {
    String head = """
        from transformers import AutoModelForSequenceClassification, TrainingArguments
        model = AutoModelForSequenceClassification.from_pretrained("roberta-base", num_labels=3)
        args = TrainingArguments(output_dir="out")
        """;
    assertThat(run(head).option(Options.CLASSIFICATION))
        .isEqualTo(new Option(Options.CLASSIFICATION, "3", r(1, 75, 1, 87)));
    String noCount = head.replace(", num_labels=3", "");
    assertThat(run(noCount).option(Options.CLASSIFICATION)).isEqualTo(
        new Option(Options.CLASSIFICATION, "AutoModelForSequenceClassification", r(1, 8, 1, 58)));
    // One label is regression, not classification.
    assertThat(run(head.replace("num_labels=3", "num_labels=1")).option(Options.CLASSIFICATION)).isNull();
    String config = """
        from transformers import AutoConfig, AutoModel, TrainingArguments
        config = AutoConfig.from_pretrained("bert-base-uncased", num_labels=NUM_LABELS)
        NUM_LABELS = 5
        args = TrainingArguments(output_dir="out")
        """;
    assertThat(run(config).option(Options.CLASSIFICATION))
        .isEqualTo(new Option(Options.CLASSIFICATION, "5", r(1, 57, 1, 78)));
  }

  // ------------------------------------------------------------------------------ optimizer offload

  @Test
  void lightningOffloadStrategyAndItsFix() {
    String text = """
        import lightning as L
        trainer = L.Trainer(devices=2, strategy="deepspeed_stage_3_offload_nvme", precision="bf16-mixed")
        """;
    ExtractedRun run = only(text);
    assertThat(run.run().option(Options.OPTIMIZER_OFFLOAD))
        .isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "nvme", r(1, 31, 1, 72)));
    Fix fix = run.fixes().fixFor(new ProposedChange.SetOption(Options.OPTIMIZER_OFFLOAD, "none", "Keep"))
        .orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(1, 40, 1, 72), "\"deepspeed_stage_3\""));
    assertThat(run(apply(text, fix)).option(Options.OPTIMIZER_OFFLOAD)).isNull();
  }

  @Test
  void accelerateDeepSpeedPluginOffloadAndItsFix() {
    String text = """
        from accelerate import Accelerator, DeepSpeedPlugin
        plugin = DeepSpeedPlugin(zero_stage=3, offload_optimizer_device="none", offload_param_device="cpu")
        accelerator = Accelerator(deepspeed_plugin=plugin)
        for batch in loader:
            accelerator.backward(model(**batch).loss)
        """;
    ExtractedRun run = only(text);
    assertThat(run.run().option(Options.OPTIMIZER_OFFLOAD))
        .isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", r(1, 72, 1, 98)));
    Fix fix = run.fixes().fixFor(new ProposedChange.SetOption(Options.OPTIMIZER_OFFLOAD, "none", "Keep"))
        .orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(1, 93, 1, 98), "\"none\""));
    assertThat(run(apply(text, fix)).option(Options.OPTIMIZER_OFFLOAD).value()).isEqualTo("none");
  }

  @Test
  void deepSpeedConfigWrittenInlineInTrainingArguments() {
    String text = """
        from transformers import TrainingArguments
        DS = {"zero_optimization": {"stage": 2, "offload_optimizer": {"device": "cpu", "pin_memory": True}}}
        args = TrainingArguments(output_dir="out", deepspeed=DS)
        """;
    ExtractedRun run = only(text);
    Option offload = run.run().option(Options.OPTIMIZER_OFFLOAD);
    assertThat(offload).isEqualTo(new Option(Options.OPTIMIZER_OFFLOAD, "cpu", r(1, 62, 1, 77)));
    assertThat(slice(text, offload.range())).isEqualTo("\"device\": \"cpu\"");
    Fix fix = run.fixes().fixFor(new ProposedChange.SetOption(Options.OPTIMIZER_OFFLOAD, "none", "Keep"))
        .orElseThrow();
    assertThat(fix.edits()).containsExactly(new TextEdit(r(1, 72, 1, 77), "\"none\""));
    // A path to a JSON file is read with that file, not here.
    assertThat(run(text.replace("deepspeed=DS", "deepspeed=\"ds_z3.json\"")).option(Options.OPTIMIZER_OFFLOAD))
        .isNull();
  }
}
