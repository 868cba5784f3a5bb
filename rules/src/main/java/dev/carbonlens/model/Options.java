package dev.carbonlens.model;

/** The names of the {@link Option}s extractors fill and rules read. */
public final class Options {
  private Options() {}

  /** TF32 tensor-core maths for fp32 matmuls: `true` / `false` (`tf32`, `allow_tf32`). */
  public static final String TF32 = "tf32";
  /** Activation recomputation: `true` / `false` (`gradient_checkpointing`, `activation_checkpointing`). */
  public static final String GRADIENT_CHECKPOINTING = "gradient_checkpointing";
  /** Where optimizer states live under DeepSpeed ZeRO / FSDP: `cpu`, `nvme` or `none`. */
  public static final String OPTIMIZER_OFFLOAD = "optimizer_offload";
  /** Data-loader worker processes: a count (`dataloader_num_workers`, `num_workers`). */
  public static final String DATALOADER_WORKERS = "dataloader_workers";
  /** A profiler enabled for the run: its kind (`pytorch`, `simple`, `advanced`, `torch.profiler`). */
  public static final String PROFILER = "profiler";
  /** Pushing to the Hugging Face Hub: `true` / `false`. */
  public static final String PUSH_TO_HUB = "push_to_hub";
  /** When to push: `every_save` (the default), `checkpoint`, `all_checkpoints`, `end`. */
  public static final String HUB_STRATEGY = "hub_strategy";
  /** Evidence of a classification task: the label count (`num_labels`) or the head / dataset named. */
  public static final String CLASSIFICATION = "classification";
  /** The best checkpoint is tracked (`load_best_model_at_end: true`): evaluations pick a best model. */
  public static final String TRACKS_BEST_MODEL = "tracks_best_model";
  /** A sweep's cap on runs (W&B `run_cap`): a count. */
  public static final String RUN_CAP = "run_cap";
  /** A sweep searches the epoch count: the parameter's name. */
  public static final String SEARCHES_EPOCHS = "searches_epochs";
  /** Serving: tensor-parallel degree (`tensor_parallel_size`, `--num-shard`): a count. */
  public static final String TENSOR_PARALLEL = "tensor_parallel";
  /** Serving: fewest replicas kept running (`minReplicas`, `min_replicas`, `minScale`): a count. */
  public static final String MIN_REPLICAS = "min_replicas";
  /** Serving: the longest generation a request may ask for (`max_model_len`, `--max-total-tokens`): tokens. */
  public static final String MAX_GENERATION = "max_generation";
  /** Serving: vLLM `enforce_eager` (CUDA graphs off): `true` / `false`. */
  public static final String ENFORCE_EAGER = "enforce_eager";
  /** Serving: pipeline-parallel stages (`pipeline_parallel_size`, `-pp`): a count. */
  public static final String PIPELINE_PARALLEL = "pipeline_parallel";
  /** Serving: the most sequences batched at once (`max_num_seqs`, `--max-concurrent-requests`): a count. */
  public static final String MAX_BATCH = "max_batch";
  /** A Kubernetes CronJob's `concurrencyPolicy`: `Allow` (the default), `Forbid` or `Replace`. */
  public static final String CONCURRENCY_POLICY = "concurrency_policy";
  /** When a recurring job starts; only ever proposed (`carbon-aware`), never read. */
  public static final String START_TIME = "start_time";
}
