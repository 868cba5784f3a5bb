package dev.carbonlens.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.testing.Cli;
import org.junit.jupiter.api.Test;

/** Files analysed on several threads give the very report one thread gives, in the same order. */
class ParallelCheckTest {

  @Test
  void fourThreadsAndOneGiveTheSameJsonReportForTheSamplesAndTheCorpus() {
    java.nio.file.Path corpus = dev.carbonlens.testing.SharedFolders.corpus();
    java.util.List<String> paths = corpus == null ? java.util.List.of("../samples")
        : java.util.List.of("../samples", corpus.toString());
    for (String path : paths) {
      Cli.Outcome one = Cli.run("check", "--format", "json", "--jobs", "1", path);
      Cli.Outcome four = Cli.run("check", "--format", "json", "--jobs", "4", path);
      assertThat(four.exitCode()).isEqualTo(one.exitCode());
      assertThat(four.stdout()).as(path).isEqualTo(one.stdout());
      assertThat(one.stdout()).contains("\"findings\"");
    }
  }

  @Test
  void zeroJobsIsAUsageError() {
    Cli.Outcome outcome = Cli.run("check", "--jobs", "0", "../samples");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("--jobs: must be 1 or more");
  }
}
