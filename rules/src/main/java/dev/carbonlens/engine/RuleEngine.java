package dev.carbonlens.engine;

import dev.carbonlens.model.Run;
import dev.carbonlens.reference.ReferenceData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.drools.model.Model;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBase;
import org.kie.api.runtime.StatelessKieSession;

/**
 * Runs the rules over a file's runs. The built-in rules are compiled to the Drools executable model
 * at build time (kie-maven-plugin), so start-up only instantiates generated classes; each
 * evaluation uses a fresh stateless session.
 */
public final class RuleEngine {
  /** Written by kie-maven-plugin: the generated model classes of this module. */
  private static final String MODEL_INDEX = "META-INF/kie/dev.carbonlens/carbonlens-rules/drools-model";

  private final KieBase kieBase;
  private final List<RuleInfo> rules;

  public RuleEngine(KieBase kieBase) {
    this.kieBase = kieBase;
    this.rules = kieBase.getKiePackages().stream()
        .flatMap(p -> p.getRules().stream())
        .map(r -> RuleInfo.of(r.getName(), r.getMetaData()))
        .sorted(Comparator.comparing(RuleInfo::id))
        .toList();
  }

  private static final class BuiltIn {
    static final RuleEngine INSTANCE = new RuleEngine(loadPrecompiled(RuleEngine.class.getClassLoader()));
  }

  /** The built-in catalog, loaded once. */
  public static RuleEngine builtIn() {
    return BuiltIn.INSTANCE;
  }

  static KieBase loadPrecompiled(ClassLoader loader) {
    List<Model> models = new ArrayList<>();
    try (InputStream in = loader.getResourceAsStream(MODEL_INDEX)) {
      if (in == null) {
        throw new IllegalStateException("precompiled rules missing from the classpath: " + MODEL_INDEX);
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
        String name = line.trim();
        if (name.isEmpty() || name.startsWith("Drools-Model-Version")) {
          continue;
        }
        models.add((Model) Class.forName(name, true, loader).getDeclaredConstructor().newInstance());
      }
    } catch (IOException | ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the precompiled rules", e);
    }
    return KieBaseBuilder.createKieBaseFromModel(models);
  }

  public List<RuleInfo> rules() {
    return rules;
  }

  /**
   * Evaluates the rules over the runs of one file. The reference regions go in as facts so that
   * region rules can look for cleaner alternatives declaratively.
   */
  public List<Finding> evaluate(List<Run> runs, ReferenceData reference) {
    if (runs.isEmpty()) {
      return List.of();
    }
    FindingSink sink = new FindingSink();
    StatelessKieSession session = kieBase.newStatelessKieSession();
    session.setGlobal("findings", sink);
    List<Object> facts = new ArrayList<>(runs);
    facts.addAll(reference.allRegions());
    facts.addAll(reference.allAccelerators());
    session.execute(facts);
    return sink.findings().stream()
        .sorted(Comparator.comparing((Finding f) -> f.range().startLine())
            .thenComparing(f -> f.range().startColumn())
            .thenComparing(Finding::ruleId))
        .toList();
  }
}
