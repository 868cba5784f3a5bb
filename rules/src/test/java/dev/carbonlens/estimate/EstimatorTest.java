package dev.carbonlens.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.AcceleratorChoice;
import dev.carbonlens.model.CloudChoice;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.Evaluation;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.PrecisionChoice;
import dev.carbonlens.model.RegionChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.StatedDuration;
import dev.carbonlens.model.Workload;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The estimator against figures worked out by hand from the bundled reference tables. Every
 * expected value is written as its arithmetic, with the numbers in a comment, and compared within
 * 1e-9 relative.
 */
class EstimatorTest {
  private static final ReferenceData REF = ReferenceData.builtIn();
  /**
   * The defaults with the two factors that the hand arithmetic below leaves out pinned: no host
   * overhead and one MFU for every generation. Their own effect is tested in EstimatorModelTest.
   */
  private static final EstimatorSettings SETTINGS = EstimatorSettings.defaults().toBuilder()
      .hostOverheadFraction(0).mfu(0.35).build();
  private static final Estimator ESTIMATOR = new Estimator(REF, SETTINGS);
  private static final SourceRange R = SourceRange.of(0, 0, 0, 1);
  /** 4 years x 8760 h = 35,040 h of hardware lifetime. */
  private static final double LIFETIME_H = 4 * 8760.0;

  // ------------------------------------------------------------------------------------ helpers

  private static void assertRel(double actual, double expected) {
    double tolerance = Math.max(Math.abs(expected) * 1e-9, 1e-12);
    assertThat(actual).isCloseTo(expected, within(tolerance));
  }

  private static AcceleratorSpec acc(String id) {
    return REF.accelerator(id).orElseThrow();
  }

  private static RegionSpec region(String provider, String id) {
    return REF.region(provider, id).orElseThrow();
  }

  private static Run.Builder run() {
    return Run.builder("test.yaml", 0, "test", Stage.TRAINING, R);
  }

  private static Run.Builder on(Run.Builder b, String accelerator, int devices) {
    return b.accelerator(new AcceleratorChoice(acc(accelerator), accelerator, R))
        .devices(new DeviceCount(devices, devices + " (test)", R));
  }

  private static Run.Builder in(Run.Builder b, String provider, String region) {
    return b.region(new RegionChoice(region(provider, region), region, R));
  }

  private static PrecisionChoice precision(Precision p) {
    return new PrecisionChoice(p, true, R);
  }

  private static StatedDuration hours(double h) {
    return new StatedDuration(h, R);
  }

  private static Schedule steps(long maxSteps, boolean earlyStopping) {
    return new Schedule(null, false, R, maxSteps, R, earlyStopping);
  }

  private static Schedule epochs(double epochs, boolean earlyStopping) {
    return new Schedule(epochs, true, R, null, null, earlyStopping);
  }

  private static ModelChoice model(double billions) {
    return new ModelChoice("test-" + billions + "b", billions, R);
  }

  /** Checks the spec invariants and the assumptions every footprint must list. */
  private static void assertWellFormed(Footprint f) {
    assertRel(f.energyKWh(), f.devices() * f.powerKwPerDevice() * f.hours() * f.pue());
    assertRel(f.operationalKgCO2e(), f.energyKWh() * f.gridIntensity() / 1000);
    assertRel(f.totalKgCO2e(), f.operationalKgCO2e() + f.embodiedKgCO2e());
    List<String> names = f.assumptions().stream().map(Assumption::what).toList();
    assertThat(names).contains("power", "PUE", "grid intensity", "embodied", "boundary");
    for (Assumption a : f.assumptions()) {
      if (List.of("power", "PUE", "grid intensity", "embodied", "boundary").contains(a.what())) {
        assertThat(a.value()).as(a.what()).isNotBlank();
        assertThat(a.source()).as(a.what()).isNotBlank();
      }
    }
    Assumption grid = f.assumptions().stream().filter(a -> a.what().equals("grid intensity")).findFirst().orElseThrow();
    assertThat(grid.source()).as("grid intensity source names a data year").containsPattern(", (19|20)\\d\\d$");
    assertThat(grid.value()).contains("gCO2e/kWh");
    Assumption pue = f.assumptions().stream().filter(a -> a.what().equals("PUE")).findFirst().orElseThrow();
    assertThat(pue.source()).containsPattern(", (19|20)\\d\\d$");
  }

  private static Assumption assumption(Footprint f, String what) {
    return f.assumptions().stream().filter(a -> a.what().equals(what)).findFirst()
        .orElseThrow(() -> new AssertionError("no assumption '" + what + "' in " + f.assumptions()));
  }

  // ------------------------------------------------------------------------------- reference rows

  @Test
  void referenceRowsUsedByTheseHandCalculations() {
    // The figures below are copied from the CSV rows; if a row changes, this test says which.
    RegionSpec useast1 = region("aws", "us-east-1");
    assertThat(useast1.gridIntensity()).isEqualTo(308);
    assertThat(useast1.pue()).isEqualTo(1.135);
    RegionSpec eunorth1 = region("aws", "eu-north-1");
    assertThat(eunorth1.gridIntensity()).isEqualTo(40.695);
    assertThat(eunorth1.pue()).isEqualTo(1.135);
    RegionSpec uscentral1 = region("gcp", "us-central1");
    assertThat(uscentral1.gridIntensity()).isEqualTo(412.72);
    assertThat(uscentral1.pue()).isEqualTo(1.1);
    AcceleratorSpec a100 = acc("A100-SXM4-40GB");
    assertThat(a100.tdpWatts()).isEqualTo(400);
    assertThat(a100.embodiedKgCO2e()).isEqualTo(150);
    assertThat(a100.bf16Tflops()).isEqualTo(312);
    assertThat(a100.fp16Tflops()).isEqualTo(312);
    AcceleratorSpec h100 = acc("H100-SXM");
    assertThat(h100.tdpWatts()).isEqualTo(700);
    assertThat(h100.bf16Tflops()).isEqualTo(989.4);
    assertThat(h100.embodiedKgCO2e()).isEqualTo(164);
    AcceleratorSpec k80 = acc("K80");
    assertThat(k80.tensorCores()).isFalse();
    assertThat(k80.fp32Tflops()).isEqualTo(4.365);
    assertThat(k80.fp16Tflops()).isNull();
    assertThat(k80.bf16Tflops()).isNull();
    assertThat(k80.tdpWatts()).isEqualTo(150);
    AcceleratorSpec l4 = acc("L4");
    assertThat(l4.tdpWatts()).isEqualTo(72);
    assertThat(l4.fp16Tflops()).isEqualTo(121);
    assertThat(l4.tensorCores()).isTrue();
    assertThat(SETTINGS.utilisation()).isEqualTo(1.0);
    assertThat(SETTINGS.mfu()).isEqualTo(0.35);
    assertThat(SETTINGS.mixedPrecisionSpeedup()).isEqualTo(2.0);
    assertThat(SETTINGS.hardwareLifetimeYears()).isEqualTo(4.0);
    assertThat(SETTINGS.earlyStopFraction()).isEqualTo(0.5);
    assertThat(SETTINGS.evalSetFraction()).isEqualTo(0.05);
  }

  // ------------------------------------------------------------------------------ stated duration

  @Nested
  class StatedDurationRun {
    private final Run run = in(on(run(), "A100-SXM4-40GB", 8), "aws", "us-east-1")
        .precision(precision(Precision.BF16)).duration(hours(10)).build();

    @Test
    void figures() {
      Footprint f = ESTIMATOR.estimate(run);
      assertThat(f.accelerator()).isEqualTo("A100-SXM4-40GB");
      assertThat(f.devices()).isEqualTo(8);
      assertThat(f.hoursBasis()).isEqualTo(HoursBasis.STATED);
      assertRel(f.hours(), 10);
      assertRel(f.powerKwPerDevice(), 0.4); // 400 W TDP x load 1.0
      assertRel(f.pue(), 1.135);
      assertRel(f.gridIntensity(), 308);
      // 8 x 0.4 kW x 10 h x 1.135 = 36.32 kWh
      assertRel(f.energyKWh(), 36.32);
      // 36.32 kWh x 308 g/kWh / 1000 = 11.18656 kg
      assertRel(f.operationalKgCO2e(), 11.18656);
      // 8 x 150 kg x 10 h / (4 x 8760 h) = 12,000 / 35,040 = 0.34246575342... kg
      assertRel(f.embodiedKgCO2e(), 8 * 150 * 10 / LIFETIME_H);
      assertRel(f.embodiedKgCO2e(), 0.3424657534246575);
      // 11.18656 + 0.34246575 = 11.52902575... kg
      assertRel(f.totalKgCO2e(), 11.18656 + 12000 / 35040.0);
      assertRel(f.deviceHours(), 80);
      // spec invariants, written out
      assertRel(f.energyKWh(), f.devices() * f.powerKwPerDevice() * f.hours() * f.pue());
      assertRel(f.operationalKgCO2e(), f.energyKWh() * f.gridIntensity() / 1000);
      assertWellFormed(f);
      assertThat(assumption(f, "hours").source()).contains("stated");
    }

    @Test
    void statedHoursDoNotDependOnPrecision() {
      // A stated wall-clock limit is the duration, whatever the throughput.
      Footprint fp32 = ESTIMATOR.estimate(run.withPrecision(precision(Precision.FP32)));
      assertRel(fp32.hours(), 10);
      assertRel(fp32.energyKWh(), 36.32);
    }
  }

  // ---------------------------------------------------------------------------- computed duration

  @Nested
  class ComputedDuration {
    // 7B model, 1000 steps x per-device batch 4 x grad-accum 8 x 8 devices x 2048 tokens
    private final Run.Builder base = in(on(run(), "H100-SXM", 8), "gcp", "us-central1")
        .model(model(7))
        .schedule(steps(1000, false))
        .workload(new Workload(null, null, 2048, 4, 8));

    @Test
    void bf16OnH100() {
      Run run = base.precision(precision(Precision.BF16)).build();
      Footprint f = ESTIMATOR.estimate(run);
      assertThat(acc("H100-SXM").bf16Tflops()).isEqualTo(989.4); // the CSV's bf16 figure
      // tokens D = 1000 x (4 x 8 x 8 = 256) x 2048 = 524,288,000
      double tokens = 1000.0 * 4 * 8 * 8 * 2048;
      assertThat(tokens).isEqualTo(524_288_000.0);
      // 6 N D = 6 x 7e9 x 524,288,000 = 2.2020096e19 FLOPs
      double flops = 6 * 7e9 * tokens;
      assertRel(flops, 2.2020096e19);
      // hours = 2.2020096e19 / (8 x 989.4e12 x 0.35 x 3600) = 2.2020096e19 / 9.973152e18 = 2.20793747... h
      double hours = flops / (8 * 989.4e12 * 0.35 * 3600);
      assertRel(hours, 2.2079374705208545);
      assertThat(f.hoursBasis()).isEqualTo(HoursBasis.COMPUTED);
      assertRel(f.hours(), hours);
      // energy = 8 x 0.7 kW x 2.20793747 h x 1.1 = 13.6008948... kWh
      assertRel(f.energyKWh(), 8 * 0.7 * hours * 1.1);
      assertRel(f.energyKWh(), 13.600894818408465);
      // operational = 13.6008948 x 412.72 / 1000 = 5.61336131 kg
      assertRel(f.operationalKgCO2e(), 8 * 0.7 * hours * 1.1 * 412.72 / 1000);
      // embodied = 8 x 164 kg x 2.20793747 h / 35,040 h = 0.0826716 kg
      assertRel(f.embodiedKgCO2e(), 8 * 164 * hours / LIFETIME_H);
      assertWellFormed(f);
      assertThat(f.assumptions()).anySatisfy(a -> {
        assertThat(a.what()).isEqualTo("training compute");
        assertThat(a.source()).contains("6 x 7B");
      });
    }

    @Test
    void fp32OnTensorCoreGpuIsMixedPeakOverSpeedup() {
      Run run = base.precision(precision(Precision.FP32)).build();
      Footprint f = ESTIMATOR.estimate(run);
      // fp32 peak = 989.4 / 2.0 = 494.7 TFLOPS (not the 67 TFLOPS fp32 vector figure)
      double hours = 6 * 7e9 * 524_288_000.0 / (8 * (989.4e12 / 2.0) * 0.35 * 3600);
      assertRel(f.hours(), hours);
      assertRel(f.hours(), 2 * 2.2079374705208545);
      assertThat(assumption(f, "throughput").source()).contains("fp32 taken as 2x slower");
      assertWellFormed(f);
    }

    @Test
    void fp32OnA100UsesMixedPeakOverTwo() {
      Run run = base.precision(precision(Precision.FP32))
          .accelerator(new AcceleratorChoice(acc("A100-SXM4-40GB"), "A100", R)).build();
      Footprint f = ESTIMATOR.estimate(run);
      // 312 / 2.0 = 156 TFLOPS x 0.35 = 54.6 TFLOPS effective
      // hours = 2.2020096e19 / (8 x 156e12 x 0.35 x 3600) = 2.2020096e19 / 1.572480e18 = 14.0035... h
      assertRel(f.hours(), 2.2020096e19 / (8 * 156e12 * 0.35 * 3600));
      assertWellFormed(f);
    }

    @Test
    void fp32OnK80UsesItsFp32Peak() {
      Run run = base.precision(precision(Precision.FP32))
          .accelerator(new AcceleratorChoice(acc("K80"), "K80", R)).build();
      Footprint f = ESTIMATOR.estimate(run);
      // K80 has no tensor cores: 4.365 TFLOPS fp32 x 0.35
      // hours = 2.2020096e19 / (8 x 4.365e12 x 0.35 x 3600) = 500.5... h
      double hours = 2.2020096e19 / (8 * 4.365e12 * 0.35 * 3600);
      assertRel(f.hours(), hours);
      // energy = 8 x 0.15 kW x hours x 1.1
      assertRel(f.energyKWh(), 8 * 0.15 * hours * 1.1);
      assertThat(assumption(f, "throughput").source()).contains("no tensor-core speed-up");
      assertWellFormed(f);
    }

    @Test
    void k80WithoutStatedPrecisionStillUsesFp32Peak() {
      // Unknown precision is assumed fp16 on a part without bf16, but the K80 has no 16-bit path.
      Run run = base.precision(null).accelerator(new AcceleratorChoice(acc("K80"), "K80", R)).build();
      Footprint f = ESTIMATOR.estimate(run);
      assertRel(f.hours(), 2.2020096e19 / (8 * 4.365e12 * 0.35 * 3600));
      assertThat(assumption(f, "precision").source()).contains("assumed");
    }

    @Test
    void epochsTimesSamplesWhenNoStepLimit() {
      // 2 epochs x 50,000 samples x 2048 tokens = 204,800,000 tokens
      Run run = base.precision(precision(Precision.BF16)).schedule(epochs(2, false))
          .workload(new Workload(50_000L, null, 2048, 4, 8)).build();
      Footprint f = ESTIMATOR.estimate(run);
      // hours = 6 x 7e9 x 204,800,000 / (8 x 989.4e12 x 0.35 x 3600)
      assertRel(f.hours(), 6 * 7e9 * 204_800_000.0 / (8 * 989.4e12 * 0.35 * 3600));
      assertThat(f.hoursBasis()).isEqualTo(HoursBasis.COMPUTED);
    }
  }

  // ------------------------------------------------------------------------------ default duration

  @Test
  void defaultDurationWhenNothingToGoOn() {
    Run run = in(on(run(), "A100-SXM4-40GB", 2), "aws", "us-east-1").precision(precision(Precision.BF16)).build();
    Footprint f = ESTIMATOR.estimate(run);
    assertThat(f.hoursBasis()).isEqualTo(HoursBasis.DEFAULT);
    assertRel(f.hours(), SETTINGS.defaultHours());
    assertRel(f.hours(), 24);
    // 2 x 0.4 kW x 24 h x 1.135 = 21.792 kWh
    assertRel(f.energyKWh(), 21.792);
    assertThat(assumption(f, "hours").source()).contains("default");
    assertThat(f.assumptions()).anySatisfy(a -> assertThat(a.toString()).contains("default"));
    assertWellFormed(f);
  }

  @Test
  void defaultDurationFollowsSettings() {
    Estimator estimator = new Estimator(REF, SETTINGS.withDefaultHours(5));
    Run run = run().build(); // nothing at all: default accelerator, 1 device, no region
    Footprint f = estimator.estimate(run);
    assertThat(f.hoursBasis()).isEqualTo(HoursBasis.DEFAULT);
    assertThat(f.accelerator()).isEqualTo("A100-SXM4-40GB");
    assertThat(f.devices()).isEqualTo(1);
    assertRel(f.hours(), 5);
    // 1 x 0.4 kW x 5 h x 1.56 (on-prem) = 3.12 kWh; x 475 / 1000 = 1.482 kg
    assertRel(f.energyKWh(), 3.12);
    assertRel(f.operationalKgCO2e(), 1.482);
    assertThat(assumption(f, "accelerator").source()).contains("default");
    assertThat(assumption(f, "devices").source()).contains("default");
    assertWellFormed(f);
  }

  @Test
  void modelWithoutSequenceLengthFallsBackToDefault() {
    Run run = on(run(), "A100-SXM4-40GB", 1).model(model(7)).schedule(steps(100, false)).build();
    assertThat(ESTIMATOR.estimate(run).hoursBasis()).isEqualTo(HoursBasis.DEFAULT);
  }

  // -------------------------------------------------------------------------------------- no region

  @Test
  void noRegionKnownCloudUsesWorldIntensityAndProviderPue() {
    Run run = on(run(), "A100-SXM4-40GB", 8).precision(precision(Precision.BF16)).duration(hours(10))
        .cloud(new CloudChoice("gcp", R)).build();
    Footprint f = ESTIMATOR.estimate(run);
    assertRel(f.gridIntensity(), 475);
    assertRel(f.pue(), 1.1);
    // 8 x 0.4 x 10 x 1.1 = 35.2 kWh; x 475 / 1000 = 16.72 kg
    assertRel(f.energyKWh(), 35.2);
    assertRel(f.operationalKgCO2e(), 16.72);
    assertThat(assumption(f, "grid intensity").source()).contains("world average").endsWith(", 2019");
    assertWellFormed(f);

    Footprint aws = ESTIMATOR.estimate(run.toBuilder().cloud(new CloudChoice("aws", R)).build());
    assertRel(aws.pue(), 1.135);
    Footprint azure = ESTIMATOR.estimate(run.toBuilder().cloud(new CloudChoice("azure", R)).build());
    assertRel(azure.pue(), 1.185);
  }

  @Test
  void noRegionNoCloudUsesWorldIntensityAndOnPremPue() {
    Run run = on(run(), "A100-SXM4-40GB", 8).precision(precision(Precision.BF16)).duration(hours(10)).build();
    Footprint f = ESTIMATOR.estimate(run);
    assertRel(f.gridIntensity(), 475);
    assertRel(f.pue(), 1.56);
    // 8 x 0.4 x 10 x 1.56 = 49.92 kWh; x 475 / 1000 = 23.712 kg
    assertRel(f.energyKWh(), 49.92);
    assertRel(f.operationalKgCO2e(), 23.712);
    assertThat(assumption(f, "PUE").source()).contains("Uptime").endsWith(", 2024");
    assertWellFormed(f);
  }

  // ---------------------------------------------------------------------------------------- savings

  @Nested
  class SavingsOfOneChange {

    @Test
    void bf16OnFp32A100WithStatedHoursHalvesEverything() {
      Run run = in(on(run(), "A100-SXM4-40GB", 8), "aws", "us-east-1")
          .precision(precision(Precision.FP32)).duration(hours(10)).build();
      Savings s = ESTIMATOR.savings(run, new ProposedChange.UsePrecision(Precision.BF16)).orElseThrow();
      // Work fixed by the stated 10 h at 156 TFLOPS; at 312 TFLOPS the same work takes 5 h, same power.
      assertRel(s.before().hours(), 10);
      assertRel(s.after().hours(), 5);
      assertThat(s.fraction()).isCloseTo(0.5, within(1e-12));
      // kWh saved: 36.32 - 18.16 = 18.16
      assertRel(s.kWh(), 18.16);
      // kg saved: half of 11.52902575... = 5.764512876...
      assertRel(s.kgCO2e(), (11.18656 + 12000 / 35040.0) / 2);
      assertThat(s.after().powerKwPerDevice()).isEqualTo(s.before().powerKwPerDevice());
      assertWellFormed(s.before());
      assertWellFormed(s.after());
    }

    @Test
    void moveToRegionSameProviderSavesNoEnergy() {
      Run run = in(on(run(), "A100-SXM4-40GB", 8), "aws", "us-east-1")
          .precision(precision(Precision.BF16)).duration(hours(10)).build();
      Savings s = ESTIMATOR.savings(run, new ProposedChange.MoveToRegion(region("aws", "eu-north-1"))).orElseThrow();
      // same PUE 1.135 on both sides: kWh saved 0
      assertThat(s.kWh()).isCloseTo(0, within(1e-12));
      // 36.32 kWh x (308 - 40.695) / 1000 = 36.32 x 267.305 / 1000 = 9.7085176 kg (embodied unchanged)
      assertRel(s.kgCO2e(), 36.32 * (308 - 40.695) / 1000);
      assertRel(s.kgCO2e(), 9.7085176);
      assertRel(s.after().embodiedKgCO2e(), s.before().embodiedKgCO2e());
      assertRel(s.after().gridIntensity(), 40.695);
      assertWellFormed(s.after());
    }

    @Test
    void moveToRegionAcrossProvidersChangesPue() {
      Run run = in(on(run(), "A100-SXM4-40GB", 8), "aws", "us-east-1")
          .precision(precision(Precision.BF16)).duration(hours(10)).build();
      Savings s = ESTIMATOR.savings(run, new ProposedChange.MoveToRegion(region("gcp", "europe-north1"))).orElseThrow();
      // 8 x 0.4 x 10 x (1.135 - 1.1) = 1.12 kWh saved
      assertRel(s.kWh(), 8 * 0.4 * 10 * (1.135 - 1.1));
      // 36.32 x 308 / 1000 - 35.2 x 39.32 / 1000
      assertRel(s.kgCO2e(), 36.32 * 308 / 1000 - 35.2 * 39.32 / 1000);
    }

    @Test
    void k80ToL4KeepsTheWorkConstant() {
      Run run = in(on(run(), "K80", 4), "gcp", "us-central1")
          .precision(precision(Precision.FP32)).duration(hours(10)).build();
      Savings s = ESTIMATOR.savings(run, new ProposedChange.UseAccelerator(acc("L4"))).orElseThrow();
      // Work = 4 x 10 h x 4.365 TFLOPS x 0.35; on L4 at fp32 = 121 / 2.0 = 60.5 TFLOPS peak:
      // hours = 10 x 4.365 / 60.5 = 0.72148760... h
      double hoursAfter = 10 * 4.365 / 60.5;
      assertRel(s.before().hours(), 10);
      assertRel(s.after().hours(), hoursAfter);
      assertThat(s.after().accelerator()).isEqualTo("L4");
      // device-hours x throughput is the same on both sides
      assertRel(s.after().deviceHours() * 60.5, s.before().deviceHours() * 4.365);
      // before: 4 x 0.15 kW x 10 h x 1.1 = 6.6 kWh; after: 4 x 0.072 kW x 0.7214876 h x 1.1 = 0.228567... kWh
      assertRel(s.before().energyKWh(), 6.6);
      assertRel(s.after().energyKWh(), 4 * 0.072 * hoursAfter * 1.1);
      assertRel(s.kWh(), 6.6 - 4 * 0.072 * hoursAfter * 1.1);
      // kg: (kWh saved) x 412.72 / 1000 + 4 x 150 kg x (10 - 0.7214876) h / 35,040 h
      assertRel(s.kgCO2e(), (6.6 - 4 * 0.072 * hoursAfter * 1.1) * 412.72 / 1000
          + 4 * 150 * (10 - hoursAfter) / LIFETIME_H);
    }

    @Test
    void earlyStoppingHalvesScheduleDerivedHours() {
      Run run = in(on(run(), "H100-SXM", 8), "gcp", "us-central1").precision(precision(Precision.BF16))
          .model(model(7)).schedule(steps(1000, false)).workload(new Workload(null, null, 2048, 4, 8)).build();
      Savings s = ESTIMATOR.savings(run, new ProposedChange.AddEarlyStopping()).orElseThrow();
      // 2.20793747 h planned; 0.5 x that with early stopping
      assertRel(s.before().hours(), 2.2079374705208545);
      assertRel(s.after().hours(), 0.5 * 2.2079374705208545);
      assertThat(s.fraction()).isCloseTo(0.5, within(1e-12));
      assertRel(s.kWh(), 0.5 * 8 * 0.7 * 2.2079374705208545 * 1.1);
      assertThat(s.after().assumptions()).anySatisfy(a -> assertThat(a.what()).isEqualTo("early stopping"));
    }

    @Test
    void earlyStoppingDoesNothingToAStatedDuration() {
      Run run = in(on(run(), "A100-SXM4-40GB", 8), "aws", "us-east-1").precision(precision(Precision.BF16))
          .schedule(epochs(3, false)).duration(hours(10)).build();
      Optional<Savings> s = ESTIMATOR.savings(run, new ProposedChange.AddEarlyStopping());
      assertThat(s).isPresent();
      assertRel(s.get().after().hours(), 10);
      assertThat(s.get().kgCO2e()).isCloseTo(0, within(1e-12));
      assertThat(s.get().kWh()).isCloseTo(0, within(1e-12));
    }

    /**
     * 1B model, 100,000 training samples x 1024 tokens, 3 epochs, per-device batch 8 on 4 A100s
     * (global batch 32), evaluation every 100 steps, eval set not stated (5% = 5,000 samples).
     */
    private Run.Builder evalRun() {
      return in(on(run(), "A100-SXM4-40GB", 4), "aws", "us-east-1").precision(precision(Precision.BF16))
          .model(model(1)).schedule(epochs(3, false))
          .workload(new Workload(100_000L, null, 1024, 8, null))
          .evaluation(new Evaluation("steps", 100L, R));
    }

    @Test
    void evaluateLessOften() {
      Run run = evalRun().build();
      // train: 6 x 1e9 x (3 x 100,000 x 1024 = 307,200,000 tokens) = 1.8432e18 FLOPs
      double train = 6 * 1e9 * 3 * 100_000 * 1024;
      assertRel(train, 1.8432e18);
      // steps = 3 x ceil(100,000 / 32) = 3 x 3125 = 9375; every 100 -> floor(93.75) = 93 evaluations
      // eval: 93 x 2 x 1e9 x 5,000 samples x 1024 = 9.5232e17 FLOPs
      double evalBefore = 93 * 2 * 1e9 * 5000 * 1024;
      assertRel(evalBefore, 9.5232e17);
      // every 1000 -> floor(9.375) = 9 evaluations: 9 x 1.024e16 = 9.216e16 FLOPs
      double evalAfter = 9 * 2 * 1e9 * 5000 * 1024;
      // throughput: 4 x 312e12 x 0.35 x 3600 = 1.57248e18 FLOPs per hour
      double perHour = 4 * 312e12 * 0.35 * 3600;
      double hoursBefore = (train + evalBefore) / perHour; // 2.79552e18 / 1.57248e18 = 16/9 = 1.7778 h
      double hoursAfter = (train + evalAfter) / perHour;   // 1.93536e18 / 1.57248e18 = 16/13 = 1.2308 h
      assertRel(hoursBefore, 16.0 / 9);
      assertRel(hoursAfter, 16.0 / 13);

      Footprint before = ESTIMATOR.estimate(run);
      assertRel(before.hours(), hoursBefore);
      assertThat(assumption(before, "eval set").value()).isEqualTo("5000 samples");
      assertThat(assumption(before, "evaluation compute").source()).startsWith("93 evaluations");

      Savings s = ESTIMATOR.savings(run, new ProposedChange.EvaluateEvery(1000)).orElseThrow();
      assertRel(s.before().hours(), hoursBefore);
      assertRel(s.after().hours(), hoursAfter);
      // kWh saved = 4 x 0.4 x (16/9 - 16/13) h x 1.135 = 0.99336752... kWh
      double dh = hoursBefore - hoursAfter;
      assertRel(s.kWh(), 4 * 0.4 * dh * 1.135);
      assertRel(s.kWh(), 0.9933675213675212);
      // kg saved = 0.99336752 x 308 / 1000 + 4 x 150 x 0.54700855 / 35,040 = 0.31532378... kg
      assertRel(s.kgCO2e(), 4 * 0.4 * dh * 1.135 * 308 / 1000 + 4 * 150 * dh / LIFETIME_H);
      assertRel(s.kgCO2e(), 0.31532378129024696);
    }

    @Test
    void evaluateEveryWithStatedEvalSet() {
      // eval set stated as 2,000 samples: 93 -> 9 evaluations saves 84 x 2 x 1e9 x 2000 x 1024 FLOPs
      Run run = evalRun().workload(new Workload(100_000L, 2_000L, 1024, 8, null)).build();
      Savings s = ESTIMATOR.savings(run, new ProposedChange.EvaluateEvery(1000)).orElseThrow();
      double dh = 84 * 2 * 1e9 * 2000 * 1024 / (4 * 312e12 * 0.35 * 3600);
      assertRel(s.before().hours() - s.after().hours(), dh);
      assertRel(s.kWh(), 4 * 0.4 * dh * 1.135);
    }

    @Test
    void evaluateEveryEmptyWhenEvalCostUnknown() {
      // Step-limited 7B run with no training-set size and no eval-set size: eval cost unknown.
      Run run = in(on(run(), "H100-SXM", 8), "gcp", "us-central1").precision(precision(Precision.BF16))
          .model(model(7)).schedule(steps(1000, false)).workload(new Workload(null, null, 2048, 4, 8))
          .evaluation(new Evaluation("steps", 10L, R)).build();
      assertThat(ESTIMATOR.savings(run, new ProposedChange.EvaluateEvery(500))).isEmpty();
      // and with a stated duration there is no eval cost model at all
      Run stated = evalRun().duration(hours(10)).build();
      assertThat(ESTIMATOR.savings(stated, new ProposedChange.EvaluateEvery(1000))).isEmpty();
    }

    @Test
    void keepCheckpointsHasNoEnergyPrice() {
      Run run = evalRun().build();
      assertThat(ESTIMATOR.savings(run, new ProposedChange.KeepCheckpoints(3))).isEmpty();
    }
  }

  // ------------------------------------------------------------------------------- combined savings

  @Test
  void combinedSavingsAreTheJointEffectNotTheSum() {
    // 7B on 8 A100s, 1000 steps x 256 x 2048 tokens, fp32, no early stopping, us-east-1
    Run run = in(on(run(), "A100-SXM4-40GB", 8), "aws", "us-east-1").precision(precision(Precision.FP32))
        .model(model(7)).schedule(steps(1000, false)).workload(new Workload(null, null, 2048, 4, 8)).build();
    ProposedChange bf16 = new ProposedChange.UsePrecision(Precision.BF16);
    ProposedChange stop = new ProposedChange.AddEarlyStopping();
    // before: 2.2020096e19 / (8 x 156e12 x 0.35 x 3600) = 14.00341... h
    double hoursBefore = 2.2020096e19 / (8 * 156e12 * 0.35 * 3600);
    // after both: 2.2020096e19 x 0.5 / (8 x 312e12 x 0.35 x 3600) = hoursBefore / 4
    double hoursAfter = 2.2020096e19 * 0.5 / (8 * 312e12 * 0.35 * 3600);
    assertRel(hoursAfter, hoursBefore / 4);

    Savings both = ESTIMATOR.savings(run, List.of(bf16, stop)).orElseThrow();
    assertRel(both.before().hours(), hoursBefore);
    assertRel(both.after().hours(), hoursAfter);
    assertThat(both.fraction()).isCloseTo(0.75, within(1e-12));
    // kWh saved = 8 x 0.4 x (3/4 x hoursBefore) x 1.135
    assertRel(both.kWh(), 8 * 0.4 * 0.75 * hoursBefore * 1.135);
    // kg saved = that x 308 / 1000 + 8 x 150 x (3/4 x hoursBefore) / 35,040
    assertRel(both.kgCO2e(), 8 * 0.4 * 0.75 * hoursBefore * 1.135 * 308 / 1000
        + 8 * 150 * 0.75 * hoursBefore / LIFETIME_H);

    Savings precisionOnly = ESTIMATOR.savings(run, bf16).orElseThrow();
    Savings stopOnly = ESTIMATOR.savings(run, stop).orElseThrow();
    assertThat(precisionOnly.fraction()).isCloseTo(0.5, within(1e-12));
    assertThat(stopOnly.fraction()).isCloseTo(0.5, within(1e-12));
    assertThat(both.kgCO2e()).isLessThan(precisionOnly.kgCO2e() + stopOnly.kgCO2e());
    assertThat(both.kWh()).isLessThan(precisionOnly.kWh() + stopOnly.kWh());
    // order does not matter
    Savings reversed = ESTIMATOR.savings(run, List.of(stop, bf16)).orElseThrow();
    assertRel(reversed.kgCO2e(), both.kgCO2e());
  }

  @Test
  void combinedSavingsLeaveOutWhatCannotBePriced() {
    Run run = in(on(run(), "A100-SXM4-40GB", 8), "aws", "us-east-1").precision(precision(Precision.FP32))
        .duration(hours(10)).build();
    Savings s = ESTIMATOR.savings(run, List.of(new ProposedChange.UsePrecision(Precision.BF16),
        new ProposedChange.KeepCheckpoints(2))).orElseThrow();
    assertThat(s.fraction()).isCloseTo(0.5, within(1e-12));
    assertThat(ESTIMATOR.savings(run, List.of(new ProposedChange.KeepCheckpoints(2)))).isEmpty();
    assertThat(ESTIMATOR.savings(run, List.of())).isEmpty();
  }

  // ------------------------------------------------------------------------------ published figure

  @Test
  void bloomEnergyBeforePue() {
    // FACTS F7: BLOOM-176B, 1,082,990 GPU-hours on A100 at 0.4 kW = 433,196 kWh before PUE.
    // 384 devices x 2820.286458... h = 1,082,990 GPU-hours
    Run run = on(run(), "A100-SXM4-80GB", 384).precision(precision(Precision.BF16))
        .duration(hours(1_082_990.0 / 384)).build();
    Footprint f = ESTIMATOR.estimate(run);
    assertThat(f.deviceHours()).isCloseTo(1_082_990, within(1e-6));
    // 1,082,990 h x 0.4 kW = 433,196 kWh; the estimate multiplies by PUE, so divide it back out
    assertThat(f.energyKWh() / f.pue()).isCloseTo(433_196, within(433_196 * 0.001));
    assertRel(f.energyKWh() / f.pue(), 433_196);
    assertWellFormed(f);
  }
}
