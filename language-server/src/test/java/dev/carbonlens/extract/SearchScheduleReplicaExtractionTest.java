package dev.carbonlens.extract;

import static dev.carbonlens.extract.ConfigFormatsTesting.runWith;
import static dev.carbonlens.extract.ExtractTesting.apply;
import static dev.carbonlens.extract.ExtractTesting.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.Option;
import dev.carbonlens.model.Options;
import dev.carbonlens.model.Recurrence;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Sweep;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The facts the hyperparameter-search, scheduling and serving-replica rules read: W&amp;B `run_cap` and a
 * searched epoch count, Hydra sweeps of the epoch count, a CronJob's concurrency policy, and the
 * replica floor of KServe, Knative, Deployments (with an HPA or KEDA beside them) and SkyServe;
 * plus the fixes those formats write for the rules' changes.
 */
class SearchScheduleReplicaExtractionTest {
  private static final WandbSweepExtractor WB = new WandbSweepExtractor();
  private static final HydraExtractor HYDRA = new HydraExtractor();
  private static final SkyPilotExtractor SKY = new SkyPilotExtractor();

  // ------------------------------------------------------------------------------------------ W&B

  private static final String WANDB = """
      program: train.py
      method: random
      run_cap: 40
      metric:
        name: val_loss
        goal: minimize
      parameters:
        lr:
          values: [0.1, 0.01]
        num_train_epochs:
          values: [3, 5, 10]
      """;

  @Test
  void wandbRunCapAndSearchedEpochs() {
    Run run = runWith(WB, "sweep.yaml", WANDB);
    assertThat(run.option(Options.RUN_CAP)).isEqualTo(new Option(Options.RUN_CAP, "40", SourceRange.of(2, 0, 2, 11)));
    assertThat(slice(WANDB, run.option(Options.RUN_CAP).range())).isEqualTo("run_cap: 40");
    assertThat(run.option(Options.SEARCHES_EPOCHS))
        .isEqualTo(new Option(Options.SEARCHES_EPOCHS, "num_train_epochs", SourceRange.of(9, 2, 9, 18)));
    assertThat(run.sweep()).isEqualTo(new Sweep("random", 6L, 40L, false, SourceRange.of(1, 0, 1, 14)));
  }

  @Test
  void wandbEpochsSearchedByADistributionOrARangeOrNestedButNotAFixedValue() {
    String distribution = "method: bayes\nparameters:\n  epochs:\n    distribution: int_uniform\n    min: 5\n    max: 50\n";
    assertThat(runWith(WB, "s.yaml", distribution).option(Options.SEARCHES_EPOCHS))
        .isEqualTo(new Option(Options.SEARCHES_EPOCHS, "epochs", SourceRange.of(2, 2, 2, 8)));
    String minMax = "method: random\nparameters:\n  max_epochs:\n    min: 5\n    max: 50\n";
    assertThat(runWith(WB, "s.yaml", minMax).option(Options.SEARCHES_EPOCHS).value()).isEqualTo("max_epochs");
    String nested = "method: grid\nparameters:\n  trainer:\n    parameters:\n      num_epochs:\n        values: [1, 2]\n";
    assertThat(runWith(WB, "s.yaml", nested).option(Options.SEARCHES_EPOCHS))
        .isEqualTo(new Option(Options.SEARCHES_EPOCHS, "num_epochs", SourceRange.of(4, 6, 4, 16)));

    for (String text : List.of(
        "method: grid\nparameters:\n  epochs:\n    value: 20\n  lr:\n    values: [1, 2]\n",
        "method: grid\nparameters:\n  epochs:\n    values: [20]\n  lr:\n    values: [1, 2]\n",
        "method: grid\nparameters:\n  epochs:\n    distribution: constant\n    value: 3\n  lr:\n    values: [1, 2]\n",
        "method: grid\nparameters:\n  warmup_epochs:\n    values: [1, 2]\n")) {
      Run run = runWith(WB, "s.yaml", text);
      assertThat(run.option(Options.SEARCHES_EPOCHS)).as(text).isNull();
      assertThat(run.option(Options.RUN_CAP)).as(text).isNull();
    }
  }

  @Test
  void wandbFixesWriteARandomSearchARunCapAndAHyperbandBlock() {
    String text = """
        program: train.py
        method: grid
        metric:
          name: val_loss
          goal: minimize

        # the space
        parameters:
          lr:
            values: [0.1, 0.01]
        """;
    ExtractedRun grid = ExtractTesting.extracted("sweep.yaml", text);
    Fix random = grid.fixes().fixFor(new ProposedChange.SearchRandomly(60)).orElseThrow();
    assertThat(apply(text, random.edits())).isEqualTo("""
        program: train.py
        method: random
        metric:
          name: val_loss
          goal: minimize

        # the space
        parameters:
          lr:
            values: [0.1, 0.01]
        run_cap: 60
        """);
    Fix cap = grid.fixes().fixFor(new ProposedChange.SetOption(Options.RUN_CAP, "60", "Cap")).orElseThrow();
    assertThat(apply(text, cap.edits())).endsWith("    values: [0.1, 0.01]\nrun_cap: 60\n");
    Fix hyperband = grid.fixes().fixFor(new ProposedChange.AddEarlyTermination()).orElseThrow();
    assertThat(apply(text, hyperband.edits())).isEqualTo("""
        program: train.py
        method: grid
        metric:
          name: val_loss
          goal: minimize
        early_terminate:
          type: hyperband
          min_iter: 3

        # the space
        parameters:
          lr:
            values: [0.1, 0.01]
        """);
    assertThat(grid.fixes().fixFor(new ProposedChange.SetOption(Options.SEARCHES_EPOCHS, "none", "x"))).isEmpty();
  }

  @Test
  void hyperbandBlockFollowsTheFilesIndentationAndFlowStyleMetric() {
    String threeSpaces = "scheduler:\n   job: x\n   settings:\n      method: bayes\nrun_cap: 30\nmetric: {name: loss, goal: minimize}\n"
        + "parameters:\n   lr:\n      min: 0.001\n      max: 1.0\n";
    ExtractedRun launch = ExtractTesting.extracted("basic.yaml", threeSpaces);
    Fix fix = launch.fixes().fixFor(new ProposedChange.AddEarlyTermination()).orElseThrow();
    assertThat(apply(threeSpaces, fix.edits())).contains(
        "metric: {name: loss, goal: minimize}\nearly_terminate:\n   type: hyperband\n   min_iter: 3\nparameters:\n");
    // The method under scheduler.settings is the one switched to random.
    Fix random = launch.fixes().fixFor(new ProposedChange.SearchRandomly(60)).orElseThrow();
    assertThat(apply(threeSpaces, random.edits())).contains("      method: random\nrun_cap: 60\n");

    String json = "{\n  \"method\": \"grid\",\n  \"parameters\": {\"lr\": {\"values\": [1, 2]}}\n}\n";
    ExtractedRun fromJson = ExtractTesting.extracted("sweep.json", json);
    Fix jsonFix = fromJson.fixes().fixFor(new ProposedChange.AddEarlyTermination()).orElseThrow();
    assertThat(apply(json, jsonFix.edits())).isEqualTo("{\n  \"method\": \"grid\",\n  \"parameters\": {\"lr\": {\"values\": [1, 2]}},\n"
        + "  \"early_terminate\": {\"type\": \"hyperband\", \"min_iter\": 3}\n}\n");
  }

  // ------------------------------------------------------------------------------------------ Hydra

  @Test
  void hydraSweepOfTheEpochCount() {
    String text = """
        defaults:
          - override /trainer: gpu
        hydra:
          mode: MULTIRUN
          sweeper:
            params:
              model.optimizer.lr: 0.001,0.01
              +trainer.max_epochs: choice(10, 20)
        """;
    Run run = runWith(HYDRA, "sweep.yaml", text);
    assertThat(run.stage()).isEqualTo(Stage.SWEEP);
    assertThat(run.sweep().method()).isEqualTo("grid");
    assertThat(run.sweep().combinations()).isEqualTo(4L);
    assertThat(run.option(Options.SEARCHES_EPOCHS))
        .isEqualTo(new Option(Options.SEARCHES_EPOCHS, "+trainer.max_epochs", SourceRange.of(7, 6, 7, 25)));

    String optuna = """
        hydra:
          sweeper:
            _target_: hydra_plugins.hydra_optuna_sweeper.optuna_sweeper.OptunaSweeper
            n_trials: 30
            params:
              trainer.max_epochs: int(interval(5, 50))
              model.lr: interval(0.0001, 0.1)
        """;
    Run o = runWith(HYDRA, "optuna.yaml", optuna);
    assertThat(o.sweep().trials()).isEqualTo(30L);
    assertThat(o.option(Options.SEARCHES_EPOCHS).range()).isEqualTo(SourceRange.of(5, 6, 5, 24));

    String fixed = "hydra:\n  mode: MULTIRUN\n  sweeper:\n    params:\n      trainer.max_epochs: 40\n      lr: 0.1,0.2\n";
    assertThat(runWith(HYDRA, "fixed.yaml", fixed).option(Options.SEARCHES_EPOCHS)).isNull();
  }

  // ------------------------------------------------------------------------------------------ CronJob

  private static final String CRONJOB = """
      apiVersion: batch/v1
      kind: CronJob
      metadata:
        name: retrain
      spec:
        schedule: "0 */6 * * *"
        jobTemplate:
          spec:
            template:
              spec:
                containers:
                  - name: train
                    image: ghcr.io/acme/train:1
                    resources:
                      limits:
                        nvidia.com/gpu: 1
      """;

  @Test
  void cronJobScheduleAndConcurrencyPolicy() {
    ExtractedRun extracted = ExtractTesting.extracted("cron.yaml", CRONJOB);
    Run run = extracted.run();
    assertThat(run.recurrence()).isEqualTo(new Recurrence("0 */6 * * *", 4.0, SourceRange.of(5, 2, 5, 25)));
    // Absent: Kubernetes' default Allow, anchored on the schedule.
    assertThat(run.option(KubernetesWorkloads.CONCURRENCY_POLICY))
        .isEqualTo(new Option("concurrency_policy", "Allow", SourceRange.of(5, 2, 5, 25), false));

    Fix forbid = extracted.fixes().fixFor(new ProposedChange.SetOption("concurrency_policy", "Forbid", "Forbid")).orElseThrow();
    String fixed = apply(CRONJOB, forbid.edits());
    assertThat(fixed).endsWith("  nvidia.com/gpu: 1\n  concurrencyPolicy: Forbid\n");
    assertThat(ExtractTesting.run("cron.yaml", fixed).option("concurrency_policy"))
        .isEqualTo(new Option("concurrency_policy", "Forbid", SourceRange.of(16, 2, 16, 27)));

    Fix daily = extracted.fixes().fixFor(new ProposedChange.RunTimesADay(1, "0 0 * * *")).orElseThrow();
    assertThat(apply(CRONJOB, daily.edits())).contains("  schedule: \"0 0 * * *\"\n");
    assertThat(ExtractTesting.run("cron.yaml", apply(CRONJOB, daily.edits())).recurrence().runsPerDay()).isEqualTo(1.0);

    String written = CRONJOB.replace("  jobTemplate:", "  concurrencyPolicy: Replace\n  jobTemplate:");
    assertThat(ExtractTesting.run("cron.yaml", written).option("concurrency_policy"))
        .isEqualTo(new Option("concurrency_policy", "Replace", SourceRange.of(6, 2, 6, 28)));
    // A Job is not scheduled: no policy.
    assertThat(ExtractTesting.run("job.yaml", CRONJOB.replace("kind: CronJob", "kind: Job")).option("concurrency_policy"))
        .isNull();
  }

  // ------------------------------------------------------------------------------------------ replicas

  private static final String KSERVE = """
      apiVersion: serving.kserve.io/v1beta1
      kind: InferenceService
      metadata:
        name: llama
      spec:
        predictor:
          minReplicas: 2
          maxReplicas: 4
          nodeSelector:
            cloud.google.com/gke-accelerator: nvidia-l4
          model:
            modelFormat:
              name: huggingface
            args:
              - --model_name=llama
              - --model_id=meta-llama/Llama-3.1-8B-Instruct
            resources:
              limits:
                nvidia.com/gpu: "1"
      """;

  @Test
  void kserveInferenceService() {
    ExtractedRun extracted = ExtractTesting.extracted("isvc.yaml", KSERVE);
    Run run = extracted.run();
    assertThat(run.format()).isEqualTo("kubernetes");
    assertThat(run.stage()).isEqualTo(Stage.INFERENCE);
    assertThat(run.option(Options.MIN_REPLICAS)).isEqualTo(new Option(Options.MIN_REPLICAS, "2", SourceRange.of(6, 4, 6, 18)));
    assertThat(run.serving().replicas()).as("serverless: the count varies, down to zero").isNull();
    assertThat(run.deviceCount()).isEqualTo(1);
    assertThat(run.accelerator().spec().id()).isEqualTo("L4");
    assertThat(run.model().id()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
    assertThat(slice(KSERVE, run.model().range())).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");

    Fix zero = extracted.fixes().fixFor(new ProposedChange.SetOption(Options.MIN_REPLICAS, "0", "Zero")).orElseThrow();
    assertThat(zero.edits()).containsExactly(new TextEdit(SourceRange.of(6, 17, 6, 18), "0"));

    // Standard / RawDeployment mode: an HPA, which keeps at least one replica.
    String raw = KSERVE.replace("  name: llama\n", "  name: llama\n  annotations:\n    serving.kserve.io/deploymentMode: RawDeployment\n");
    Run rawRun = ExtractTesting.run("isvc.yaml", raw);
    assertThat(rawRun.option(Options.MIN_REPLICAS).value()).isEqualTo("2");
    assertThat(rawRun.serving().replicas()).isEqualTo(2);

    // No minReplicas: the floor depends on the cluster's default mode, so nothing is read.
    Run unstated = ExtractTesting.run("isvc.yaml", KSERVE.replace("    minReplicas: 2\n", ""));
    assertThat(unstated.option(Options.MIN_REPLICAS)).isNull();

    // A storageUri on the Hub names the model too.
    String uri = KSERVE.replace("      args:\n        - --model_name=llama\n        - --model_id=meta-llama/Llama-3.1-8B-Instruct\n",
        "      storageUri: hf://Qwen/Qwen2.5-7B-Instruct\n");
    assertThat(ExtractTesting.run("isvc.yaml", uri).model().id()).isEqualTo("Qwen/Qwen2.5-7B-Instruct");
  }

  private static final String KNATIVE = """
      apiVersion: serving.knative.dev/v1
      kind: Service
      metadata:
        name: qwen
      spec:
        template:
          metadata:
            annotations:
              autoscaling.knative.dev/min-scale: "1"
          spec:
            containers:
              - image: vllm/vllm-openai:v0.6.3
                args: ["--model", "Qwen/Qwen2.5-7B-Instruct"]
                resources:
                  limits:
                    nvidia.com/gpu: "1"
      """;

  @Test
  void knativeServiceMinScale() {
    ExtractedRun extracted = ExtractTesting.extracted("ksvc.yaml", KNATIVE);
    Run run = extracted.run();
    assertThat(run.format()).isEqualTo("serving");
    assertThat(run.option(Options.MIN_REPLICAS))
        .isEqualTo(new Option(Options.MIN_REPLICAS, "1", SourceRange.of(8, 8, 8, 46)));
    assertThat(run.serving().replicas()).isNull();
    Fix zero = extracted.fixes().fixFor(new ProposedChange.SetOption(Options.MIN_REPLICAS, "0", "Zero")).orElseThrow();
    assertThat(apply(KNATIVE, zero.edits())).contains("autoscaling.knative.dev/min-scale: \"0\"\n");

    Run older = ExtractTesting.run("ksvc.yaml", KNATIVE.replace("min-scale", "minScale"));
    assertThat(older.option(Options.MIN_REPLICAS).value()).isEqualTo("1");
    // The HPA autoscaler class cannot go to zero: the floor reads as a fixed one.
    Run hpa = ExtractTesting.run("ksvc.yaml", KNATIVE.replace("      annotations:\n",
        "      annotations:\n        autoscaling.knative.dev/class: hpa.autoscaling.knative.dev\n"));
    assertThat(hpa.serving().replicas()).isEqualTo(1);
    // A core Service is no workload.
    assertThat(ExtractTesting.extractAll("svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: qwen\nspec:\n  ports:\n    - port: 80\n")).isEmpty();
  }

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: tgi
      spec:
        replicas: 3
        template:
          spec:
            containers:
              - name: tgi
                image: ghcr.io/huggingface/text-generation-inference:2.4.0
                args: ["--model-id", "meta-llama/Meta-Llama-3-8B-Instruct"]
                resources:
                  limits:
                    nvidia.com/gpu: 1
      """;

  @Test
  void deploymentReplicasAndTheAutoscalersBesideThem() {
    ExtractedRun fixed = ExtractTesting.extracted("deploy.yaml", DEPLOYMENT);
    assertThat(fixed.run().option(Options.MIN_REPLICAS))
        .isEqualTo(new Option(Options.MIN_REPLICAS, "3", SourceRange.of(5, 2, 5, 13)));
    assertThat(fixed.run().serving().replicas()).isEqualTo(3);
    assertThat(fixed.fixes().fixFor(new ProposedChange.SetOption(Options.MIN_REPLICAS, "1", "One"))).isEmpty();

    String hpa = DEPLOYMENT + """
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: tgi
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: tgi
          minReplicas: 2
          maxReplicas: 6
        """;
    List<ExtractedRun> runs = ExtractTesting.extractAll("deploy.yaml", hpa);
    assertThat(runs).hasSize(1);
    Run scaled = runs.get(0).run();
    assertThat(scaled.option(Options.MIN_REPLICAS))
        .isEqualTo(new Option(Options.MIN_REPLICAS, "2", SourceRange.of(25, 2, 25, 16)));
    assertThat(scaled.serving().replicas()).isEqualTo(3);
    Fix one = runs.get(0).fixes().fixFor(new ProposedChange.SetOption(Options.MIN_REPLICAS, "1", "One")).orElseThrow();
    assertThat(one.edits()).containsExactly(new TextEdit(SourceRange.of(25, 15, 25, 16), "1"));

    String keda = DEPLOYMENT + """
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata:
          name: tgi-scaler
        spec:
          scaleTargetRef:
            name: tgi
          maxReplicaCount: 6
        """;
    Run zero = ExtractTesting.extractAll("deploy.yaml", keda).get(0).run();
    assertThat(zero.option(Options.MIN_REPLICAS)).isEqualTo(new Option(Options.MIN_REPLICAS, "0", SourceRange.of(20, 0, 20, 4), false));
    assertThat(zero.serving().replicas()).isNull();

    // An HPA for another Deployment changes nothing.
    Run other = ExtractTesting.extractAll("deploy.yaml", hpa.replace("    name: tgi\n  minReplicas", "    name: web\n  minReplicas"))
        .get(0).run();
    assertThat(other.option(Options.MIN_REPLICAS).value()).isEqualTo("3");

    // A web front end with no accelerator and no model serves no model: no floor is read.
    String web = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 4\n  template:\n"
        + "    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";
    Run webRun = ExtractTesting.run("web.yaml", web);
    assertThat(webRun.option(Options.MIN_REPLICAS)).isNull();
  }

  @Test
  void skyServeReplicas() {
    String fixed = "service:\n  readiness_probe: /v1/models\n  replicas: 2\nresources:\n  accelerators: L4:1\n"
        + "run: vllm serve meta-llama/Meta-Llama-3.1-8B-Instruct\n";
    ExtractedRun f = ExtractTesting.extracted("serve.yaml", fixed);
    assertThat(f.run().stage()).isEqualTo(Stage.INFERENCE);
    assertThat(f.run().option(Options.MIN_REPLICAS)).isEqualTo(new Option(Options.MIN_REPLICAS, "2", SourceRange.of(2, 2, 2, 13)));
    assertThat(f.run().serving().replicas()).isEqualTo(2);
    assertThat(f.fixes().fixFor(new ProposedChange.SetOption(Options.MIN_REPLICAS, "1", "One"))).isEmpty();

    String policy = "service:\n  readiness_probe: /v1/models\n  replica_policy:\n    min_replicas: 1\n    max_replicas: 3\n"
        + "    target_qps_per_replica: 2\nresources:\n  accelerators: L4:1\nrun: vllm serve meta-llama/Meta-Llama-3.1-8B-Instruct\n";
    ExtractedRun p = ExtractTesting.extracted("serve.yaml", policy);
    assertThat(p.run().option(Options.MIN_REPLICAS)).isEqualTo(new Option(Options.MIN_REPLICAS, "1", SourceRange.of(3, 4, 3, 19)));
    assertThat(p.run().serving().replicas()).isNull();
    Fix zero = p.fixes().fixFor(new ProposedChange.SetOption(Options.MIN_REPLICAS, "0", "Zero")).orElseThrow();
    assertThat(apply(policy, zero.edits())).contains("    min_replicas: 0\n");

    // A policy with no maximum is a fixed count of min_replicas.
    String noMax = "service:\n  readiness_probe: /v1/models\n  replica_policy:\n    min_replicas: 2\nresources:\n"
        + "  accelerators: L4:1\nrun: vllm serve meta-llama/Meta-Llama-3.1-8B-Instruct\n";
    assertThat(ExtractTesting.run("serve.yaml", noMax).serving().replicas()).isEqualTo(2);
    // A training task has no service: no floor.
    assertThat(runWith(SKY, "train.yaml", "resources:\n  accelerators: A100:8\nnum_nodes: 1\nrun: python train.py\n")
        .option(Options.MIN_REPLICAS)).isNull();
  }
}
