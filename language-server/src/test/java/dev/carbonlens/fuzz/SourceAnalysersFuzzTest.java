package dev.carbonlens.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carbonlens.code.SourceAnalyser;
import dev.carbonlens.code.java.JavaAnalyser;
import dev.carbonlens.code.python.PythonAnalyser;
import dev.carbonlens.extract.ExtractedRun;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Python (tree-sitter) and Java (JavaParser) analysers on any source text: they never throw, and
 * every problem and run range lies within the text. Python is analysed twice under one name, whole and
 * then with its middle third cut, so that tree-sitter's incremental re-parse of an edit is fuzzed too.
 */
class SourceAnalysersFuzzTest {
  /** Strict: a failure of a code reader throws here instead of quietly giving no run. */
  private static final SourceAnalyser PYTHON = new PythonAnalyser(true);
  private static final SourceAnalyser JAVA = new JavaAnalyser();
  /** A fresh file name per input: the analyser keeps recent trees by name, and an input must not depend on the last. */
  private static final AtomicLong FILES = new AtomicLong();

  @FuzzTest
  void analysePython(byte[] data) {
    String text = FuzzInputs.text(data);
    String file = "fuzz-" + FILES.incrementAndGet() + ".py";
    check(PYTHON, file, text);
    check(PYTHON, file, withoutMiddleThird(text));
  }

  @FuzzTest
  void analyseJava(byte[] data) {
    check(JAVA, "Fuzz.java", FuzzInputs.text(data));
  }

  private static void check(SourceAnalyser analyser, String file, String text) {
    SourceAnalyser.Result result = analyser.analyse(file, text, FuzzInputs.REFERENCE);
    TextBounds bounds = new TextBounds(text);
    bounds.checkProblems(result.problems(), file);
    for (ExtractedRun run : result.runs()) {
      bounds.checkAllRanges(run.run(), file + " run");
    }
  }

  /** An edit as an editor makes one: a span removed, never splitting a surrogate pair. */
  private static String withoutMiddleThird(String text) {
    int from = text.length() / 3;
    int to = 2 * text.length() / 3;
    if (from > 0 && Character.isHighSurrogate(text.charAt(from - 1))) {
      from--;
    }
    if (to > 0 && to < text.length() && Character.isLowSurrogate(text.charAt(to))) {
      to++;
    }
    return text.substring(0, from) + text.substring(to);
  }
}
