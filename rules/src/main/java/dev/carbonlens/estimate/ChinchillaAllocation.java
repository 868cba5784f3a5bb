package dev.carbonlens.estimate;

import dev.carbonlens.engine.ProposedChange;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Schedule;
import dev.carbonlens.model.Workload;

/**
 * The compute-optimal split of a pre-training budget between parameters and tokens, from the
 * parametric loss fit of Hoffmann et al. 2022 ("Training Compute-Optimal Large Language Models",
 * sec. 3.3, approach 3):
 *
 * <pre>
 *   L(N, D) = E + A / N^alpha + B / D^beta,   E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28
 * </pre>
 *
 * <p>For the loss a run as written reaches, {@link #sameLoss} gives the (N', D') that reaches it with
 * the least training compute 6·N'·D'. With a = A/N'^alpha and b = B/D'^beta, minimising N'·D' on the
 * curve a + b = L − E gives alpha·a = beta·b (Lagrange), so
 *
 * <pre>
 *   a = beta / (alpha + beta) · (L − E),   b = alpha / (alpha + beta) · (L − E)
 *   N' = (A / a)^(1/alpha),                D' = (B / b)^(1/beta)
 * </pre>
 *
 * <p>Rules read a run's token budget here too, so that a finding and its price agree on D.
 */
public final class ChinchillaAllocation {
  public static final double E = 1.69;
  public static final double A = 406.4;
  public static final double B = 410.7;
  public static final double ALPHA = 0.34;
  public static final double BETA = 0.28;
  /** The fit's data: models from 70 M parameters, trained on 5 to 500 B tokens (Hoffmann et al. 2022, sec. 3). */
  public static final double MIN_FITTED_BILLION_PARAMETERS = 0.07;
  public static final double MIN_FITTED_TOKENS = 5e9;

  private ChinchillaAllocation() {}

  /** A model size (billions of parameters) and a token count. */
  public record Allocation(double billionParameters, double tokens) {
    public double trainingFlops() {
      return 6 * billionParameters * 1e9 * tokens;
    }

    public double tokensPerParameter() {
      return tokens / (billionParameters * 1e9);
    }
  }

  /** The fitted loss of a model of {@code billionParameters} trained on {@code tokens}. */
  public static double loss(double billionParameters, double tokens) {
    return E + A / Math.pow(billionParameters * 1e9, ALPHA) + B / Math.pow(tokens, BETA);
  }

  /** The allocation that reaches the same fitted loss with the least compute 6·N·D. */
  public static Allocation sameLoss(double billionParameters, double tokens) {
    if (!(billionParameters > 0) || !(tokens > 0)) {
      throw new IllegalArgumentException("parameters and tokens must be positive");
    }
    double reducible = loss(billionParameters, tokens) - E;
    double a = BETA / (ALPHA + BETA) * reducible;
    double b = ALPHA / (ALPHA + BETA) * reducible;
    double parameters = Math.pow(A / a, 1 / ALPHA);
    double optimalTokens = Math.pow(B / b, 1 / BETA);
    return new Allocation(parameters / 1e9, optimalTokens);
  }

  /**
   * The tokens a run trains on: its stated budget, else max steps × global batch × sequence length
   * with the global batch stated or per-device batch × accumulation × a stated device count. Null
   * when any of these is unknown (an unknown device count would make the budget a guess).
   */
  public static Double trainingTokens(Run run) {
    Workload w = run.workload();
    if (w.trainTokens() != null && w.trainTokens() > 0) {
      return (double) w.trainTokens();
    }
    Schedule s = run.schedule();
    if (s == null || !s.hasStepLimit() || w.sequenceLength() == null || w.sequenceLength() <= 0) {
      return null;
    }
    Long globalBatch = null;
    if (w.globalBatch() != null && w.globalBatch() > 0) {
      globalBatch = (long) w.globalBatch();
    } else if (w.perDeviceBatch() != null && w.perDeviceBatch() > 0 && run.devices() != null) {
      long accumulation = w.gradientAccumulation() == null || w.gradientAccumulation() < 1 ? 1 : w.gradientAccumulation();
      globalBatch = w.perDeviceBatch() * accumulation * run.deviceCount();
    }
    return globalBatch == null ? null : (double) s.maxSteps() * globalBatch * w.sequenceLength();
  }

  /** Tokens per parameter of a dense model of known size with a known token budget; null otherwise. */
  public static Double tokensPerParameter(Run run) {
    ModelChoice m = run.model();
    Double tokens = trainingTokens(run);
    if (m == null || m.billionParameters() == null || m.billionParameters() <= 0 || tokens == null) {
      return null;
    }
    if (m.totalBillionParameters() != null && !m.totalBillionParameters().equals(m.billionParameters())) {
      return null; // a mixture of experts: the dense fit does not describe it
    }
    return tokens / (m.billionParameters() * 1e9);
  }

  /**
   * True when a dense run inside the fit's range (at least 70 M parameters and 5 B tokens) trains on
   * fewer than {@code maxTokensPerParameter} tokens per parameter.
   */
  public static boolean isUndertrained(Run run, double maxTokensPerParameter) {
    Double ratio = tokensPerParameter(run);
    if (ratio == null || ratio >= maxTokensPerParameter) {
      return false;
    }
    return run.model().billionParameters() >= MIN_FITTED_BILLION_PARAMETERS && trainingTokens(run) >= MIN_FITTED_TOKENS;
  }

  /** The proposed change for a run {@link #isUndertrained}: same fitted loss, least compute. */
  public static ProposedChange.TrainComputeOptimal change(Run run) {
    Allocation optimal = sameLoss(run.model().billionParameters(), trainingTokens(run));
    return new ProposedChange.TrainComputeOptimal(round(optimal.billionParameters()), round(optimal.tokens()));
  }

  /** Three significant figures: a proposal, not a measurement. */
  static double round(double value) {
    if (value == 0) {
      return 0;
    }
    double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(value))));
    return Math.round(value * scale) / scale;
  }
}
