/**
 * Which documents CarbonLens analyses, decided by CONTENT, so that the extension starts its Java server
 * only when the user opens a training or serving config or script, a team rule file or a project config,
 * and never for every YAML or JSON file in a workspace.
 *
 * Pure module (no `vscode` import): unit-tested on the project's samples, the shared corpus and ordinary
 * files (a GitHub workflow, a docker-compose file, a package.json, a plain Python script).
 */

/** What is read of a document: configs put their telling keys near the top, and huge files stay cheap. */
export const SCAN_LIMIT = 256 * 1024;

/**
 * Keys, values and calls that only training or serving configs and scripts use. Each is a regular
 * expression over the document's text; one match is enough.
 */
export const TRAINING_PATTERNS: readonly RegExp[] = [
  // Hugging Face TrainingArguments, TRL, alignment-handbook, LLaMA-Factory, axolotl, torchtune
  /\bper_device_(?:train|eval)_batch_size\b/,
  /\bnum_train_epochs\b/,
  /\bgradient_accumulation_steps\b/,
  /\b(?:Seq2Seq)?TrainingArguments\s*\(/,
  /\b(?:SFT|DPO|ORPO|GRPO|PPO|KTO)(?:Config|Trainer)\s*\(/,
  /\bTrainer\s*\(/,
  /\bmodel_name_or_path\b/,
  /^\s*base_model\s*:/m,
  /^\s*["']?(?:micro_batch_size|global_batch_size|train_batch_size|batch_size_per_device)["']?\s*:/m,
  /^\s*["']?(?:max_epochs|max_steps|num_epochs|epochs)["']?\s*:/m,
  /^\s*["']?(?:gpu_count|gpus_per_node|num_gpus|n_gpus|gpu_type|gpus_per_task)["']?\s*:/m,
  /^\s*_component_\s*:\s*torchtune\./m,
  /^\s*finetuning_type\s*:/m,
  // PyTorch / Lightning scripts
  /\bloss\.backward\s*\(/,
  /\boptimi[sz]er\.step\s*\(/,
  /\bfrom_pretrained\s*\(/,
  /\b(?:import|from)\s+(?:lightning|pytorch_lightning|deepspeed|accelerate)\b/,
  /\btorch\.distributed\b/,
  // Lightning / Hydra / NeMo configs
  /^trainer\s*:/m,
  /^\s*_target_\s*:\s*\S*(?:Trainer|lightning|pytorch_lightning)\b/m,
  /^\s*(?:-\s*)?(?:override\s+)?\/?hydra\/sweeper\s*:/m,
  /^lightning\s*:/m,
  // DeepSpeed and Accelerate
  /["']?zero_optimization["']?\s*:/,
  /["']?train_micro_batch_size_per_gpu["']?\s*:/,
  /^\s*distributed_type\s*:/m,
  /^\s*(?:deepspeed_config|fsdp_config)\s*:/m,
  // SkyPilot, Kubernetes, Kubeflow, GKE
  /^\s*accelerators\s*:/m,
  /\bnvidia\.com\/gpu\b/,
  /\bgoogle\.com\/tpu\b/,
  /\bcloud\.google\.com\/gke-(?:accelerator|tpu-accelerator)\b/,
  /^\s*kind\s*:\s*["']?(?:PyTorchJob|TFJob|MPIJob|XGBoostJob|PaddleJob|JAXJob|TrainJob)\b/m,
  // Serving (vLLM, TGI, production-stack)
  /\btensor[_-]parallel[_-]size\b/,
  /\bvllm\b/i,
  /\btext-generation-inference\b/,
  /^\s*servingEngineSpec\s*:/m,
  // Cloud training jobs: SageMaker, Vertex AI / AI Platform, Azure ML
  /\b(?:instance_type|InstanceType|instanceType)["']?\s*[:=]\s*["']?ml\./,
  /["']?(?:ResourceConfig|AlgorithmSpecification|StoppingCondition)["']?\s*:/,
  /^\s*trainingInput\s*:/m,
  /["']?(?:workerPoolSpecs|worker_pool_specs|acceleratorType|accelerator_type)["']?\s*:/,
  /\bhttps?:\/\/azureml\S*\.schema\.json\b/,
  /^\s*compute\s*:\s*["']?azureml:/m,
  // Sweeps (W&B, Optuna): a search method together with its parameters
  /^\s*method\s*:\s*["']?(?:grid|bayes|random)\b[\s\S]*^\s*parameters\s*:|^\s*parameters\s*:[\s\S]*^\s*method\s*:\s*["']?(?:grid|bayes|random)\b/m,
  // CarbonLens team policies as data (a policy YAML in a rule folder)
  /^policies\s*:[\s\S]*\b(?:maxGridIntensity|allowedRegions|deniedRegions|deniedAccelerators|requirePrecision|requireEarlyStopping|maxSweepSize|maxDevices|maxKgCO2ePerRun)\s*:/m,
  // Java: Deep Java Library and Deeplearning4j
  /^\s*import\s+(?:ai\.djl|org\.deeplearning4j|org\.nd4j)\./m,
];

/** A `.carbonlens.yaml` project config, or a team rule/policy file under `.carbonlens/rules/`. */
export function isCarbonLensFile(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (/\.drl$/i.test(base)) {
    return true;
  }
  if (base === '.carbonlens.yaml' || base === '.carbonlens.yml') {
    return true;
  }
  return /(?:^|\/)\.carbonlens\/rules\/.*\.ya?ml$/i.test(p);
}

/** Whether the text is a training or serving config or script. */
export function matchesTrainingContent(text: string): boolean {
  const head = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
  return TRAINING_PATTERNS.some((re) => re.test(head));
}

/**
 * Whether CarbonLens analyses this document: a `.drl` file, a project config or team rule file, or a
 * training/serving config or script recognised by its content.
 */
export function isCarbonLensDocument(path: string, languageId: string, text: string): boolean {
  return languageId === 'drl' || isCarbonLensFile(path) || matchesTrainingContent(text);
}
