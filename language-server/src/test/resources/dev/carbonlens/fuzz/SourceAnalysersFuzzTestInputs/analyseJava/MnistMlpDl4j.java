package org.example.mnist;

import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Two-layer MLP on MNIST, trained in double precision for a fixed 300 epochs with no early stopping
 * (CarbonLens sample: carbon-heavy on purpose).
 */
public class MnistMlpDl4j {
  private static final int NUM_ROWS = 28;
  private static final int NUM_COLUMNS = 28;
  private static final int OUTPUT_NUM = 10;
  private static final int BATCH_SIZE = 128;
  private static final int RNG_SEED = 123;
  private static final int NUM_EPOCHS = 300;

  public static void main(String[] args) throws Exception {
    DataSetIterator mnistTrain = new MnistDataSetIterator(BATCH_SIZE, true, RNG_SEED);
    DataSetIterator mnistTest = new MnistDataSetIterator(BATCH_SIZE, false, RNG_SEED);

    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(RNG_SEED)
        .dataType(DataType.DOUBLE)
        .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
        .updater(new Nesterovs(0.006, 0.9))
        .l2(1e-4)
        .list()
        .layer(new DenseLayer.Builder()
            .nIn(NUM_ROWS * NUM_COLUMNS)
            .nOut(1000)
            .activation(Activation.RELU)
            .weightInit(WeightInit.XAVIER)
            .build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
            .nIn(1000)
            .nOut(OUTPUT_NUM)
            .activation(Activation.SOFTMAX)
            .weightInit(WeightInit.XAVIER)
            .build())
        .build();

    MultiLayerNetwork model = new MultiLayerNetwork(conf);
    model.init();
    model.setListeners(new ScoreIterationListener(100));

    for (int epoch = 0; epoch < NUM_EPOCHS; epoch++) {
      model.fit(mnistTrain);
      mnistTrain.reset();
    }

    Evaluation eval = model.evaluate(mnistTest);
    System.out.println(eval.stats());
  }
}
