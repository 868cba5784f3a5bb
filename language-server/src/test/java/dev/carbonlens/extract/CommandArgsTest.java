package dev.carbonlens.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.MappingNode;
import dev.carbonlens.document.ParsedDocument;
import dev.carbonlens.document.ScalarNode;
import dev.carbonlens.document.SequenceNode;
import dev.carbonlens.model.SourceRange;
import org.junit.jupiter.api.Test;

class CommandArgsTest {

  private static ParsedDocument parse(String text) {
    return DocumentParser.parse("c.yaml", text);
  }

  private static String slice(String text, SourceRange r) {
    return ExtractTesting.slice(text, r);
  }

  @Test
  void blockScalarWordsKeepTheirPositions() {
    String text = """
        run: |
          torchrun --nproc_per_node=8 train.py \\
            --num_train_epochs 30 --fp16 \\
            --output_dir "out dir"  # where to write
          echo done
        """;
    ParsedDocument doc = parse(text);
    ScalarNode run = (ScalarNode) ((MappingNode) doc.roots().get(0)).get("run").orElseThrow();
    CommandArgs args = CommandArgs.of(run, doc);
    assertThat(args.tokens()).extracting(CommandArgs.Token::text).containsExactly(
        "torchrun", "--nproc_per_node=8", "train.py", "--num_train_epochs", "30", "--fp16", "--output_dir", "out dir",
        "echo", "done");
    Setting epochs = args.get("num_train_epochs").orElseThrow();
    assertThat(epochs.text()).isEqualTo("30");
    assertThat(epochs.keyRange()).isEqualTo(SourceRange.of(2, 4, 2, 22));
    assertThat(slice(text, epochs.range())).isEqualTo("--num_train_epochs 30");
    Setting fp16 = args.get("fp16").orElseThrow();
    assertThat(fp16.isTrue()).isTrue();
    assertThat(slice(text, fp16.range())).isEqualTo("--fp16");
    Setting nproc = args.get("nproc-per-node").orElseThrow(); // `-` and `_` are the same name
    assertThat(nproc.text()).isEqualTo("8");
    assertThat(slice(text, nproc.valueRange())).isEqualTo("8");
    assertThat(args.get("output_dir").orElseThrow().text()).isEqualTo("out dir");
    assertThat(slice(text, args.get("output_dir").orElseThrow().valueRange())).isEqualTo("\"out dir\"");
    assertThat(args.has("where")).isFalse(); // comments are not arguments
    assertThat(args.mentions("TORCHRUN")).isTrue();
  }

  @Test
  void quotedAndPlainScalarsAndOverrides() {
    String text = "command: \"tune run full_finetune epochs=3 dtype=bf16 --config llama3/8B_full\"\n"
        + "plain: python train.py --precision 16-mixed --max_epochs=-1\n";
    ParsedDocument doc = parse(text);
    MappingNode root = (MappingNode) doc.roots().get(0);
    CommandArgs tune = CommandArgs.of((ScalarNode) root.get("command").orElseThrow(), doc);
    assertThat(tune.get("epochs").orElseThrow().text()).isEqualTo("3");
    assertThat(slice(text, tune.get("dtype").orElseThrow().range())).isEqualTo("dtype=bf16");
    assertThat(tune.get("config").orElseThrow().text()).isEqualTo("llama3/8B_full");
    CommandArgs plain = CommandArgs.of((ScalarNode) root.get("plain").orElseThrow(), doc);
    assertThat(plain.get("precision").orElseThrow().text()).isEqualTo("16-mixed");
    assertThat(plain.get("max_epochs").orElseThrow().text()).isEqualTo("-1");
    assertThat(slice(text, plain.get("max_epochs").orElseThrow().valueRange())).isEqualTo("-1");
  }

  @Test
  void containerListsAndShellWrappers() {
    String text = """
        args: ["--model", "meta-llama/Llama-3.1-8B", "--dtype", "float16", "--enforce-eager"]
        command:
          - /bin/sh
          - -c
          - python -m vllm.entrypoints.openai.api_server --max-num-seqs 256
        """;
    ParsedDocument doc = parse(text);
    MappingNode root = (MappingNode) doc.roots().get(0);
    CommandArgs args = CommandArgs.of((SequenceNode) root.get("args").orElseThrow(), doc);
    assertThat(args.get("model").orElseThrow().text()).isEqualTo("meta-llama/Llama-3.1-8B");
    assertThat(slice(text, args.get("dtype").orElseThrow().valueRange())).isEqualTo("\"float16\"");
    assertThat(args.get("enforce_eager").orElseThrow().isTrue()).isTrue();
    CommandArgs command = CommandArgs.of(root.get("command").orElseThrow(), doc);
    assertThat(command.get("max_num_seqs").orElseThrow().text()).isEqualTo("256");
    assertThat(slice(text, command.get("max_num_seqs").orElseThrow().valueRange())).isEqualTo("256");
    assertThat(CommandArgs.concat(command, args).mentions("vllm")).isTrue();
  }

  @Test
  void emptyAndNullScriptsGiveNoArguments() {
    ParsedDocument doc = parse("run:\nother: |\n\n");
    MappingNode root = (MappingNode) doc.roots().get(0);
    assertThat(CommandArgs.of(root.get("run").orElseThrow(), doc).isEmpty()).isTrue();
    assertThat(CommandArgs.of(root.get("other").orElseThrow(), doc).isEmpty()).isTrue();
  }
}
