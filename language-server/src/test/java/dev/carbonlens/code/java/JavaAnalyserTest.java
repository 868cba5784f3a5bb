package dev.carbonlens.code.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.carbonlens.code.SourceAnalyser;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaAnalyserTest {
  private static final ReferenceData REFERENCE = ReferenceData.builtIn();
  private final JavaAnalyser analyser = new JavaAnalyser();

  private SourceAnalyser.Result analyse(String text) {
    return analyser.analyse("src/Train.java", text, REFERENCE);
  }

  private Run only(String text) {
    SourceAnalyser.Result r = analyse(text);
    assertThat(r.problems()).isEmpty();
    assertThat(r.runs()).hasSize(1);
    return r.runs().get(0).run();
  }

  /** The range of the n-th (0-based) occurrence of `needle`, computed from UTF-16 offsets. */
  static SourceRange at(String text, String needle, int occurrence) {
    int from = -1;
    for (int i = 0; i <= occurrence; i++) {
      from = text.indexOf(needle, from + 1);
      assertThat(from).as("occurrence %d of %s", i, needle).isGreaterThanOrEqualTo(0);
    }
    return new dev.carbonlens.document.LineIndex(text).range(from, from + needle.length());
  }

  static SourceRange at(String text, String needle) {
    return at(text, needle, 0);
  }

  @Test
  void handlesJavaFilesOnly() {
    assertThat(analyser.handles("Train.java")).isTrue();
    assertThat(analyser.handles("dir/Train.JAVA")).isTrue();
    assertThat(analyser.handles("train.py")).isFalse();
    assertThat(analyser.handles("train.yaml")).isFalse();
  }

  @Test
  void djlFitEpochsLiteralAfterTabAndNonBmpCharacters() {
    String text = "import ai.djl.training.EasyTrain;\n"
        + "class Train {\n"
        + "  void run() {\n"
        + "\tString t = \"é😀\"; EasyTrain.fit(trainer, 300, a, b);\n"
        + "  }\n"
        + "}\n";
    Run run = only(text);
    assertThat(run.format()).isEqualTo("java");
    assertThat(run.file()).isEqualTo("src/Train.java");
    assertThat(run.stage()).isEqualTo(Stage.TRAINING);
    assertThat(run.schedule().epochs()).isEqualTo(300.0);
    assertThat(run.schedule().epochsStated()).isTrue();
    assertThat(run.schedule().earlyStopping()).isFalse();
    // tab = 1 column, é = 1, 😀 = 2 UTF-16 units: "300" at columns 42-45 of line 3
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(3, 42, 3, 45));
    assertThat(run.schedule().epochsRange()).isEqualTo(at(text, "300"));
    // no data type: fp32 by default, at the fit call
    assertThat(run.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(run.precision().stated()).isFalse();
    assertThat(run.precision().range()).isEqualTo(at(text, "EasyTrain.fit(trainer, 300, a, b)"));
    assertThat(run.range()).isEqualTo(SourceRange.of(3, 19, 3, 52));
  }

  @Test
  void crlfLineBreaksKeepPositions() {
    String text = "import ai.djl.training.EasyTrain;\r\nclass T {\r\n  void f() { EasyTrain.fit(t, 12, a, b); }\r\n}\r\n";
    Run run = only(text);
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(2, 30, 2, 32));
  }

  @Test
  void followsStaticFinalFieldsAndLocalsToTheirValueButPointsAtTheUse() {
    String text = """
        import ai.djl.training.EasyTrain;
        class Train {
          private static final int EPOCHS = 300;
          void a() {
            EasyTrain.fit(trainer, EPOCHS, trainSet, validateSet);
          }
          void b() {
            int epochs = 3 * 10;
            EasyTrain.fit(trainer, epochs, trainSet, validateSet);
          }
          void c(int epochs) {
            EasyTrain.fit(trainer, epochs, trainSet, validateSet);
          }
          void d() {
            int epochs = 5;
            epochs = Integer.parseInt(System.getenv("EPOCHS"));
            EasyTrain.fit(trainer, epochs, trainSet, validateSet);
          }
          void e() {
            EasyTrain.fit(trainer, Config.N, trainSet, validateSet);
          }
        }
        class Config { static final int N = 40; }
        """;
    SourceAnalyser.Result r = analyse(text);
    assertThat(r.problems()).isEmpty();
    List<Run> runs = r.runs().stream().map(ExtractedRun::run).toList();
    assertThat(runs).hasSize(5);
    assertThat(runs).extracting(Run::index).containsExactly(0, 1, 2, 3, 4);
    assertThat(runs.get(0).schedule().epochs()).isEqualTo(300.0);
    assertThat(runs.get(0).schedule().epochsRange()).isEqualTo(SourceRange.of(4, 27, 4, 33));
    assertThat(runs.get(1).schedule().epochs()).isEqualTo(30.0);
    assertThat(runs.get(1).schedule().epochsRange()).isEqualTo(at(text, "epochs", 1));
    // a parameter or a value read at run time: unknown, not stated
    assertThat(runs.get(2).schedule().epochs()).isNull();
    assertThat(runs.get(2).schedule().epochsStated()).isFalse();
    assertThat(runs.get(3).schedule().epochs()).isNull();
    assertThat(runs.get(4).schedule().epochs()).isEqualTo(40.0);
    assertThat(runs.get(4).schedule().epochsRange()).isEqualTo(at(text, "Config.N"));
  }

  @Test
  void djlDevicesPrecisionEarlyStoppingAndBatch() {
    String text = """
        import ai.djl.engine.Engine;
        import ai.djl.ndarray.types.DataType;
        import ai.djl.training.*;
        import ai.djl.training.listener.EarlyStoppingListener;
        class Train {
          static final int BATCH = 256;
          void run() {
            model.setDataType(DataType.BFLOAT16);
            var ds = Mnist.builder().setSampling(BATCH, true).build();
            var config = new DefaultTrainingConfig(Loss.l2Loss())
                .optDevices(Engine.getInstance().getDevices(4))
                .addTrainingListeners(EarlyStoppingListener.builder().optEpochPatience(2).build());
            EasyTrain.fit(trainer, 50, ds, null);
          }
        }
        """;
    Run run = only(text);
    assertThat(run.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(run.precision().stated()).isTrue();
    assertThat(run.precision().range()).isEqualTo(at(text, "DataType.BFLOAT16"));
    assertThat(run.devices().count()).isEqualTo(4);
    SourceRange call = at(text, "getDevices(4)");
    assertThat(run.devices().range()).isEqualTo(
        SourceRange.of(call.startLine(), call.startColumn() + 11, call.startLine(), call.startColumn() + 12));
    assertThat(run.devices().range()).isEqualTo(SourceRange.of(10, 52, 10, 53));
    assertThat(run.schedule().earlyStopping()).isTrue();
    assertThat(run.schedule().epochs()).isEqualTo(50.0);
    // DJL's batch is split over the devices
    assertThat(run.workload().globalBatch()).isEqualTo(256);
    assertThat(run.workload().perDeviceBatch()).isEqualTo(64);
  }

  @Test
  void djlFp16OnAnArrayAndOneNamedGpu() {
    String text = """
        import ai.djl.*;
        import ai.djl.training.EasyTrain;
        class Train {
          void run() {
            NDArray x = manager.ones(new Shape(2, 2)).toType(DataType.FLOAT16, false);
            Model model = Model.newInstance("mlp", Device.gpu(1));
            EasyTrain.fit(trainer, 2, a, b);
          }
        }
        """;
    Run run = only(text);
    assertThat(run.precision().precision()).isEqualTo(Precision.FP16);
    assertThat(run.precision().range()).isEqualTo(at(text, "DataType.FLOAT16"));
    assertThat(run.devices().count()).isEqualTo(1);
    assertThat(run.devices().range()).isEqualTo(at(text, "Device.gpu(1)"));
  }

  @Test
  void djlCustomLoopWithTrainBatch() {
    String text = """
        import ai.djl.training.EasyTrain;
        class Train {
          static final int NUM_EPOCHS = 25;
          void run() {
            for (int epoch = 0; epoch < NUM_EPOCHS; epoch++) {
              for (Batch batch : trainer.iterateDataset(ds)) {
                EasyTrain.trainBatch(trainer, batch);
                trainer.step();
              }
            }
          }
        }
        """;
    Run run = only(text);
    assertThat(run.schedule().epochs()).isEqualTo(25.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(at(text, "NUM_EPOCHS", 1));
  }

  @Test
  void dl4jDataTypeFitWithEpochsAndFix() {
    String text = """
        import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
        import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
        import org.nd4j.linalg.api.buffer.DataType;
        class Train {
          public static void main(String[] args) {
            var it = new MnistDataSetIterator(64, true, 1);
            var conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)   // ünïcode ✓
                .updater(new Adam(1e-3)).list().build();
            MultiLayerNetwork model = new MultiLayerNetwork(conf);
            NormalizerStandardize normalizer = new NormalizerStandardize();
            normalizer.fit(it);
            model.fit(it, 120);
          }
        }
        """;
    SourceAnalyser.Result r = analyse(text);
    assertThat(r.problems()).isEmpty();
    assertThat(r.runs()).hasSize(1); // the normaliser's fit does not train
    Run run = r.runs().get(0).run();
    assertThat(run.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(run.precision().stated()).isTrue();
    assertThat(run.precision().range()).isEqualTo(SourceRange.of(7, 18, 7, 32));
    assertThat(run.schedule().epochs()).isEqualTo(120.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(at(text, "120"));
    assertThat(run.workload().perDeviceBatch()).isEqualTo(64);
    assertThat(run.devices()).isNull();

    Fix bf16 = r.runs().get(0).fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    assertThat(bf16.edits()).hasSize(1);
    assertThat(bf16.edits().get(0).range()).isEqualTo(SourceRange.of(7, 27, 7, 32));
    assertThat(bf16.edits().get(0).newText()).isEqualTo("BFLOAT16");
    Fix fp16 = r.runs().get(0).fixes().fixFor(new ProposedChange.UsePrecision(Precision.FP16)).orElseThrow();
    assertThat(fp16.edits().get(0).newText()).isEqualTo("HALF");
    assertThat(r.runs().get(0).fixes().fixFor(new ProposedChange.UsePrecision(Precision.FP8))).isEmpty();
    assertThat(r.runs().get(0).fixes().fixFor(new ProposedChange.AddEarlyStopping())).isEmpty();
  }

  @Test
  void dl4jNonAsciiBeforeTheValueOnTheSameLine() {
    String text = "import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;\n"
        + "class T { void f(MultiLayerNetwork net) {\n"
        + "  String s = \"Größe 😀\"; net.fit(iter, 77);\n"
        + "} }\n";
    Run run = only(text);
    assertThat(run.schedule().epochs()).isEqualTo(77.0);
    // "  String s = " is 13, the string literal 10 units ("Größe 😀" with quotes), then "; net.fit(iter, "
    assertThat(run.schedule().epochsRange()).isEqualTo(SourceRange.of(2, 39, 2, 41));
    assertThat(run.schedule().epochsRange()).isEqualTo(at(text, "77"));
  }

  @Test
  void dl4jForLoopDoubleTypeAndDefaultPrecisionFix() {
    String text = """
        import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
        import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
        class Train {
          private static final int EPOCHS = 300;
          void run() {
            var conf = new NeuralNetConfiguration.Builder().list().build();
            MultiLayerNetwork model = new MultiLayerNetwork(conf);
            for (int i = 0; i < EPOCHS; i++) {
              model.fit(trainIter);
            }
          }
        }
        """;
    SourceAnalyser.Result r = analyse(text);
    Run run = r.runs().get(0).run();
    assertThat(run.schedule().epochs()).isEqualTo(300.0);
    assertThat(run.schedule().epochsStated()).isTrue();
    assertThat(run.schedule().epochsRange()).isEqualTo(at(text, "EPOCHS", 1));
    assertThat(run.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(run.precision().stated()).isFalse();
    assertThat(run.precision().range()).isEqualTo(at(text, "new NeuralNetConfiguration.Builder()"));
    Fix fix = r.runs().get(0).fixes().fixFor(new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
    SourceRange builder = at(text, "new NeuralNetConfiguration.Builder()");
    assertThat(fix.edits().get(0).range())
        .isEqualTo(SourceRange.of(builder.endLine(), builder.endColumn(), builder.endLine(), builder.endColumn()));
    // DataType is not imported: the fix names it in full
    assertThat(fix.edits().get(0).newText()).isEqualTo(".dataType(org.nd4j.linalg.api.buffer.DataType.BFLOAT16)");
  }

  @Test
  void dl4jDoubleIsStatedFp32AndHalfIsFp16() {
    String dbl = """
        import org.nd4j.linalg.api.buffer.DataType;
        class T { void f(MultiLayerNetwork net) {
          new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE);
          net.fit(it, 10);
        } }
        """;
    Run d = only(dbl);
    assertThat(d.precision().precision()).isEqualTo(Precision.FP32);
    assertThat(d.precision().stated()).isTrue();
    assertThat(d.precision().range()).isEqualTo(at(dbl, "DataType.DOUBLE"));
    String half = dbl.replace("DataType.DOUBLE", "DataType.HALF");
    assertThat(only(half).precision().precision()).isEqualTo(Precision.FP16);
    String global = dbl.replace("new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)",
        "Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.BFLOAT16)");
    Run g = only(global);
    assertThat(g.precision().precision()).isEqualTo(Precision.BF16);
    assertThat(g.precision().range()).isEqualTo(at(global, "DataType.BFLOAT16"));
  }

  @Test
  void dl4jEarlyStoppingTrainer() {
    String text = """
        import org.deeplearning4j.earlystopping.*;
        import org.deeplearning4j.earlystopping.termination.*;
        class Train {
          void run() {
            EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(200),
                    new ScoreImprovementEpochTerminationCondition(5))
                .scoreCalculator(new DataSetLossCalculator(testIter, true))
                .build();
            EarlyStoppingTrainer trainer = new EarlyStoppingTrainer(es, conf, trainIter);
            EarlyStoppingResult<MultiLayerNetwork> result = trainer.fit();
          }
        }
        """;
    Run run = only(text);
    assertThat(run.schedule().epochs()).isEqualTo(200.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(at(text, "200"));
    assertThat(run.schedule().earlyStopping()).isTrue();
    assertThat(run.range()).isEqualTo(at(text, "trainer.fit()"));

    // only a maximum: every epoch up to it runs
    String maxOnly = text.replace(",\n            new ScoreImprovementEpochTerminationCondition(5))", ")");
    assertThat(maxOnly).doesNotContain("ScoreImprovement");
    Run m = only(maxOnly);
    assertThat(m.schedule().epochs()).isEqualTo(200.0);
    assertThat(m.schedule().earlyStopping()).isFalse();
  }

  @Test
  void dl4jParallelWrapperWorkersAreDevices() {
    String text = """
        import org.deeplearning4j.parallelism.ParallelWrapper;
        import org.nd4j.jita.conf.CudaEnvironment;
        class Train {
          static final int GPUS = 8;
          void run() {
            CudaEnvironment.getInstance().getConfiguration().allowMultiGPU(true).setMaximumDeviceCache(2L << 30);
            ParallelWrapper wrapper = new ParallelWrapper.Builder(model)
                .prefetchBuffer(24)
                .workers(GPUS)
                .averagingFrequency(3)
                .build();
            for (int epoch = 1; epoch <= 40; epoch++) {
              wrapper.fit(trainIter);
            }
          }
        }
        """;
    Run run = only(text);
    assertThat(run.devices().count()).isEqualTo(8);
    assertThat(run.devices().range()).isEqualTo(at(text, "GPUS", 1));
    assertThat(run.schedule().epochs()).isEqualTo(40.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(at(text, "40"));
  }

  @Test
  void transferLearningIsFineTuning() {
    String text = """
        import org.deeplearning4j.nn.transferlearning.TransferLearning;
        class T { void f() {
          ComputationGraph net = new TransferLearning.GraphBuilder(pretrained).build();
          net.fit(it, 3);
        } }
        """;
    assertThat(only(text).stage()).isEqualTo(Stage.FINE_TUNING);
  }

  @Test
  void noTrainingConstructNoRun() {
    assertThat(analyse("class A { void f() { System.out.println(1); } }").runs()).isEmpty();
    assertThat(analyse("import org.nd4j.linalg.factory.Nd4j;\nclass A { void f() { Nd4j.create(3); } }").runs())
        .isEmpty();
    // a fit outside DL4J or DJL is not training
    assertThat(analyse("class A { void f() { model.fit(x, 10); } }").runs()).isEmpty();
    assertThat(analyse("").runs()).isEmpty();
  }

  @Test
  void halfTypedFileGivesOneProblemAndWhatStillParses() {
    String text = """
        import ai.djl.training.EasyTrain;
        class Train {
          void a() {
            int broken = 3
            int x = 4;
          }
          void b() {
            EasyTrain.fit(trainer, 60, trainSet, validateSet);
          }
        }
        """;
    SourceAnalyser.Result r = analyse(text);
    assertThat(r.problems()).hasSize(1);
    // the message is cut before JavaParser's list of every token it would have accepted
    assertThat(r.problems().get(0).message()).isEqualTo("Parse error. Found \"int\"");
    assertThat(r.problems().get(0).range()).isEqualTo(SourceRange.of(4, 4, 4, 7));
    assertThat(r.problems().get(0).range()).isEqualTo(at(text, "int", 1));
    assertThat(r.runs()).hasSize(1);
    assertThat(r.runs().get(0).run().schedule().epochs()).isEqualTo(60.0);
    assertThat(r.runs().get(0).run().schedule().epochsRange()).isEqualTo(at(text, "60"));
  }

  @Test
  void fileCutOffMidCallStillGivesItsRun() {
    String text = """
        import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
        import org.nd4j.linalg.api.buffer.DataType;
        class Train {
          static final int EPOCHS = 90;
          void run(MultiLayerNetwork model) {
            new NeuralNetConfiguration.Builder().dataType(DataType.HALF);
            model.fit(it, EPOCHS);
            model.
        """;
    SourceAnalyser.Result r = analyse(text);
    assertThat(r.problems()).hasSize(1);
    // "model." then the end of the text: JavaParser finds the dot where it wanted an expression's end
    assertThat(r.problems().get(0).message()).startsWith("Parse error. Found \".\"");
    assertThat(r.problems().get(0).range()).isEqualTo(SourceRange.of(7, 9, 7, 10));
    assertThat(r.runs()).hasSize(1);
    Run run = r.runs().get(0).run();
    assertThat(run.schedule().epochs()).isEqualTo(90.0);
    assertThat(run.schedule().epochsRange()).isEqualTo(at(text, "EPOCHS", 1));
    assertThat(run.precision().precision()).isEqualTo(Precision.FP16);
  }

  @Test
  void endOfTextProblemIsJustAfterTheLastToken() {
    String text = "import ai.djl.training.EasyTrain;\nclass A { void f() { EasyTrain.fit(t, 30, a, b); model.fit(";
    SourceAnalyser.Result r = analyse(text);
    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).range()).isEqualTo(SourceRange.of(1, 59, 1, 59));
    assertThat(r.runs()).hasSize(1);
    assertThat(r.runs().get(0).run().schedule().epochsRange()).isEqualTo(at(text, "30"));
  }

  @Test
  void junkNeverThrows() {
    List<String> junk = List.of("@@@ ###", "class {{{{{{", "\u0000\uFFFF\uD800", "\"unterminated", "/* open comment",
        "class A { void f() { EasyTrain.fit(", "import ai.djl.*; class A { void f() { EasyTrain.fit(t, 99999999999999999999, a, b); } }",
        "(((((((((((((((((((((((((((((((((((((((((((((((((", "}}}}}}", "class A { int x = 1 / 0; void f() { EasyTrain.fit(t, x, a, b); } }",
        "import ai.djl.*; class A { static final int E = E; void f() { EasyTrain.fit(t, E, a, b); } }",
        "x".repeat(10_000), "{".repeat(5_000));
    for (String text : junk) {
      assertThatCode(() -> {
        SourceAnalyser.Result r = analyse(text);
        assertThat(r.problems().size()).isLessThanOrEqualTo(1);
      }).as(text.length() > 60 ? text.substring(0, 60) : text).doesNotThrowAnyException();
    }
    assertThatCode(() -> analyser.analyse(null, null, REFERENCE)).doesNotThrowAnyException();
  }
}
