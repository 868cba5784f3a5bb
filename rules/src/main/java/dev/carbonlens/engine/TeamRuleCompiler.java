package dev.carbonlens.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;

/**
 * Compiles a team's DRL at run time into a {@link RuleEngine} evaluated beside the built-in catalog.
 * Team rules use the public fact model ({@code dev.carbonlens.model.*}, {@code RegionSpec},
 * {@code AcceleratorSpec}) and report through the {@code findings} global, as the built-in ones do.
 *
 * <p>A DRL consequence is Java: compiling and running a rule runs its author's code. Callers decide
 * whether a rule folder is trusted before anything reaches this class.
 */
public final class TeamRuleCompiler {
  /** Every compile gets its own release id, so a reloaded rule set never meets a cached old one. */
  private static final AtomicLong BUILDS = new AtomicLong();

  /** A compile error: the file as given, a 1-based line (0 when the compiler gave none), the message. */
  public record Problem(String file, int line, String message) {}

  public record Result(Optional<RuleEngine> engine, List<Problem> problems) {}

  private TeamRuleCompiler() {}

  /** @param drlByFile DRL text by file name (any unique names; problems name them back) */
  public static Result compile(Map<String, String> drlByFile) {
    if (drlByFile.isEmpty()) {
      return new Result(Optional.empty(), List.of());
    }
    KieServices services = KieServices.Factory.get();
    ReleaseId release = services.newReleaseId("dev.carbonlens.team", "team-rules", "1." + BUILDS.incrementAndGet());
    KieFileSystem files = services.newKieFileSystem();
    files.generateAndWritePomXML(release);
    Map<String, String> byPath = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, String> e : drlByFile.entrySet()) {
      String path = "src/main/resources/team/f" + (i++) + ".drl";
      byPath.put(path.substring("src/main/resources/".length()), e.getKey());
      files.write(path, e.getValue());
    }
    KieBuilder builder = services.newKieBuilder(files).buildAll();
    Set<Problem> problems = new LinkedHashSet<>();
    for (Message m : builder.getResults().getMessages(Message.Level.ERROR)) {
      String file = m.getPath() == null ? null : byPath.getOrDefault(m.getPath(), m.getPath());
      problems.add(new Problem(file, Math.max(m.getLine(), 0), concise(m.getText())));
    }
    if (!problems.isEmpty()) {
      services.getRepository().removeKieModule(release);
      return new Result(Optional.empty(), List.copyOf(problems));
    }
    KieContainer container = services.newKieContainer(release);
    try {
      return new Result(Optional.of(new RuleEngine(container.getKieBase())), List.of());
    } catch (IllegalStateException e) {
      // A rule without @id, @category or @severity: the message names it.
      return new Result(Optional.empty(), List.of(new Problem(null, 0, e.getMessage())));
    } finally {
      services.getRepository().removeKieModule(release); // the container keeps what it needs
    }
  }

  /** MVEL's messages span lines with a caret drawing; the first two lines say what is wrong. */
  static String concise(String text) {
    if (text == null) {
      return "DRL compile error";
    }
    List<String> kept = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("[Near") || t.equals("^") || t.startsWith("[Line:")) {
        continue;
      }
      kept.add(t);
    }
    return String.join(" ", kept);
  }
}
