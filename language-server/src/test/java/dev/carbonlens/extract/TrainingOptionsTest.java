package dev.carbonlens.extract;

import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.extracted;
import static dev.carbonlens.extract.ExtractTesting.run;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import org.junit.jupiter.api.Test;

/** The named options read from TrainingArguments keys (HF, Axolotl, LLaMA-Factory, torchtune) and their fixes. */
class TrainingOptionsTest {

  private static final String HF = """
      model_name_or_path: FacebookAI/roberta-base
      task_name: mrpc
      num_train_epochs: 3
      per_device_train_batch_size: 32
      gradient_checkpointing: true
      dataloader_num_workers: 4
      tf32: false
      push_to_hub: true
      hub_strategy: every_save
      load_best_model_at_end: true
      output_dir: out
      """;

  @Test
  void readsEveryWrittenOptionWithItsRange() {
    Run run = run("glue.yaml", HF);
    assertThat(run.format()).isEqualTo("huggingface");
    assertThat(run.option(Options.GRADIENT_CHECKPOINTING))
        .isEqualTo(new Option(Options.GRADIENT_CHECKPOINTING, "true", SourceRange.of(4, 0, 4, 28)));
    assertThat(slice(HF, run.option(Options.GRADIENT_CHECKPOINTING).range())).isEqualTo("gradient_checkpointing: true");
    assertThat(run.option(Options.DATALOADER_WORKERS))
        .isEqualTo(new Option(Options.DATALOADER_WORKERS, "4", SourceRange.of(5, 0, 5, 25)));
    assertThat(run.option(Options.TF32)).isEqualTo(new Option(Options.TF32, "false", SourceRange.of(6, 0, 6, 11)));
    assertThat(run.option(Options.TF32).isFalse()).isTrue();
    assertThat(run.option(Options.PUSH_TO_HUB).isTrue()).isTrue();
    assertThat(slice(HF, run.option(Options.PUSH_TO_HUB).range())).isEqualTo("push_to_hub: true");
    assertThat(run.option(Options.HUB_STRATEGY))
        .isEqualTo(new Option(Options.HUB_STRATEGY, "every_save", SourceRange.of(8, 0, 8, 24)));
    assertThat(run.option(Options.TRACKS_BEST_MODEL).isTrue()).isTrue();
    assertThat(slice(HF, run.option(Options.TRACKS_BEST_MODEL).range())).isEqualTo("load_best_model_at_end: true");
    assertThat(run.option(Options.CLASSIFICATION))
        .isEqualTo(new Option(Options.CLASSIFICATION, "mrpc", SourceRange.of(1, 0, 1, 15)));
  }

  @Test
  void unwrittenOptionsStayUnknown() {
    Run run = run("sft.yaml", """
        model_name_or_path: meta-llama/Llama-3.1-8B
        dataset_name: HuggingFaceH4/ultrachat_200k
        num_train_epochs: 1
        bf16: true
        output_dir: out
        """);
    assertThat(run.options()).isEmpty();
  }

  @Test
  void classificationFromTheLabelCountOrAClassificationDataset() {
    Run labels = run("cls.yaml", """
        model_name_or_path: meta-llama/Llama-2-70b-hf
        num_labels: 5
        num_train_epochs: 3
        per_device_train_batch_size: 8
        output_dir: out
        """);
    assertThat(labels.option(Options.CLASSIFICATION).value()).isEqualTo("5");
    assertThat(labels.option(Options.CLASSIFICATION).range()).isEqualTo(SourceRange.of(1, 0, 1, 13));

    Run dataset = run("imdb.yaml", """
        model_name_or_path: distilbert/distilbert-base-uncased
        dataset_name: stanfordnlp/imdb
        num_train_epochs: 2
        learning_rate: 2.0e-5
        output_dir: out
        """);
    assertThat(dataset.option(Options.CLASSIFICATION).value()).isEqualTo("stanfordnlp/imdb");

    // one label is regression (STS-B), not classification
    Run regression = run("stsb.yaml", """
        model_name_or_path: FacebookAI/roberta-base
        task_name: stsb
        num_labels: 1
        num_train_epochs: 3
        per_device_train_batch_size: 32
        output_dir: out
        """);
    assertThat(regression.option(Options.CLASSIFICATION)).isNull();
  }

  @Test
  void axolotlAndLlamaFactoryShareTheTransformersKeys() {
    Run axolotl = run("axolotl.yaml", """
        base_model: NousResearch/Meta-Llama-3-8B
        adapter: lora
        lora_r: 16
        sequence_len: 4096
        micro_batch_size: 2
        num_epochs: 1
        gradient_checkpointing: true
        tf32: false
        hub_strategy: every_save
        push_to_hub: true
        """);
    assertThat(axolotl.format()).isEqualTo("axolotl");
    assertThat(axolotl.option(Options.GRADIENT_CHECKPOINTING).range()).isEqualTo(SourceRange.of(6, 0, 6, 28));
    assertThat(axolotl.option(Options.TF32).isFalse()).isTrue();
    assertThat(axolotl.option(Options.HUB_STRATEGY).value()).isEqualTo("every_save");
    assertThat(axolotl.option(Options.PUSH_TO_HUB).isTrue()).isTrue();

    Run factory = run("llama3_lora_sft.yaml", """
        model_name_or_path: meta-llama/Meta-Llama-3-8B-Instruct
        stage: sft
        finetuning_type: lora
        lora_rank: 8
        gradient_checkpointing: false
        load_best_model_at_end: true
        output_dir: saves/llama3-8b/lora/sft
        """);
    assertThat(factory.format()).isEqualTo("llama-factory");
    assertThat(factory.option(Options.GRADIENT_CHECKPOINTING).isFalse()).isTrue();
    assertThat(factory.option(Options.TRACKS_BEST_MODEL).isTrue()).isTrue();
  }

  @Test
  void torchtuneActivationCheckpointing() {
    String text = """
        model:
          _component_: torchtune.models.llama3_1.lora_llama3_1_8b
          lora_rank: 8
        tokenizer:
          _component_: torchtune.models.llama3.llama3_tokenizer
          path: /tmp/Meta-Llama-3.1-8B-Instruct/original/tokenizer.model
        optimizer:
          _component_: torch.optim.AdamW
          lr: 3e-4
        epochs: 1
        dtype: bf16
        enable_activation_checkpointing: True
        """;
    Run run = run("8B_lora.yaml", text);
    assertThat(run.format()).isEqualTo("torchtune");
    assertThat(run.option(Options.GRADIENT_CHECKPOINTING).value()).isEqualTo("true");
    assertThat(slice(text, run.option(Options.GRADIENT_CHECKPOINTING).range()))
        .isEqualTo("enable_activation_checkpointing: True");
  }

  @Test
  void setOptionFixesWriteTheTransformersKeys() {
    ExtractedRun hf = extracted("glue.yaml", HF);
    var tf32 = hf.fixes().fixFor(new ProposedChange.SetOption(Options.TF32, "true", "Enable TF32")).orElseThrow();
    assertThat(apply(HF, tf32.edits())).contains("tf32: true\n").doesNotContain("tf32: false");
    var hub = hf.fixes().fixFor(new ProposedChange.SetOption(Options.HUB_STRATEGY, "end", "Push once")).orElseThrow();
    assertThat(apply(HF, hub.edits())).contains("hub_strategy: end\n");
    var workers = hf.fixes().fixFor(new ProposedChange.SetOption(Options.DATALOADER_WORKERS, "8", "Workers"))
        .orElseThrow();
    assertThat(apply(HF, workers.edits())).contains("dataloader_num_workers: 8\n");
    var logging = hf.fixes().fixFor(new ProposedChange.SetOption("logging_steps", "50", "Log every 50 steps"))
        .orElseThrow();
    assertThat(apply(HF, logging.edits())).endsWith("output_dir: out\nlogging_steps: 50\n");
    // an option with no key here has no fix
    assertThat(hf.fixes().fixFor(new ProposedChange.SetOption(Options.PROFILER, "none", "No profiler"))).isEmpty();

    String axolotl = """
        base_model: NousResearch/Meta-Llama-3-8B
        adapter: lora
        sequence_len: 4096
        micro_batch_size: 2
        num_epochs: 1
        """;
    var gc = extracted("axolotl.yaml", axolotl).fixes()
        .fixFor(new ProposedChange.SetOption(Options.GRADIENT_CHECKPOINTING, "true", "Recompute activations"))
        .orElseThrow();
    assertThat(apply(axolotl, gc.edits())).endsWith("num_epochs: 1\ngradient_checkpointing: true\n");
  }

  @Test
  void usePeftFalseIsAStatedFullFineTune() {
    String text = """
        model_name_or_path: Qwen/Qwen2.5-7B
        use_peft: false
        lora_r: 16
        num_train_epochs: 1
        per_device_train_batch_size: 4
        output_dir: out
        """;
    Run run = run("sft.yaml", text);
    assertThat(run.fineTuning()).isEqualTo(new dev.carbonlens.model.FineTuning("full", null, SourceRange.of(1, 0, 1, 15)));
    assertThat(slice(text, run.fineTuning().range())).isEqualTo("use_peft: false");
  }

  @Test
  void fractionalStepsAreRatiosOfTheRunNotCounts() {
    String text = """
        model_name_or_path: HuggingFaceTB/SmolLM3-3B-Base
        num_train_epochs: 5
        eval_strategy: steps
        eval_steps: 0.1
        save_strategy: steps
        save_steps: 0.05
        logging_steps: 10
        output_dir: out
        """;
    Run run = run("mid.yaml", text);
    // a save every 5 % of the run: by steps, how many steps apart depends on the data
    assertThat(run.checkpointing().strategy()).isEqualTo("steps");
    assertThat(run.checkpointing().everySteps()).isNull();
    assertThat(slice(text, run.checkpointing().range())).isEqualTo("save_steps: 0.05");
    assertThat(run.evaluation()).isEqualTo(new dev.carbonlens.model.Evaluation("steps", null, SourceRange.of(3, 0, 3, 15)));
  }

  @Test
  void axolotlPushesToTheHubWhenAHubModelIdIsSet() {
    String text = """
        base_model: NousResearch/Meta-Llama-3-8B
        adapter: lora
        sequence_len: 4096
        micro_batch_size: 2
        save_steps: 200
        hub_model_id: my-org/llama-3-8b-lora
        """;
    Run run = run("axolotl.yaml", text);
    assertThat(run.option(Options.PUSH_TO_HUB).value()).isEqualTo("true");
    assertThat(slice(text, run.option(Options.PUSH_TO_HUB).range())).isEqualTo("hub_model_id: my-org/llama-3-8b-lora");
    assertThat(run.option(Options.HUB_STRATEGY)).isNull();
  }

  @Test
  void axolotlEarlyStoppingFixNeedsWholeDividingStepsAndAValidationSplit() {
    String ok = """
        base_model: NousResearch/Meta-Llama-3-8B
        adapter: lora
        sequence_len: 4096
        micro_batch_size: 2
        val_set_size: 0.05
        eval_steps: 100
        save_steps: 200
        """;
    var fix = extracted("axolotl.yaml", ok).fixes().fixFor(new ProposedChange.AddEarlyStopping()).orElseThrow();
    assertThat(apply(ok, fix.edits())).endsWith("save_steps: 200\nearly_stopping_patience: 3\n");
    // Axolotl refuses early_stopping_patience when eval_steps does not divide save_steps
    String uneven = ok.replace("save_steps: 200", "save_steps: 150");
    assertThat(extracted("axolotl.yaml", uneven).fixes().fixFor(new ProposedChange.AddEarlyStopping())).isEmpty();
    String noSplit = ok.replace("val_set_size: 0.05\n", "");
    assertThat(extracted("axolotl.yaml", noSplit).fixes().fixFor(new ProposedChange.AddEarlyStopping())).isEmpty();
  }

  @Test
  void llamaFactoryEarlyStoppingStepsStopsEarlyAndItsFixNeedsMatchingSaves() {
    String text = """
        model_name_or_path: Qwen/Qwen2.5-1.5B-Instruct
        stage: sft
        finetuning_type: lora
        max_steps: 60000
        val_size: 0.05
        eval_strategy: steps
        eval_steps: 2000
        save_steps: 4000
        output_dir: saves/qwen
        """;
    assertThat(run("sft.yaml", text).schedule().earlyStopping()).isFalse();
    assertThat(run("sft.yaml", text + "early_stopping_steps: 3\n").schedule().earlyStopping()).isTrue();
    var fix = extracted("sft.yaml", text).fixes().fixFor(new ProposedChange.AddEarlyStopping()).orElseThrow();
    assertThat(apply(text, fix.edits())).contains("\nearly_stopping_steps: 3").contains("\nload_best_model_at_end: true");
    // saves that miss evaluations cannot load the best model: no fix
    String uneven = text.replace("save_steps: 4000", "save_steps: 3000");
    assertThat(extracted("sft.yaml", uneven).fixes().fixFor(new ProposedChange.AddEarlyStopping())).isEmpty();
  }
}
