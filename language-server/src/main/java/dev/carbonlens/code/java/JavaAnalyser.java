package dev.carbonlens.code.java;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParseStart;
import com.github.javaparser.Providers;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ParserConfiguration.LanguageLevel;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.SimpleName;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import dev.carbonlens.code.SourceAnalyser;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.extract.ExtractedRun;
import dev.carbonlens.extract.Fix;
import dev.carbonlens.extract.FixWriter;
import dev.carbonlens.extract.TextEdit;
import dev.carbonlens.limits.Budget;
import dev.carbonlens.limits.BudgetedReader;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.ReferenceData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads Java training programs written with DJL (`EasyTrain.fit`, `DefaultTrainingConfig`) or
 * Deeplearning4j (`NeuralNetConfiguration.Builder`, `MultiLayerNetwork.fit`, `EarlyStoppingTrainer`)
 * into runs of format {@value #FORMAT}: one run per method that trains, each fact at the argument or
 * literal that holds it.
 *
 * <p>What a program fixes file-wide (data type, devices, early stopping, batch size) is shared by the
 * runs of the file; the schedule is read at each training call.
 */
public final class JavaAnalyser implements SourceAnalyser {
  public static final String FORMAT = "java";

  /** DL4J classes whose `fit` trains a network (a normaliser's `fit` only reads statistics). */
  private static final Set<String> DL4J_TRAINERS = Set.of("MultiLayerNetwork", "ComputationGraph",
      "ParallelWrapper", "EarlyStoppingTrainer", "EarlyStoppingGraphTrainer", "IEarlyStoppingTrainer",
      "EarlyStoppingParallelTrainer", "BaseEarlyStoppingTrainer", "SparkDl4jMultiLayer", "SparkComputationGraph",
      "Model", "Trainer");
  private static final Set<String> DL4J_ES_TRAINERS = Set.of("EarlyStoppingTrainer", "EarlyStoppingGraphTrainer",
      "IEarlyStoppingTrainer", "EarlyStoppingParallelTrainer", "BaseEarlyStoppingTrainer");
  /** DL4J epoch conditions that end training when the score stops improving: early stopping proper. */
  private static final Set<String> SCORE_CONDITIONS = Set.of("ScoreImprovementEpochTerminationCondition",
      "BestScoreEpochTerminationCondition");
  /** DL4J iterators and the position of their batch-size argument when no argument is named `batch...`. */
  private static final Map<String, Integer> ITERATOR_BATCH_ARG = Map.of("MnistDataSetIterator", 0,
      "Cifar10DataSetIterator", 0, "IrisDataSetIterator", 0, "EmnistDataSetIterator", 1,
      "RecordReaderDataSetIterator", 1, "TinyImageNetDataSetIterator", 0, "LFWDataSetIterator", 0);
  /** Calls that set the precision of a whole model or of the framework's default. */
  private static final Set<String> MODEL_TYPE_CALLS = Set.of("dataType", "setDataType", "setDefaultDataTypes",
      "convertDataType", "cast", "optDataType");
  private static final Set<String> DL4J_FIXABLE_CALLS = Set.of("dataType", "setDataType", "setDefaultDataTypes",
      "convertDataType");
  private static final Set<String> MANAGER_CALLS = Set.of("create", "ones", "zeros", "full", "arange",
      "randomNormal", "randomUniform", "truncatedNormal", "eye", "linspace");

  @Override
  public boolean handles(String fileName) {
    return fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".java");
  }

  @Override
  public Result analyse(String fileName, String text, ReferenceData reference) {
    String source = text == null ? "" : text;
    JavaPositions positions = new JavaPositions(source);
    List<ParseProblem> problems = List.of();
    try {
      ParseResult<CompilationUnit> parsed = parseWithin(source);
      if (!parsed.getProblems().isEmpty()) {
        // One problem: the first is where the typing stopped; the rest follow from it.
        problems = List.of(positions.problem(parsed.getProblems().get(0)));
      }
      CompilationUnit unit = parsed.getResult().orElse(null);
      List<ExtractedRun> runs = unit == null ? List.of() : new Reading(fileName, unit, positions).runs();
      if (runs.isEmpty() && !parsed.isSuccessful()) {
        // A file typed up to the middle of a block loses the whole block: close what is open and read
        // again. Appended text leaves every position in the original text where it was.
        runs = closed(source).flatMap(c -> parser().parse(c).getResult())
            .map(u -> new Reading(fileName, u, positions).runs())
            .orElse(List.of());
      }
      return new Result(runs, problems);
    } catch (RuntimeException | StackOverflowError e) {
      Budget.rethrowIfStop(e);
      return new Result(List.of(), problems);
    }
  }

  /**
   * Parses through a reader that checks the analysis' budget: JavaParser turns the exception that stops it into a
   * parse problem, so the budget is asked again afterwards and throws for real.
   */
  private static ParseResult<CompilationUnit> parseWithin(String source) {
    Budget budget = Budget.current();
    ParseResult<CompilationUnit> parsed =
        parser().parse(ParseStart.COMPILATION_UNIT, Providers.provider(new BudgetedReader(source, budget)));
    budget.check();
    return parsed;
  }

  /**
   * Java 21 syntax without JavaParser's post-parse language checks (they cost two thirds of a parse, and a
   * compiler reports those mistakes better).
   */
  private static JavaParser parser() {
    return new JavaParser(new ParserConfiguration().setLanguageLevel(LanguageLevel.RAW));
  }

  /** The text with its unclosed braces and parentheses closed, when some are open. */
  static Optional<String> closed(String text) {
    StringBuilder open = new StringBuilder();
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else if (c == '"' || c == '\'') {
        i++;
        while (i < n && text.charAt(i) != c && text.charAt(i) != '\n') {
          i += text.charAt(i) == '\\' ? 2 : 1;
        }
      } else if (c == '{' || c == '(') {
        open.append(c);
      } else if ((c == '}' || c == ')') && open.length() > 0) {
        open.setLength(open.length() - 1);
      }
    }
    if (open.length() == 0) {
      return Optional.empty();
    }
    StringBuilder closing = new StringBuilder("\n");
    for (int i = open.length() - 1; i >= 0; i--) {
      closing.append(open.charAt(i) == '(' ? ");" : "}");
    }
    return Optional.of(text + closing);
  }

  /** A call that trains, with the schedule read at it. */
  private record TrainingCall(MethodCallExpr call, Node method, Schedule schedule, String framework) {}

  /** A data type as written, where it was written and how much it says about the whole run. */
  private record TypeChoice(Precision precision, Expression written, int rank, boolean dl4jFixable, String note) {}

  /** One pass over one parsed file. */
  private static final class Reading {
    private final String file;
    private final CompilationUnit unit;
    private final JavaPositions positions;
    private final JavaValues values;
    private final boolean dl4j;
    private final boolean djl;

    Reading(String fileName, CompilationUnit unit, JavaPositions positions) {
      this.file = fileName == null ? "" : fileName.replace('\\', '/');
      this.unit = unit;
      this.positions = positions;
      this.values = new JavaValues(unit);
      this.dl4j = imports("org.deeplearning4j", "org.nd4j") || mentions("NeuralNetConfiguration",
          "MultiLayerNetwork", "ComputationGraph", "ParallelWrapper", "EarlyStoppingTrainer");
      this.djl = imports("ai.djl") || mentions("EasyTrain", "DefaultTrainingConfig");
    }

    List<ExtractedRun> runs() {
      List<TrainingCall> calls = trainingCalls();
      if (calls.isEmpty()) {
        return List.of();
      }
      // One run per method that trains: its first call with a known epoch count, else its first call.
      Map<Node, TrainingCall> byMethod = new LinkedHashMap<>();
      for (TrainingCall c : calls) {
        TrainingCall held = byMethod.get(c.method());
        if (held == null || (held.schedule().epochs() == null && c.schedule().epochs() != null)) {
          byMethod.put(c.method(), c);
        }
      }
      Optional<TypeChoice> type = dataType();
      Optional<DeviceCount> devices = devices();
      Stage stage = fineTunes() ? Stage.FINE_TUNING : Stage.TRAINING;
      List<ExtractedRun> runs = new ArrayList<>();
      int index = 0;
      for (TrainingCall c : byMethod.values()) {
        SourceRange at = positions.of(c.call());
        Run.Builder run = Run.builder(file, index++, FORMAT, stage, at).schedule(c.schedule());
        devices.ifPresent(run::devices);
        PrecisionChoice precision;
        FixWriter fixes = FixWriter.NONE;
        if (type.isPresent()) {
          TypeChoice t = type.get();
          precision = new PrecisionChoice(t.precision(), true, positions.of(t.written()));
          if (t.dl4jFixable()) {
            fixes = replaceDataType(t.written());
          }
        } else {
          // Nothing sets a type: both frameworks compute in fp32. DL4J's setting goes on the builder.
          Optional<ObjectCreationExpr> builder = "dl4j".equals(c.framework()) ? nnBuilder() : Optional.empty();
          precision = new PrecisionChoice(Precision.FP32, false,
              builder.map(positions::of).orElse(at));
          if (builder.isPresent()) {
            fixes = insertDataType(builder.get());
          }
        }
        run.precision(precision);
        run.workload(workload(devices.map(DeviceCount::count).orElse(null)));
        runs.add(new ExtractedRun(run.build(), fixes));
      }
      return runs;
    }

    // ---- what trains ---------------------------------------------------------------------------

    private List<TrainingCall> trainingCalls() {
      List<TrainingCall> calls = new ArrayList<>();
      for (MethodCallExpr call : unit.findAll(MethodCallExpr.class)) {
        String scope = call.getScope().map(Object::toString).orElse("");
        String name = call.getNameAsString();
        Node method = enclosingMethod(call);
        if (scopeIs(scope, "EasyTrain") && name.equals("fit") && call.getArguments().size() >= 2) {
          calls.add(new TrainingCall(call, method, djlSchedule(call.getArgument(1)), "djl"));
        } else if (scopeIs(scope, "EasyTrain") && name.equals("trainBatch")) {
          boolean es = djlEarlyStopping();
          Schedule looped = loopSchedule(call, es);
          calls.add(new TrainingCall(call, method,
              looped != null ? looped : new Schedule(null, false, positions.of(call), null, null, es), "djl"));
        } else if (dl4j && name.equals("fit") && !scopeIs(scope, "EasyTrain") && trainsDl4j(call)) {
          calls.add(new TrainingCall(call, method, dl4jSchedule(call), "dl4j"));
        }
      }
      return calls;
    }

    private boolean trainsDl4j(MethodCallExpr call) {
      Optional<Expression> scope = call.getScope();
      if (scope.isEmpty()) {
        return false;
      }
      if (scope.get() instanceof ObjectCreationExpr created) {
        return DL4J_TRAINERS.contains(created.getType().getNameAsString());
      }
      String name = scope.get() instanceof NameExpr n ? n.getNameAsString()
          : scope.get() instanceof FieldAccessExpr f ? f.getNameAsString() : null;
      if (name == null) {
        return false;
      }
      Optional<String> type = values.declaredType(name, call);
      if (type.isPresent()) {
        return DL4J_TRAINERS.contains(type.get());
      }
      String lower = name.toLowerCase(Locale.ROOT);
      return !lower.contains("normali") && !lower.contains("scaler")
          && (lower.contains("model") || lower.contains("net") || lower.contains("graph")
              || lower.contains("wrapper") || lower.contains("trainer"));
    }

    private boolean isEarlyStoppingTrainer(MethodCallExpr call) {
      Expression scope = call.getScope().orElse(null);
      if (scope instanceof ObjectCreationExpr created) {
        return DL4J_ES_TRAINERS.contains(created.getType().getNameAsString());
      }
      if (scope instanceof NameExpr n) {
        return values.declaredType(n.getNameAsString(), call).map(DL4J_ES_TRAINERS::contains).orElse(false);
      }
      return false;
    }

    // ---- schedules -----------------------------------------------------------------------------

    private Schedule djlSchedule(Expression epochs) {
      return epochSchedule(epochs, djlEarlyStopping());
    }

    /** An epoch count as written at `used` (a literal, or a constant followed to its value). */
    private Schedule epochSchedule(Expression used, boolean earlyStopping) {
      OptionalLong n = values.longValue(used);
      SourceRange range = positions.of(used);
      if (n.isPresent() && n.getAsLong() >= 0) {
        return new Schedule((double) n.getAsLong(), true, range, null, null, earlyStopping);
      }
      return new Schedule(null, false, range, null, null, earlyStopping);
    }

    private Schedule dl4jSchedule(MethodCallExpr call) {
      boolean es = dl4jEarlyStopping();
      if (isEarlyStoppingTrainer(call) || (call.getArguments().isEmpty() && esConfigured())) {
        Optional<ObjectCreationExpr> max = created("MaxEpochsTerminationCondition").stream()
            .filter(c -> !c.getArguments().isEmpty()).findFirst();
        if (max.isPresent()) {
          return epochSchedule(max.get().getArgument(0), es);
        }
        return new Schedule(null, false, positions.of(call), null, null, es);
      }
      if (call.getArguments().size() == 2) {
        // fit(iterator, numEpochs); fit(features, labels) has no count
        Expression second = call.getArgument(1);
        OptionalLong n = values.longValue(second);
        if (n.isPresent() || second.toString().toLowerCase(Locale.ROOT).contains("epoch")) {
          return epochSchedule(second, es);
        }
      }
      Schedule looped = loopSchedule(call, es);
      if (looped != null) {
        return looped;
      }
      // fit(iterator) goes through the data once
      return new Schedule(1.0, true, positions.of(call), null, null, es);
    }

    /**
     * The epoch loop around a call: `for (int i = 0; i < EPOCHS; i++)` or `while (epoch < EPOCHS)`;
     * the innermost loop that names an epoch, else the outermost counting loop. Null when none.
     */
    private Schedule loopSchedule(Node call, boolean earlyStopping) {
      List<Schedule> loops = new ArrayList<>();
      List<Boolean> namesEpoch = new ArrayList<>();
      for (Node p = call.getParentNode().orElse(null); p != null && !isMethod(p); p = p.getParentNode().orElse(null)) {
        Expression condition = p instanceof ForStmt f ? f.getCompare().orElse(null)
            : p instanceof WhileStmt w ? w.getCondition() : null;
        if (!(condition instanceof BinaryExpr b) || !(b.getLeft() instanceof NameExpr counter)
            || (b.getOperator() != BinaryExpr.Operator.LESS && b.getOperator() != BinaryExpr.Operator.LESS_EQUALS)) {
          continue;
        }
        long start = 0;
        if (p instanceof ForStmt f) {
          for (Expression init : f.getInitialization()) {
            for (VariableDeclarator v : init.findAll(VariableDeclarator.class)) {
              if (v.getNameAsString().equals(counter.getNameAsString())) {
                start = v.getInitializer().map(values::longValue).filter(OptionalLong::isPresent)
                    .map(OptionalLong::getAsLong).orElse(0L);
              }
            }
          }
        }
        Expression bound = b.getRight();
        OptionalLong n = values.longValue(bound);
        SourceRange range = positions.of(bound);
        Schedule s;
        if (n.isPresent()) {
          long epochs = n.getAsLong() - start + (b.getOperator() == BinaryExpr.Operator.LESS_EQUALS ? 1 : 0);
          s = new Schedule((double) Math.max(0, epochs), true, range, null, null, earlyStopping);
        } else {
          s = new Schedule(null, false, range, null, null, earlyStopping);
        }
        loops.add(s);
        String words = (counter.getNameAsString() + " " + bound).toLowerCase(Locale.ROOT);
        namesEpoch.add(words.contains("epoch"));
        if (p instanceof WhileStmt && !words.contains("epoch")) {
          loops.remove(loops.size() - 1); // a while loop counts epochs only when it says so
          namesEpoch.remove(namesEpoch.size() - 1);
        }
      }
      for (int i = 0; i < loops.size(); i++) {
        if (namesEpoch.get(i)) {
          return loops.get(i);
        }
      }
      return loops.isEmpty() ? null : loops.get(loops.size() - 1);
    }

    // ---- early stopping ------------------------------------------------------------------------

    /** DJL: an `EarlyStoppingListener` (built or created) anywhere in the program. */
    private boolean djlEarlyStopping() {
      if (!created("EarlyStoppingListener").isEmpty()) {
        return true;
      }
      return unit.findAll(MethodCallExpr.class).stream()
          .anyMatch(c -> c.getScope().map(s -> scopeIs(s.toString(), "EarlyStoppingListener")).orElse(false));
    }

    private boolean esConfigured() {
      return mentions("EarlyStoppingConfiguration") || DL4J_ES_TRAINERS.stream().anyMatch(this::mentions);
    }

    /**
     * DL4J: an early-stopping configuration stops early unless its only epoch condition is
     * `MaxEpochsTerminationCondition` (which runs every epoch up to the maximum).
     */
    private boolean dl4jEarlyStopping() {
      if (!esConfigured()) {
        return false;
      }
      boolean scoreBased = SCORE_CONDITIONS.stream().anyMatch(c -> !created(c).isEmpty());
      boolean maxOnly = !created("MaxEpochsTerminationCondition").isEmpty() && !scoreBased;
      return !maxOnly;
    }

    // ---- precision -----------------------------------------------------------------------------

    /** The most telling data type the program sets: model-wide first, then inputs, then arrays. */
    private Optional<TypeChoice> dataType() {
      TypeChoice best = null;
      for (MethodCallExpr call : unit.findAll(MethodCallExpr.class)) {
        String name = call.getNameAsString();
        int rank;
        if (MODEL_TYPE_CALLS.contains(name)) {
          rank = 0;
        } else if (name.equals("toType")) {
          rank = 1;
        } else if (MANAGER_CALLS.contains(name)
            && call.getScope().map(s -> s.toString().toLowerCase(Locale.ROOT).contains("manager")).orElse(false)) {
          rank = 2;
        } else {
          continue;
        }
        List<Expression> args = call.getArguments();
        if (name.equals("setDefaultDataTypes") && args.size() >= 2) {
          args = List.of(args.get(1)); // (default type, default floating-point type)
        }
        for (Expression arg : args) {
          Optional<TypeChoice> t = typeOf(arg, rank, dl4j && DL4J_FIXABLE_CALLS.contains(name));
          if (t.isPresent() && (best == null || t.get().rank() < best.rank())) {
            best = t.get();
          }
        }
      }
      return Optional.ofNullable(best);
    }

    private Optional<TypeChoice> typeOf(Expression arg, int rank, boolean fixable) {
      String constant;
      if (arg instanceof FieldAccessExpr f && (f.getScope().toString().equals("DataType")
          || f.getScope().toString().endsWith(".DataType"))) {
        constant = f.getNameAsString();
      } else if (arg instanceof NameExpr n && rank == 0) {
        constant = n.getNameAsString(); // statically imported
      } else {
        return Optional.empty();
      }
      return switch (constant) {
        case "HALF", "FLOAT16" -> Optional.of(new TypeChoice(Precision.FP16, arg, rank, fixable, null));
        case "BFLOAT16" -> Optional.of(new TypeChoice(Precision.BF16, arg, rank, fixable, null));
        case "FLOAT", "FLOAT32" -> Optional.of(new TypeChoice(Precision.FP32, arg, rank, fixable, null));
        // fp64 has no precision of its own in the model: it is stated fp32 here, and is heavier still
        // (double the memory traffic, and a fraction of the fp32 throughput on most GPUs).
        case "DOUBLE", "FLOAT64" -> Optional.of(new TypeChoice(Precision.FP32, arg, rank, fixable, "fp64"));
        default -> Optional.empty();
      };
    }

    private Optional<ObjectCreationExpr> nnBuilder() {
      return unit.findAll(ObjectCreationExpr.class).stream()
          .filter(c -> c.getType().getNameWithScope().endsWith("NeuralNetConfiguration.Builder"))
          .findFirst();
    }

    /** DL4J: `DataType.FLOAT` becomes `DataType.HALF` (fp16) or `DataType.BFLOAT16` (bf16). */
    private FixWriter replaceDataType(Expression written) {
      SimpleName name = written instanceof FieldAccessExpr f ? f.getName()
          : written instanceof NameExpr n ? n.getName() : null;
      if (name == null) {
        return FixWriter.NONE;
      }
      SourceRange range = positions.of(name);
      return change -> dl4jConstant(change).map(c ->
          new Fix(change.title() + " (DataType." + c + ")", List.of(new TextEdit(range, c))));
    }

    /** DL4J without a data type: `.dataType(DataType.X)` right after `new NeuralNetConfiguration.Builder()`. */
    private FixWriter insertDataType(ObjectCreationExpr builder) {
      SourceRange at = positions.endOf(builder);
      String qualifier = importsDl4jDataType() ? "DataType" : "org.nd4j.linalg.api.buffer.DataType";
      return change -> dl4jConstant(change).map(c -> new Fix(change.title() + " (DataType." + c + ")",
          List.of(new TextEdit(at, ".dataType(" + qualifier + "." + c + ")"))));
    }

    private boolean importsDl4jDataType() {
      for (ImportDeclaration i : unit.getImports()) {
        String n = i.getNameAsString();
        if (!i.isStatic() && ((i.isAsterisk() && n.equals("org.nd4j.linalg.api.buffer"))
            || n.equals("org.nd4j.linalg.api.buffer.DataType"))) {
          return true;
        }
      }
      return false;
    }

    /** The DL4J enum value for a precision change; DL4J has HALF and BFLOAT16, and no fp8. */
    private static Optional<String> dl4jConstant(ProposedChange change) {
      if (!(change instanceof ProposedChange.UsePrecision p)) {
        return Optional.empty();
      }
      return switch (p.precision()) {
        case FP16 -> Optional.of("HALF");
        case BF16 -> Optional.of("BFLOAT16");
        case FP32 -> Optional.of("FLOAT");
        default -> Optional.empty();
      };
    }

    // ---- devices and batch ---------------------------------------------------------------------

    private Optional<DeviceCount> devices() {
      List<MethodCallExpr> calls = unit.findAll(MethodCallExpr.class);
      // DJL: optDevices(...) on the training config says it outright
      for (MethodCallExpr c : calls) {
        if (c.getNameAsString().equals("optDevices") && c.getArguments().size() == 1) {
          Optional<DeviceCount> d = djlDevices(c.getArgument(0));
          if (d.isPresent()) {
            return d;
          }
        }
      }
      for (MethodCallExpr c : calls) {
        if (c.getNameAsString().equals("getDevices") && c.getArguments().size() == 1) {
          Optional<DeviceCount> d = countAt(c.getArgument(0), "Engine.getDevices(n): the first n GPUs");
          if (d.isPresent()) {
            return d;
          }
        }
      }
      // DL4J: ParallelWrapper.Builder(model).workers(n), one worker per GPU
      if (mentions("ParallelWrapper")) {
        for (MethodCallExpr c : calls) {
          if (c.getNameAsString().equals("workers") && c.getArguments().size() == 1) {
            Optional<DeviceCount> d = countAt(c.getArgument(0), "ParallelWrapper workers(n): one worker per GPU");
            if (d.isPresent()) {
              return d;
            }
          }
        }
      }
      // DJL: one named GPU
      for (MethodCallExpr c : calls) {
        if (c.getNameAsString().equals("gpu") && c.getScope().map(s -> scopeIs(s.toString(), "Device")).orElse(false)) {
          return DeviceCount.of(1, 1, "Device.gpu(): one GPU", positions.of(c));
        }
      }
      return Optional.empty();
    }

    private Optional<DeviceCount> djlDevices(Expression arg) {
      if (arg instanceof ArrayCreationExpr a && a.getInitializer().isPresent()) {
        return arrayDevices(a.getInitializer().get());
      }
      if (arg instanceof ArrayInitializerExpr init) {
        return arrayDevices(init);
      }
      if (arg instanceof MethodCallExpr m && m.getNameAsString().equals("getDevices") && m.getArguments().size() == 1) {
        return countAt(m.getArgument(0), "Engine.getDevices(n): the first n GPUs");
      }
      if (arg instanceof MethodCallExpr m && m.getNameAsString().equals("gpu")) {
        return DeviceCount.of(1, 1, "Device.gpu(): one GPU", positions.of(m));
      }
      return Optional.empty();
    }

    private Optional<DeviceCount> arrayDevices(ArrayInitializerExpr init) {
      long gpus = init.getValues().stream().filter(v -> v.toString().contains("gpu")).count();
      return DeviceCount.of(gpus, 1, "optDevices: " + gpus + " GPUs listed", positions.of(init));
    }

    private Optional<DeviceCount> countAt(Expression used, String derivation) {
      OptionalLong n = values.longValue(used);
      return n.isPresent() ? DeviceCount.of(n.getAsLong(), 1, derivation, positions.of(used)) : Optional.empty();
    }

    /**
     * DJL's `setSampling(batch, ...)` is the global batch (EasyTrain splits it over the devices); a
     * DL4J iterator's batch is what each worker takes.
     */
    private Workload workload(Integer devices) {
      for (MethodCallExpr c : unit.findAll(MethodCallExpr.class)) {
        if (c.getNameAsString().equals("setSampling") && !c.getArguments().isEmpty()) {
          OptionalLong batch = values.longValue(c.getArgument(0));
          if (batch.isPresent() && batch.getAsLong() > 0 && batch.getAsLong() <= Integer.MAX_VALUE) {
            int b = (int) batch.getAsLong();
            if (devices == null || devices <= 1) {
              return new Workload(null, null, null, b, null);
            }
            Integer perDevice = b % devices == 0 ? b / devices : null;
            return new Workload(null, null, null, perDevice, null, null, b);
          }
        }
      }
      for (ObjectCreationExpr c : unit.findAll(ObjectCreationExpr.class)) {
        String type = c.getType().getNameAsString();
        if (!type.endsWith("DataSetIterator")) {
          continue;
        }
        Expression batchArg = null;
        for (Expression a : c.getArguments()) {
          if (a.toString().toLowerCase(Locale.ROOT).contains("batch")) {
            batchArg = a;
            break;
          }
        }
        Integer index = ITERATOR_BATCH_ARG.get(type);
        if (batchArg == null && index != null && c.getArguments().size() > index) {
          batchArg = c.getArgument(index);
        }
        OptionalLong batch = batchArg == null ? OptionalLong.empty() : values.longValue(batchArg);
        if (batch.isPresent() && batch.getAsLong() > 0 && batch.getAsLong() <= Integer.MAX_VALUE) {
          return new Workload(null, null, null, (int) batch.getAsLong(), null);
        }
      }
      return Workload.UNKNOWN;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Starts from a pretrained model: DL4J transfer learning or zoo weights, DJL model zoo. */
    private boolean fineTunes() {
      return mentions("TransferLearning") || unit.findAll(MethodCallExpr.class).stream()
          .anyMatch(c -> c.getNameAsString().equals("initPretrained")
              || (djl && c.getNameAsString().equals("loadModel")));
    }

    private List<ObjectCreationExpr> created(String simpleName) {
      return unit.findAll(ObjectCreationExpr.class).stream()
          .filter(c -> c.getType().getNameAsString().equals(simpleName)
              || c.getType().getNameWithScope().endsWith("." + simpleName))
          .toList();
    }

    private boolean imports(String... prefixes) {
      for (ImportDeclaration i : unit.getImports()) {
        for (String p : prefixes) {
          if (i.getNameAsString().startsWith(p)) {
            return true;
          }
        }
      }
      return false;
    }

    /** The names used in the code, gathered by one walk of the file on first need. */
    private Set<String> usedNames;

    /** The name is used in code (a type, a scope or a variable), not only in a comment or string. */
    private boolean mentions(String... names) {
      if (usedNames == null) {
        // Once per file: asked for every training call, a walk each time made large files quadratic.
        Set<String> found = new java.util.HashSet<>();
        unit.findAll(SimpleName.class).forEach(n -> found.add(n.getIdentifier()));
        unit.findAll(com.github.javaparser.ast.type.ClassOrInterfaceType.class)
            .forEach(t -> found.add(t.getNameAsString()));
        usedNames = found;
      }
      for (String name : names) {
        if (usedNames.contains(name)) {
          return true;
        }
      }
      return false;
    }

    private static boolean scopeIs(String scope, String simpleName) {
      return scope.equals(simpleName) || scope.endsWith("." + simpleName);
    }

    private static boolean isMethod(Node n) {
      return n instanceof CallableDeclaration<?> || n instanceof InitializerDeclaration;
    }

    private Node enclosingMethod(Node n) {
      for (Node p = n.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
        if (isMethod(p)) {
          return p;
        }
      }
      return unit;
    }
  }
}
