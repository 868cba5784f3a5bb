package dev.carbonlens.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps kgCO2e onto a chart's horizontal axis, from 0 to a round maximum, with round ticks: readers
 * compare bars against gridlines, so the ticks must be numbers people read at a glance.
 */
record LinearScale(double max, double step, double x0, double width) {

  /** A scale whose domain covers {@code largest}, ending on a tick of 1, 2 or 5 × 10^k. */
  static LinearScale covering(double largest, double x0, double width) {
    if (!(largest > 0)) {
      return new LinearScale(1, 0.25, x0, width);
    }
    double rough = largest / 4;
    double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    double step = magnitude * 10;
    for (double m : new double[] {1, 2, 5}) {
      if (m * magnitude >= rough) {
        step = m * magnitude;
        break;
      }
    }
    return new LinearScale(Math.ceil(largest / step - 1e-9) * step, step, x0, width);
  }

  /** The x coordinate of a value; values below zero sit on the axis. */
  double x(double value) {
    return x0 + length(value);
  }

  /** The length of a bar for a value (never negative). */
  double length(double value) {
    return Math.max(0, value) / max * width;
  }

  List<Double> ticks() {
    List<Double> ticks = new ArrayList<>();
    for (int i = 0; i * step <= max + step * 1e-9; i++) {
      ticks.add(i * step);
    }
    return ticks;
  }
}
