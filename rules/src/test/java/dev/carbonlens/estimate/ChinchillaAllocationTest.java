package dev.carbonlens.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.model.Workload;
import org.junit.jupiter.api.Test;

/** The Chinchilla (Hoffmann et al. 2022, approach 3) allocation against hand arithmetic. */
class ChinchillaAllocationTest {
  private static final SourceRange R = SourceRange.of(0, 0, 0, 1);

  /**
   * N = 7e9, D = 20e9:
   *
   * <pre>
   *   ln N = 22.669176, x 0.34 = 7.707520, N^0.34 = 2225.0, A / N^0.34 = 406.4 / 2225.0 = 0.18265
   *   ln D = 23.718998, x 0.28 = 6.641319, D^0.28 =  766.1, B / D^0.28 = 410.7 /  766.1 = 0.53609
   *   L = 1.69 + 0.18265 + 0.53609 = 2.40874;  L - E = 0.71874
   *   a = 0.28 / 0.62 x 0.71874 = 0.32459;     b = 0.34 / 0.62 x 0.71874 = 0.39415
   *   N' = (406.4 / 0.32459)^(1 / 0.34) = 1252.04^2.941176 = e^20.97803 = 1.2901e9
   *   D' = (410.7 / 0.39415)^(1 / 0.28) = 1041.98^3.571429 = e^24.81743 = 5.999e10
   *   compute ratio = 1.2901e9 x 5.999e10 / (7e9 x 20e9) = 0.5528
   * </pre>
   */
  @Test
  void sevenBillionOnTwentyBillionTokensMatchesTheHandFigures() {
    assertThat(ChinchillaAllocation.loss(7, 20e9)).isCloseTo(2.40874, within(1e-4));
    ChinchillaAllocation.Allocation optimal = ChinchillaAllocation.sameLoss(7, 20e9);
    assertThat(optimal.billionParameters()).isCloseTo(1.2901, within(0.0005));
    assertThat(optimal.tokens()).isCloseTo(5.999e10, within(0.002e10));
    assertThat(optimal.trainingFlops() / (6 * 7e9 * 20e9)).isCloseTo(0.5528, within(0.0005));
    assertThat(optimal.tokensPerParameter()).isCloseTo(46.5, within(0.1));
    // the same fitted loss, for less compute
    assertThat(ChinchillaAllocation.loss(optimal.billionParameters(), optimal.tokens()))
        .isCloseTo(ChinchillaAllocation.loss(7, 20e9), within(1e-9));
  }

  @Test
  void theOptimumIsAFixedPointAndTheCheapestOnItsLossCurve() {
    ChinchillaAllocation.Allocation optimal = ChinchillaAllocation.sameLoss(7, 20e9);
    ChinchillaAllocation.Allocation again = ChinchillaAllocation.sameLoss(optimal.billionParameters(), optimal.tokens());
    assertThat(again.billionParameters()).isCloseTo(optimal.billionParameters(), within(1e-6));
    assertThat(again.tokens()).isCloseTo(optimal.tokens(), within(1.0));
    double loss = ChinchillaAllocation.loss(7, 20e9);
    for (double scale : new double[] {0.8, 0.95, 1.05, 1.25}) {
      double n = optimal.billionParameters() * scale;
      // the tokens that reach the same loss with n parameters
      double d = Math.pow(ChinchillaAllocation.B
          / (loss - ChinchillaAllocation.E - ChinchillaAllocation.A / Math.pow(n * 1e9, ChinchillaAllocation.ALPHA)),
          1 / ChinchillaAllocation.BETA);
      assertThat(6 * n * 1e9 * d).as("compute at %sx the optimal size", scale).isGreaterThan(optimal.trainingFlops());
    }
  }

  @Test
  void rejectsNonPositiveInputs() {
    assertThatThrownBy(() -> ChinchillaAllocation.sameLoss(0, 1e9)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChinchillaAllocation.sameLoss(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static Run.Builder pretraining(double billion) {
    return Run.builder("t.yaml", 0, "test", Stage.TRAINING, R)
        .model(new ModelChoice("gpt", billion, billion, "test", R));
  }

  @Test
  void tokensAreTheStatedBudgetOrStepsTimesAStatedGlobalBatch() {
    Run budget = pretraining(7).workload(new Workload(null, null, 2048, 4, null, 20_000_000_000L, null)).build();
    assertThat(ChinchillaAllocation.trainingTokens(budget)).isEqualTo(20e9);
    assertThat(ChinchillaAllocation.tokensPerParameter(budget)).isCloseTo(20.0 / 7, within(1e-12));

    Schedule steps = new Schedule(0.0, false, R, 10_000L, R, false);
    Run global = pretraining(7).schedule(steps).workload(new Workload(null, null, 2048, 4, 1, null, 512)).build();
    assertThat(ChinchillaAllocation.trainingTokens(global)).isEqualTo(10_000.0 * 512 * 2048);

    Run perDevice = pretraining(7).schedule(steps).workload(new Workload(null, null, 2048, 4, 8, null, null))
        .devices(new DeviceCount(16, "test", R)).build();
    assertThat(ChinchillaAllocation.trainingTokens(perDevice)).isEqualTo(10_000.0 * 4 * 8 * 16 * 2048);

    // without a device count the global batch (and so the budget) is unknown
    Run unknownDevices = pretraining(7).schedule(steps).workload(new Workload(null, null, 2048, 4, 8, null, null)).build();
    assertThat(ChinchillaAllocation.trainingTokens(unknownDevices)).isNull();
    assertThat(ChinchillaAllocation.isUndertrained(unknownDevices, 5)).isFalse();
  }

  @Test
  void undertrainedOnlyInsideTheFittedRangeAndForDenseModels() {
    Workload twentyBillion = new Workload(null, null, 2048, 4, null, 20_000_000_000L, null);
    assertThat(ChinchillaAllocation.isUndertrained(pretraining(7).workload(twentyBillion).build(), 5)).isTrue();
    // 20B tokens for 3B parameters is 6.7 tokens per parameter: not below 5
    assertThat(ChinchillaAllocation.isUndertrained(pretraining(3).workload(twentyBillion).build(), 5)).isFalse();
    // a 30-step benchmark (0.25B tokens) is outside the 5-500B tokens the fit was made on
    Workload benchmark = new Workload(null, null, 8192, 1, null, 251_658_240L, null);
    assertThat(ChinchillaAllocation.isUndertrained(pretraining(7).workload(benchmark).build(), 5)).isFalse();
    // a mixture of experts (active 13B of 47B) is not a dense model
    Run moe = Run.builder("t.yaml", 0, "test", Stage.TRAINING, R)
        .model(new ModelChoice("mixtral", 12.9, 46.7, "test", R)).workload(twentyBillion).build();
    assertThat(ChinchillaAllocation.tokensPerParameter(moe)).isNull();
    assertThat(ChinchillaAllocation.isUndertrained(moe, 5)).isFalse();
    // no model size: nothing to compare
    Run unsized = Run.builder("t.yaml", 0, "test", Stage.TRAINING, R).workload(twentyBillion).build();
    assertThat(ChinchillaAllocation.isUndertrained(unsized, 5)).isFalse();
  }

  @Test
  void theChangeIsRoundedToThreeSignificantFigures() {
    Run run = pretraining(7).workload(new Workload(null, null, 2048, 4, null, 20_000_000_000L, null)).build();
    ProposedChange.TrainComputeOptimal change = ChinchillaAllocation.change(run);
    assertThat(change.billionParameters()).isEqualTo(1.29);
    assertThat(change.tokens()).isEqualTo(6.0e10);
    assertThat(change.title()).isEqualTo("Train a 1.29B model on 60B tokens (compute-optimal for the same loss)");
  }
}
