package dev.carbonlens.estimate;

/** How a run's duration was arrived at. */
public enum HoursBasis {
  /** The config states a time limit. */
  STATED,
  /** 6·N·D FLOPs (plus evaluation) over the devices' effective throughput. */
  COMPUTED,
  /** Nothing to go on: the default run length. */
  DEFAULT
}
