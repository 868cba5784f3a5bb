package dev.carbonlens.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.model.AcceleratorChoice;
import dev.carbonlens.model.DeviceCount;
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
import org.junit.jupiter.api.Test;

/** The power model, MFU by generation, the range and the location settings, each against hand arithmetic. */
class EstimatorModelTest {
  private static final ReferenceData REF = ReferenceData.builtIn();
  private static final SourceRange R = SourceRange.of(0, 0, 0, 1);

  private static AcceleratorSpec acc(String id) {
    return REF.accelerator(id).orElseThrow();
  }

  private static RegionSpec region(String provider, String id) {
    return REF.region(provider, id).orElseThrow();
  }

  private static Run.Builder run(String accelerator, int devices) {
    return Run.builder("t.yaml", 0, "test", Stage.TRAINING, R)
        .accelerator(new AcceleratorChoice(acc(accelerator), accelerator, R))
        .devices(new DeviceCount(devices, "test", R))
        .precision(new PrecisionChoice(Precision.BF16, true, R));
  }

  private static void assertRel(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * 1e-9));
  }

  @Test
  void hostOverheadAddsTenPercentToTheDevice() {
    RegionSpec useast = region("aws", "us-east-1");
    Run r = run("A100-SXM4-40GB", 1).region(new RegionChoice(useast, "us-east-1", R))
        .duration(new StatedDuration(10, R)).build();
    Footprint f = new Estimator(REF, EstimatorSettings.defaults()).estimate(r);
    // utilisation 1: the device draws its 400 W TDP; host +10 %: 440 W
    assertRel(f.powerKwPerDevice(), 0.44);
    // 1 x 0.44 kW x 10 h x PUE
    assertRel(f.energyKWh(), 0.44 * 10 * useast.pue());
    assertRel(f.operationalKgCO2e(), f.energyKWh() * useast.gridIntensity() / 1000);
  }

  @Test
  void utilisationScalesBetweenIdleAndTdp() {
    EstimatorSettings half = EstimatorSettings.defaults().toBuilder().utilisation(0.5).build();
    Run a100 = run("A100-SXM4-40GB", 1).duration(new StatedDuration(10, R)).build();
    // A100: idle 46 W (CCF/Teads); 46 + 0.5 x (400 - 46) = 223 W; x 1.1 host = 245.3 W
    assertRel(new Estimator(REF, half).estimate(a100).powerKwPerDevice(), 0.2453);
    // H100 has no idle figure in the table: 11.5 % of 700 W = 80.5 W; 80.5 + 0.5 x 619.5 = 390.25 W; x 1.1
    assertThat(acc("H100-SXM").idleWatts()).isNull();
    Run h100 = run("H100-SXM", 1).duration(new StatedDuration(10, R)).build();
    assertRel(new Estimator(REF, half).estimate(h100).powerKwPerDevice(), 0.390_25 * 1.1);
  }

  @Test
  void mfuDependsOnTheGeneration() {
    Workload tokens = new Workload(null, null, 2048, null, null, 1_000_000_000_000L, null);
    ModelChoice model = new ModelChoice("test-7b", 7.0, R);
    Estimator estimator = new Estimator(REF, EstimatorSettings.defaults());
    Run h100 = run("H100-SXM", 8).model(model).workload(tokens).build();
    // 6 x 7e9 x 1e12 = 4.2e22 FLOPs over 8 x 989.4 TFLOPS bf16 x MFU 0.40 (Hopper)
    assertRel(estimator.estimate(h100).hours(), 4.2e22 / (8 * 989.4e12 * 0.40 * 3600));
    Run v100 = run("V100-SXM2-16GB", 8).precision(new PrecisionChoice(Precision.FP16, true, R))
        .model(model).workload(tokens).build();
    // V100: 125 TFLOPS fp16 x MFU 0.2 (GPT-3 on V100: 0.197)
    assertRel(estimator.estimate(v100).hours(), 4.2e22 / (8 * 125e12 * 0.2 * 3600));
    assertThat(MfuDefaults.forArchitecture("ampere").value()).isEqualTo(0.35);
    assertThat(MfuDefaults.forArchitecture("tpu-v4").value()).isEqualTo(0.37);
    assertThat(MfuDefaults.forArchitecture("gaudi2").source()).startsWith("no published figure for gaudi2");
  }

  @Test
  void rangeBracketsTheCentralCase() {
    Workload tokens = new Workload(null, null, 2048, null, null, 100_000_000_000L, null);
    Run computed = run("A100-SXM4-40GB", 8).model(new ModelChoice("test-7b", 7.0, R)).workload(tokens).build();
    Footprint f = new Estimator(REF, EstimatorSettings.defaults()).estimate(computed);
    assertThat(f.lowKgCO2e()).isLessThan(f.totalKgCO2e());
    assertThat(f.highKgCO2e()).isGreaterThan(f.totalKgCO2e());
    assertThat(f.lowEnergyKWh()).isLessThan(f.energyKWh());
    assertThat(f.highEnergyKWh()).isGreaterThan(f.energyKWh());
    // high: MFU -25 % so hours / 0.75, devices at TDP (already central), embodied over 3 years
    double highHours = f.hours() / 0.75;
    double highEnergy = 8 * 0.44 * highHours * f.pue();
    double highEmbodied = 8 * 150 * highHours / (3 * 8760.0);
    assertRel(f.highKgCO2e(), highEnergy * f.gridIntensity() / 1000 + highEmbodied);
    assertThat(f.assumptions()).anySatisfy(a -> assertThat(a.what()).isEqualTo("range"));
  }

  @Test
  void statedHoursDoNotMoveWithMfu() {
    Run stated = run("A100-SXM4-40GB", 2).duration(new StatedDuration(10, R)).build();
    Footprint f = new Estimator(REF, EstimatorSettings.defaults()).estimate(stated);
    // the range only varies power and lifetime: low = 46 + 0.7 x 354 = 293.8 W x 1.1, 6-year lifetime
    double lowEnergy = 2 * 0.2938 * 1.1 * 10 * f.pue();
    assertRel(f.lowEnergyKWh(), lowEnergy);
    assertRel(f.lowKgCO2e(), lowEnergy * f.gridIntensity() / 1000 + 2 * 150 * 10 / (6 * 8760.0));
  }

  @Test
  void defaultLocationByCountryOrRegionAndPueOverride() {
    Run nowhere = run("A100-SXM4-40GB", 1).duration(new StatedDuration(10, R)).build();
    var france = REF.country("FR").orElseThrow();
    Footprint fr = new Estimator(REF, EstimatorSettings.defaults().toBuilder().defaultLocation("FR").build())
        .estimate(nowhere);
    assertRel(fr.gridIntensity(), france.gridIntensity());
    assertRel(fr.pue(), REF.onPremPue().value());
    RegionSpec stockholm = region("aws", "eu-north-1");
    Footprint se = new Estimator(REF, EstimatorSettings.defaults().toBuilder().defaultLocation("aws:eu-north-1").build())
        .estimate(nowhere);
    assertRel(se.gridIntensity(), stockholm.gridIntensity());
    assertRel(se.pue(), stockholm.pue());
    Footprint pue = new Estimator(REF, EstimatorSettings.defaults().toBuilder().defaultLocation("FR").pueOverride(1.2).build())
        .estimate(nowhere);
    assertRel(pue.energyKWh(), 0.44 * 10 * 1.2);
    Estimator bad = new Estimator(REF, EstimatorSettings.defaults().toBuilder().defaultLocation("Atlantis").build());
    assertThatThrownBy(() -> bad.estimate(nowhere)).hasMessageContaining("unknown default location");
  }

  @Test
  void settingsRejectNonsense() {
    var builder = EstimatorSettings.defaults().toBuilder();
    assertThatThrownBy(() -> builder.utilisation(0).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EstimatorSettings.defaults().toBuilder().pueOverride(0.9).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EstimatorSettings.defaults().toBuilder().mfu(1.5).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void earlyStoppingStillHalvesAComputedSchedule() {
    Workload w = new Workload(10_000L, null, 512, 8, 1);
    Run r = run("A100-SXM4-40GB", 1).model(new ModelChoice("m-1b", 1.0, R))
        .schedule(new Schedule(10.0, true, R, null, null, false)).workload(w).build();
    Estimator e = new Estimator(REF, EstimatorSettings.defaults());
    var s = e.savings(r, new dev.carbonlens.engine.ProposedChange.AddEarlyStopping()).orElseThrow();
    assertRel(s.fraction(), 0.5);
  }

  /**
   * Green Algorithms (Lannelongue et al. 2021): E = t x n x P x u x PUE / 1000 kWh and
   * C = E x CI. At full usage (u = 1) and with no host share, CarbonLens gives the same figures.
   */
  @Test
  void reproducesGreenAlgorithmsAtFullUsage() {
    EstimatorSettings ga = EstimatorSettings.defaults().toBuilder().hostOverheadFraction(0).build();
    RegionSpec london = region("aws", "eu-west-2");
    // 4 x T4 (70 W) for 12 h in eu-west-2
    Run t4 = run("T4", 4).precision(new PrecisionChoice(Precision.FP16, true, R))
        .region(new RegionChoice(london, "eu-west-2", R)).duration(new StatedDuration(12, R)).build();
    Footprint f = new Estimator(REF, ga).estimate(t4);
    double energy = 12 * 4 * 70 * 1.0 * london.pue() / 1000;
    assertRel(f.energyKWh(), energy);
    assertRel(f.operationalKgCO2e(), energy * london.gridIntensity() / 1000);
    // 8 x A100 (400 W) for 100 h, on-premises (PUE 1.56), world-average grid (475 g/kWh)
    Run a100 = run("A100-SXM4-40GB", 8).duration(new StatedDuration(100, R)).build();
    Footprint g = new Estimator(REF, ga).estimate(a100);
    assertRel(g.energyKWh(), 100 * 8 * 400 * 1.0 * 1.56 / 1000);
    assertRel(g.operationalKgCO2e(), 100 * 8 * 400 * 1.56 / 1000 * 475 / 1000);
  }

  @Test
  void servingReportsEnergyPerThousandTokensWhenThroughputIsKnown() {
    RegionSpec finland = region("gcp", "europe-north1");
    Run serving = Run.builder("s.yaml", 0, "test", Stage.INFERENCE, R)
        .accelerator(new AcceleratorChoice(acc("L4"), "L4", R)).devices(new DeviceCount(1, "test", R))
        .region(new RegionChoice(finland, "europe-north1", R)).build();
    assertThat(new Estimator(REF, EstimatorSettings.defaults()).estimate(serving).perThousandTokens()).isNull();
    Footprint f = new Estimator(REF, EstimatorSettings.defaults().toBuilder().servingTokensPerSecond(1500.0).build())
        .estimate(serving);
    // L4: idle 11.5 % of 72 W; at utilisation 1 it draws 72 W, x 1.1 host = 79.2 W; 1,000 tokens at 1,500/s
    // take 1000 / (1500 x 3600) device-hours = 1.85185e-4 h
    double deviceHours = 1000 / (1500.0 * 3600);
    double kWh = 0.0792 * finland.pue() * deviceHours;
    assertRel(f.perThousandTokens().energyWh(), kWh * 1000);
    assertRel(f.perThousandTokens().gramsCO2e(), kWh * finland.gridIntensity() + 150 * deviceHours / (4 * 8760.0) * 1000);
    Run training = run("L4", 1).duration(new StatedDuration(1, R)).build();
    assertThat(new Estimator(REF, EstimatorSettings.defaults().toBuilder().servingTokensPerSecond(1500.0).build())
        .estimate(training).perThousandTokens()).isNull();
  }
}
