package dev.carbonlens.rules;

import static dev.carbonlens.rules.RuleFixturesTest.apply;
import static dev.carbonlens.rules.RuleFixturesTest.fixture;
import static dev.carbonlens.rules.RuleFixturesTest.relative;
import static dev.carbonlens.rules.RuleFixturesTest.single;
import static dev.carbonlens.rules.RuleFixturesTest.withRule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.analysis.Analyzer;
import dev.carbonlens.analysis.FileAnalysis;
import dev.carbonlens.analysis.ReportedFinding;
import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.estimate.EstimatorSettings;
import dev.carbonlens.model.Options;
import org.junit.jupiter.api.Test;

/**
 * The changes, messages and quick fixes of the hyperparameter-search (CL-HPO-001..004), scheduling
 * (CL-SCHED-001..003) and serving-replica (CL-INF-004) rules, on their fixtures: each fix is applied
 * and the file read again.
 */
class SearchScheduleReplicaRulesTest {
  private static final Analyzer ANALYZER = Analyzer.builtIn(EstimatorSettings.defaults());

  private static String fixed(RuleFixturesTest.Fixture f, String ruleId) {
    ReportedFinding r = single(f.analyse(), ruleId);
    assertThat(r.fix()).as("%s offers a fix", f.display()).isNotNull();
    return apply(f.text(), r.fix().edits());
  }

  private static FileAnalysis analyse(RuleFixturesTest.Fixture f, String text) {
    return ANALYZER.analyze(f.name(), text);
  }

  // ------------------------------------------------------------------------------------------ search

  @Test
  void gridSearchBecomesSixtyRandomTrials() {
    RuleFixturesTest.Fixture f = fixture("CL-HPO-001/fires.yaml");
    ReportedFinding r = single(f.analyse(), "CL-HPO-001");
    assertThat(r.finding().change()).isEqualTo(new ProposedChange.SearchRandomly(60));
    assertThat(r.finding().message()).startsWith("A grid search over 120 combinations runs every one of them.")
        .contains("60 runs instead of 120");
    // Trials priced by their ratio: 60 of 120 runs.
    assertThat(r.finding().savings().fraction()).isCloseTo(0.5, relative(0.5));
    String text = fixed(f, "CL-HPO-001");
    assertThat(text).contains("\nmethod: random\n").endsWith("  - ${args}\nrun_cap: 60\n");
    FileAnalysis after = analyse(f, text);
    assertThat(after.runs().get(0).run().sweep().plannedTrials()).isEqualTo(60L);

    // scikit-learn repeats every grid point for each of its 5 folds: 60 points x 5 folds.
    ReportedFinding sk = single(fixture("CL-HPO-001/fires-sklearn.py").analyse(), "CL-HPO-001");
    assertThat(sk.finding().change()).isEqualTo(new ProposedChange.SearchRandomly(300));
    assertThat(sk.finding().message()).contains("144 combinations").contains("720 runs with its 5 repeats")
        .contains("300 runs instead of 720");
    assertThat(sk.finding().savings().fraction()).isCloseTo(1 - 300.0 / 720, relative(1 - 300.0 / 720));
    assertThat(sk.fix()).isNull();
  }

  @Test
  void hyperbandBlockIsAddedAfterTheMetric() {
    RuleFixturesTest.Fixture f = fixture("CL-HPO-002/fires.yaml");
    ReportedFinding r = single(f.analyse(), "CL-HPO-002");
    assertThat(r.finding().change()).isEqualTo(new ProposedChange.AddEarlyTermination());
    assertThat(r.finding().message()).startsWith("This search plans 24 trials and stops none of them early");
    // Each trial assumed to run the default early-stop share (50 %) of its schedule.
    assertThat(r.finding().savings().fraction()).isCloseTo(0.5, relative(0.5));
    String text = fixed(f, "CL-HPO-002");
    assertThat(text).contains("  goal: maximize\nearly_terminate:\n  type: hyperband\n  min_iter: 3\nparameters:\n");
    assertThat(analyse(f, text).runs().get(0).run().sweep().earlyTermination()).isTrue();

    ReportedFinding optuna = single(fixture("CL-HPO-002/fires-optuna.py").analyse(), "CL-HPO-002");
    assertThat(optuna.finding().message()).startsWith("This search plans 40 trials");
  }

  @Test
  void searchedEpochsAndUncappedSweeps() {
    ReportedFinding epochs = single(fixture("CL-HPO-003/fires.yaml").analyse(), "CL-HPO-003");
    assertThat(epochs.finding().change()).isEqualTo(new ProposedChange.SetOption(Options.SEARCHES_EPOCHS, "none",
        "Fix num_train_epochs at its largest value and stop each trial early"));
    assertThat(epochs.finding().message()).startsWith("The sweep searches `num_train_epochs`");
    assertThat(epochs.finding().savings()).isNull();
    assertThat(epochs.fix()).isNull();
    assertThat(single(fixture("CL-HPO-003/fires-hydra.yaml").analyse(), "CL-HPO-003").finding().message())
        .startsWith("The sweep searches `trainer.max_epochs`");

    RuleFixturesTest.Fixture uncapped = fixture("CL-HPO-004/fires.yaml");
    ReportedFinding r = single(uncapped.analyse(), "CL-HPO-004");
    assertThat(r.finding().change()).isEqualTo(new ProposedChange.SetOption(Options.RUN_CAP, "60", "Cap the sweep at 60 runs"));
    assertThat(r.finding().message()).startsWith("A bayes sweep with no `run_cap` never finishes by itself");
    assertThat(fixed(uncapped, "CL-HPO-004")).endsWith("  - ${args}\nrun_cap: 60\n");
    String launch = fixed(fixture("CL-HPO-004/fires-launch.yaml"), "CL-HPO-004");
    assertThat(launch).endsWith("    values: [0.0, 0.0001, 0.0005]\nrun_cap: 60\n");
  }

  // ------------------------------------------------------------------------------------------ schedule

  @Test
  void retrainingEverySixHoursBecomesDaily() {
    RuleFixturesTest.Fixture f = fixture("CL-SCHED-001/fires.yaml");
    ReportedFinding r = single(f.analyse(), "CL-SCHED-001");
    assertThat(r.finding().change()).isEqualTo(new ProposedChange.RunTimesADay(1, "0 0 * * *"));
    assertThat(r.finding().change().title()).isEqualTo("Retrain once a day (0 0 * * *)");
    assertThat(r.finding().message()).startsWith("This training job is scheduled `0 */6 * * *`: 4 runs a day");
    assertThat(r.finding().savings().fraction()).isCloseTo(0.75, relative(0.75));
    String text = fixed(f, "CL-SCHED-001");
    assertThat(text).contains("  schedule: \"0 0 * * *\"\n");
    assertThat(analyse(f, text).runs().get(0).run().recurrence().runsPerDay()).isEqualTo(1.0);

    // Weekdays, every 30 minutes from 08:00: once a day at 08:00 on the same days.
    ReportedFinding weekdays = single(fixture("CL-SCHED-001/fires-weekdays.yaml").analyse(), "CL-SCHED-001");
    assertThat(weekdays.finding().change()).isEqualTo(new ProposedChange.RunTimesADay(1, "0 8 * * 1-5"));
    assertThat(weekdays.finding().message()).contains("14.3 runs a day");
  }

  @Test
  void fixedHourAndOverlappingRuns() {
    ReportedFinding hour = single(fixture("CL-SCHED-002/fires.yaml").analyse(), "CL-SCHED-002");
    assertThat(hour.finding().message()).startsWith("This GPU training job always starts at 02:00 (`0 2 * * *`)")
        .contains("Carbon Aware SDK");
    assertThat(hour.finding().change()).isInstanceOf(ProposedChange.SetOption.class);
    assertThat(hour.finding().savings()).isNull();
    assertThat(hour.fix()).isNull();

    RuleFixturesTest.Fixture f = fixture("CL-SCHED-003/fires.yaml");
    ReportedFinding overlap = single(f.analyse(), "CL-SCHED-003");
    assertThat(overlap.finding().change())
        .isEqualTo(new ProposedChange.SetOption("concurrency_policy", "Forbid", "Forbid overlapping runs"));
    assertThat(overlap.finding().message()).startsWith("No concurrencyPolicy (Kubernetes defaults to Allow)");
    assertThat(fixed(f, "CL-SCHED-003")).endsWith("                  nvidia.com/gpu: 4\n  concurrencyPolicy: Forbid\n");

    RuleFixturesTest.Fixture allow = fixture("CL-SCHED-003/fires-allow.yaml");
    assertThat(single(allow.analyse(), "CL-SCHED-003").finding().message()).startsWith("concurrencyPolicy: Allow");
    assertThat(fixed(allow, "CL-SCHED-003")).contains("  concurrencyPolicy: Forbid\n  jobTemplate:");
  }

  // ------------------------------------------------------------------------------------------ replicas

  @Test
  void servingFloorsAreLoweredWhereTheFormatHasAKey() {
    RuleFixturesTest.Fixture kserve = fixture("CL-INF-004/fires-kserve.yaml");
    ReportedFinding k = single(kserve.analyse(), "CL-INF-004");
    assertThat(k.finding().change()).isEqualTo(new ProposedChange.SetOption(Options.MIN_REPLICAS, "0", "Scale to zero when idle"));
    assertThat(k.finding().message()).startsWith("The autoscaler's minimum keeps at least 1 replica running");
    assertThat(fixed(kserve, "CL-INF-004")).contains("    minReplicas: 0\n    maxReplicas: 4\n");

    assertThat(fixed(fixture("CL-INF-004/fires-knative.yaml"), "CL-INF-004"))
        .contains("autoscaling.knative.dev/min-scale: \"0\"\n");
    assertThat(fixed(fixture("CL-INF-004/fires-skyserve.yaml"), "CL-INF-004")).contains("    min_replicas: 0\n");

    RuleFixturesTest.Fixture hpa = fixture("CL-INF-004/fires-hpa.yaml");
    ReportedFinding h = single(hpa.analyse(), "CL-INF-004");
    assertThat(h.finding().change().title()).isEqualTo("Keep one replica when idle and scale out with load");
    assertThat(h.finding().message()).startsWith("At least 2 replicas are kept running whatever the traffic");
    assertThat(fixed(hpa, "CL-INF-004")).contains("  minReplicas: 1\n  maxReplicas: 8\n");

    // A fixed Deployment needs an autoscaler added: no edit of the file makes that change.
    ReportedFinding d = single(fixture("CL-INF-004/fires-deployment.yaml").analyse(), "CL-INF-004");
    assertThat(d.finding().message()).startsWith("At least 3 replicas are kept running");
    assertThat(d.fix()).isNull();
    assertThat(withRule(fixture("CL-INF-004/fires-skyserve-fixed.yaml").analyse(), "CL-INF-004").get(0).fix()).isNull();
  }
}
