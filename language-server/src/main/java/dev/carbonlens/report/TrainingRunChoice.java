package dev.carbonlens.report;

import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.check.CheckResult;
import dev.carbonlens.model.Stage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which run a model card describes: the only training or fine-tuning run in the paths, or the one `--run N`
 * names. Anything else is the user's choice to make, so the answer is an error that lists the candidates.
 */
final class TrainingRunChoice {
  private TrainingRunChoice() {}

  /** Why no single run could be chosen; the message is for the user, one candidate per line. */
  static final class NoSingleRun extends Exception {
    NoSingleRun(String message) {
      super(message);
    }
  }

  /** The training and fine-tuning runs, in the order `check` reports them (files in order, runs in file order). */
  static List<RunEstimate> candidates(CheckResult result) {
    return result.files().stream().flatMap(f -> f.runs().stream())
        .filter(r -> ModelCard.describesTraining(r.run().stage()))
        .toList();
  }

  /** @param runNumber `--run N` (1-based), or null when not given */
  static RunEstimate choose(CheckResult result, Integer runNumber) throws NoSingleRun {
    List<RunEstimate> candidates = candidates(result);
    if (candidates.isEmpty()) {
      throw new NoSingleRun("no training or fine-tuning run in these files" + skipped(result)
          + "; a model card describes the training of one model");
    }
    if (runNumber == null) {
      if (candidates.size() == 1) {
        return candidates.get(0);
      }
      throw new NoSingleRun(candidates.size() + " training runs in these files; choose one with --run N:\n"
          + listing(candidates));
    }
    if (runNumber < 1 || runNumber > candidates.size()) {
      throw new NoSingleRun("--run " + runNumber + ": there " + (candidates.size() == 1 ? "is 1 training run"
          : "are " + candidates.size() + " training runs") + ":\n" + listing(candidates));
    }
    return candidates.get(runNumber - 1);
  }

  /** `  N  file:line  format (stage)`, one line per candidate. */
  static String listing(List<RunEstimate> candidates) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < candidates.size(); i++) {
      RunEstimate r = candidates.get(i);
      s.append(String.format("  %3d  %s  %s (%s)\n", i + 1, RunLabel.where(r.run()), r.run().format(),
          r.run().stage().label()));
    }
    return s.toString();
  }

  /** What was left out, e.g. ` (skipped: 2 inference runs, 1 sweep run)`. */
  private static String skipped(CheckResult result) {
    Map<Stage, Long> other = new EnumMap<>(Stage.class);
    result.files().stream().flatMap(f -> f.runs().stream()).map(r -> r.run().stage())
        .filter(s -> !ModelCard.describesTraining(s))
        .forEach(s -> other.merge(s, 1L, Long::sum));
    if (other.isEmpty()) {
      return "";
    }
    return " (skipped: " + other.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().label() + (e.getValue() == 1 ? " run" : " runs"))
        .collect(Collectors.joining(", ")) + ")";
  }
}
