package dev.carbonlens.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.carbonlens.model.AcceleratorChoice;
import dev.carbonlens.model.DeviceCount;
import dev.carbonlens.model.FineTuning;
import dev.carbonlens.model.ModelChoice;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import org.junit.jupiter.api.Test;

class TrainingMemoryTest {
  private static final ReferenceData REF = ReferenceData.builtIn();
  private static final SourceRange AT = SourceRange.of(0, 0, 0, 1);

  private static Run.Builder run(double billions) {
    return Run.builder("f.yaml", 0, "test", Stage.FINE_TUNING, AT)
        .model(new ModelChoice("m", billions, billions, "test", AT));
  }

  @Test
  void sixteenBytesPerParameterForFullTrainingAndTwoForAdapters() {
    assertThat(TrainingMemory.statesGb(run(7).build())).isCloseTo(112, within(1e-9));
    assertThat(TrainingMemory.statesGb(run(7).fineTuning(new FineTuning("full", null, AT)).build()))
        .isCloseTo(112, within(1e-9));
    assertThat(TrainingMemory.statesGb(run(7).fineTuning(new FineTuning("lora", 16, AT)).build()))
        .isCloseTo(14, within(1e-9));
    // Training only some layers still keeps optimizer states for them: counted as full.
    assertThat(TrainingMemory.statesGb(run(7).fineTuning(new FineTuning("freeze", null, AT)).build()))
        .isCloseTo(112, within(1e-9));
    assertThat(TrainingMemory.statesGb(Run.builder("f", 0, "t", Stage.TRAINING, AT).build())).isNull();
  }

  @Test
  void mixturesCountEveryExpertAndShardingDividesByDevices() {
    Run moe = Run.builder("f", 0, "t", Stage.TRAINING, AT)
        .model(new ModelChoice("mixtral", 12.9, 46.7, "test", AT))
        .devices(new DeviceCount(8, "test", AT)).build();
    assertThat(TrainingMemory.parametersB(moe)).isEqualTo(46.7);
    assertThat(TrainingMemory.shardedStatesGb(moe)).isCloseTo(46.7 * 16 / 8, within(1e-9));
  }

  @Test
  void memoryIsTheNamedAcceleratorsElseTheFloor() {
    AcceleratorSpec t4 = REF.accelerator("T4").orElseThrow();
    AcceleratorSpec h100 = REF.accelerator("H100").orElseThrow();
    assertThat(TrainingMemory.memoryGb(run(1).build(), t4)).isEqualTo(16);
    assertThat(TrainingMemory.memoryGb(run(1).accelerator(new AcceleratorChoice(h100, "H100", AT)).build(), t4))
        .isEqualTo(80);
  }
}
