package dev.carbonlens.extract;

import dev.carbonlens.document.MappingNode;
import java.util.List;

/**
 * Kubernetes workload manifests: batch Job and CronJob (its `schedule` becomes a recurrence), Kubeflow
 * training jobs (PyTorchJob, TFJob, MPIJob, ... with Master/Worker replica specs), Deployment and
 * StatefulSet (serving), KServe InferenceService and Knative Service (serving), LeaderWorkerSet and Ray
 * jobs. One run per workload document. Accelerators are
 * the containers' `nvidia.com/gpu` (`amd.com/gpu`, `google.com/tpu`) requests times the pod copies; their
 * type and place come from node labels; container `command`/`args` flags (`--num_train_epochs 30
 * --fp16`) and env vars (`MODEL_NAME`, `EPOCHS`) are read as training arguments. Workloads whose
 * containers run an LLM serving engine (vLLM, TGI, ...) are the `serving` format's, not this one's; a
 * bare Pod is not read as a run.
 */
public final class KubernetesExtractor implements ConfigExtractor {

  @Override
  public String format() {
    return "kubernetes";
  }

  @Override
  public boolean recognises(String fileName, MappingNode root) {
    return KubernetesWorkloads.isWorkload(root) && !KubernetesWorkloads.runsServingEngine(root);
  }

  /** Node label keys whose value names a region or zone, as this format reads them (shared with completion). */
  public static List<String> regionLabels() {
    return KubernetesWorkloads.REGION_LABELS;
  }

  /** Node label keys whose value names an accelerator. */
  public static List<String> acceleratorLabels() {
    return KubernetesWorkloads.ACCELERATOR_LABELS;
  }

  /** Node label keys whose value names a cloud instance type. */
  public static List<String> instanceLabels() {
    return KubernetesWorkloads.INSTANCE_LABELS;
  }

  /** The cloud a node label's family belongs to (`gcp` for GKE, `aws` for EKS/Karpenter, `azure` for AKS), or null. */
  public static String providerOfLabel(String labelKey) {
    return KubernetesWorkloads.providerOf(labelKey);
  }

  @Override
  public List<ExtractedRun> extract(ExtractionContext context, MappingNode root, int documentIndex) {
    return List.of(KubernetesWorkloads.read(context, root, documentIndex, format()));
  }
}
