package dev.carbonlens.code;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The code analysers, one per language; filled as languages are added. */
public final class SourceAnalysers {
  private final List<SourceAnalyser> analysers;

  public SourceAnalysers(List<SourceAnalyser> analysers) {
    this.analysers = List.copyOf(analysers);
  }

  public static SourceAnalysers builtIn() {
    List<SourceAnalyser> all = new ArrayList<>();
    all.add(new dev.carbonlens.code.python.PythonAnalyser());
    all.add(new dev.carbonlens.code.java.JavaAnalyser());
    return new SourceAnalysers(all);
  }

  public Optional<SourceAnalyser> forFile(String fileName) {
    return analysers.stream().filter(a -> a.handles(fileName)).findFirst();
  }
}
