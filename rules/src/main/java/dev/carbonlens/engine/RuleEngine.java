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

/**
 * Runs the rules over a file's runs. The built-in rules are compiled to the Drools executable model
 * at build time (kie-maven-plugin), so start-up only instantiates generated classes; evaluations
 * reuse pooled sessions that already hold the reference facts.
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
   * Evaluates the rules over the runs of one file. The reference regions and accelerators are facts too,
   * so that rules can look for cleaner alternatives declaratively; they are inserted once per pooled
   * session rather than once per file (inserting them was most of an evaluation's cost).
   */
  public List<Finding> evaluate(List<Run> runs, ReferenceData reference) {
    if (runs.isEmpty()) {
      return List.of();
    }
    Session session = borrow(reference);
    boolean reusable = false;
    try {
      List<Finding> found = session.evaluate(runs);
      reusable = true;
      return found.stream()
          .sorted(Comparator.comparing((Finding f) -> f.range().startLine())
              .thenComparing(f -> f.range().startColumn())
              .thenComparing(Finding::ruleId))
          .toList();
    } finally {
      if (reusable && idle.size() < MAX_IDLE_SESSIONS) {
        idle.add(session);
      } else {
        session.dispose(); // a rule threw: the session's state is unknown, so it is not reused
      }
    }
  }

  /** Sessions kept for reuse: one per evaluation running at once, up to this many. */
  private static final int MAX_IDLE_SESSIONS = 8;

  private final java.util.concurrent.ConcurrentLinkedQueue<Session> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();

  private Session borrow(ReferenceData reference) {
    for (Session s = idle.poll(); s != null; s = idle.poll()) {
      if (s.reference == reference) {
        return s;
      }
      s.dispose();
    }
    return new Session(kieBase, reference);
  }

  /**
   * A stateful session holding the reference facts. Each evaluation inserts the runs, fires, and then
   * deletes every fact that is not a reference fact (runs, and anything a team rule inserted), so the
   * next evaluation starts from the same state a fresh session would.
   */
  private static final class Session {
    final ReferenceData reference;
    final org.kie.api.runtime.KieSession kie;
    final java.util.Set<org.kie.api.runtime.rule.FactHandle> referenceFacts =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    final FindingSink sink = new FindingSink();

    Session(KieBase kieBase, ReferenceData reference) {
      this.reference = reference;
      this.kie = kieBase.newKieSession();
      kie.setGlobal("findings", sink);
      for (Object fact : reference.allRegions()) {
        referenceFacts.add(kie.insert(fact));
      }
      for (Object fact : reference.allAccelerators()) {
        referenceFacts.add(kie.insert(fact));
      }
    }

    List<Finding> evaluate(List<Run> runs) {
      sink.drain(); // nothing of an evaluation that threw is carried over
      try {
        for (Run run : runs) {
          kie.insert(run);
        }
        kie.fireAllRules();
        return sink.drain();
      } finally {
        for (org.kie.api.runtime.rule.FactHandle handle : new ArrayList<>(kie.<org.kie.api.runtime.rule.FactHandle>getFactHandles())) {
          if (!referenceFacts.contains(handle)) {
            kie.delete(handle);
          }
        }
      }
    }

    void dispose() {
      kie.dispose();
    }
  }
}
