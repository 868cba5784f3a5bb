package dev.carbonlens.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carbonlens.model.SourceRange;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AnalysisLimitsTest {

  @Test
  void theSizeLimitCountsUtf8BytesAndIsInclusive() {
    AnalysisLimits limits = AnalysisLimits.EDITOR.withMaxFileBytes(100);
    assertThat(limits.sizeNotice("a".repeat(100))).isEmpty();
    assertThat(limits.sizeNotice("a".repeat(101))).isPresent();
    // 50 characters of 2 bytes each: 100 bytes, within; one more character: 102 bytes, over
    assertThat(limits.sizeNotice("é".repeat(50))).isEmpty();
    assertThat(limits.sizeNotice("é".repeat(51))).isPresent();
    // a surrogate pair is 4 bytes, a lone surrogate 3 (as U+FFFD)
    assertThat(AnalysisLimits.utf8Length("😀".repeat(30), 0)).isEqualTo(120);
    assertThat(AnalysisLimits.utf8Length("\uD83D".repeat(30), 0)).isEqualTo(90);
    assertThat(AnalysisLimits.utf8Length("€".repeat(30), 0)).isEqualTo(90);
  }

  @Test
  void aFileOverTheSizeLimitGetsOneNoticeOnItsFirstLineSayingBothSizesAndTheSetting() {
    String text = "name: x\n" + "#".repeat(3 * 1024 * 1024);
    LimitNotice notice = AnalysisLimits.EDITOR.sizeNotice(text).orElseThrow();
    assertThat(notice.limit()).isEqualTo(LimitNotice.FILE_SIZE);
    assertThat(notice.range()).isEqualTo(new SourceRange(0, 0, 0, 7));
    assertThat(notice.message()).isEqualTo("Not analysed: the file is 3.0 MB, over the 2.0 MB limit on the files"
        + " CarbonLens analyses (setting limits.maxFileSizeKB, or --max-file-size for check).");
    assertThat(AnalysisLimits.size(640 * 1024)).isEqualTo("640 KB");
    assertThat(AnalysisLimits.size(999)).isEqualTo("999 bytes");
  }

  @Test
  void aFileAlreadyKnownToBeTooLargeNeedNotBeRead() {
    assertThat(AnalysisLimits.CHECK.sizeNotice(5L * 1024 * 1024, SourceRange.NONE).orElseThrow().message())
        .startsWith("Not analysed: the file is 5.0 MB, over the 2.0 MB limit");
    assertThat(AnalysisLimits.CHECK.sizeNotice(AnalysisLimits.DEFAULT_MAX_FILE_BYTES, SourceRange.NONE)).isEmpty();
  }

  @Test
  void aSpentBudgetThrowsWhyAndACancelledOneSaysCancelledFirst() {
    Budget spent = Budget.startingNow(Duration.ofNanos(1), () -> false);
    busyWaitPast(spent);
    assertThat(spent.spent()).isTrue();
    assertThatThrownBy(spent::check).isInstanceOf(BudgetExceededException.class)
        .hasMessage("the analysis took longer than its 0 ms budget");
    AtomicBoolean cancelled = new AtomicBoolean();
    Budget editing = Budget.startingNow(Duration.ofNanos(1), cancelled::get);
    busyWaitPast(editing);
    cancelled.set(true);
    assertThatThrownBy(editing::check).isInstanceOf(CancellationException.class);
    Budget none = Budget.startingNow(null, () -> false);
    none.check();
    assertThat(none.spent()).isFalse();
  }

  @Test
  void theBudgetIsScopedToTheWorkRunWithinIt() {
    Budget budget = Budget.startingNow(Duration.ofSeconds(5), () -> false);
    assertThat(Budget.current()).isSameAs(Budget.UNLIMITED);
    assertThat(budget.within(Budget::current)).isSameAs(budget);
    assertThat(Budget.current()).isSameAs(Budget.UNLIMITED);
  }

  @Test
  void stopSignalsPassThroughCatchAllsEvenWhenALibraryWrapsThem() {
    BudgetExceededException over = new BudgetExceededException(Duration.ofMillis(5));
    RuntimeException wrapped = new RuntimeException("parser failed", new IllegalStateException(over));
    assertThatThrownBy(() -> Budget.rethrowIfStop(wrapped)).isSameAs(over);
    CancellationException cancelled = new CancellationException("newer version");
    assertThatThrownBy(() -> Budget.rethrowIfStop(new RuntimeException(cancelled))).isSameAs(cancelled);
    Budget.rethrowIfStop(new IllegalArgumentException("an ordinary failure")); // returns: not a stop
  }

  @Test
  void theReaderChecksTheBudgetAtEachRead() throws Exception {
    AtomicBoolean cancelled = new AtomicBoolean();
    BudgetedReader reader = new BudgetedReader("abcdef", Budget.startingNow(null, cancelled::get));
    char[] buffer = new char[4];
    assertThat(reader.read(buffer, 0, 4)).isEqualTo(4);
    assertThat(new String(buffer)).isEqualTo("abcd");
    cancelled.set(true);
    assertThatThrownBy(() -> reader.read(buffer, 0, 4)).isInstanceOf(CancellationException.class);
  }

  @Test
  void limitsRefuseNonsense() {
    assertThatThrownBy(() -> AnalysisLimits.EDITOR.withMaxFileBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnalysisLimits.EDITOR.withTimeBudget(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void busyWaitPast(Budget budget) {
    long until = System.nanoTime() + 1_000_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }
}
