package org.example.mnist;

import ai.djl.Model;
import ai.djl.basicdataset.cv.classification.Mnist;
import ai.djl.engine.Engine;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.EarlyStoppingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import java.time.Duration;

/**
 * MLP on MNIST in fp16 on one GPU, stopping as soon as the validation loss stops improving
 * (CarbonLens sample: a clean program).
 */
public final class MnistMlpDjl {
  private static final int BATCH_SIZE = 64;
  private static final int EPOCHS = 8;

  public static void main(String[] args) throws Exception {
    SequentialBlock block = new SequentialBlock()
        .add(Blocks.batchFlattenBlock(28 * 28))
        .add(Linear.builder().setUnits(128).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(10).build());

    try (Model model = Model.newInstance("mlp")) {
      model.setBlock(block);
      model.setDataType(DataType.FLOAT16);

      RandomAccessDataset trainSet = Mnist.builder()
          .optUsage(Dataset.Usage.TRAIN)
          .setSampling(BATCH_SIZE, true)
          .build();
      RandomAccessDataset validateSet = Mnist.builder()
          .optUsage(Dataset.Usage.TEST)
          .setSampling(BATCH_SIZE, false)
          .build();

      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .addEvaluator(new Accuracy())
          .optDevices(Engine.getInstance().getDevices(1))
          .addTrainingListeners(TrainingListener.Defaults.logging())
          .addTrainingListeners(EarlyStoppingListener.builder()
              .optEpochPatience(2)
              .optEarlyStopPctImprovement(0.5)
              .optMaxDuration(Duration.ofMinutes(30))
              .optMinEpochs(2)
              .build());

      try (Trainer trainer = model.newTrainer(config)) {
        trainer.setMetrics(new Metrics());
        trainer.initialize(new Shape(1, 28 * 28));
        try {
          EasyTrain.fit(trainer, EPOCHS, trainSet, validateSet);
        } catch (EarlyStoppingListener.EarlyStoppedException e) {
          System.out.println("stopped early at epoch " + e.getStopEpoch());
        }
      }
    }
  }
}
