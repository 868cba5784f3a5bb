package dev.carbonlens.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carbonlens.engine.RuleDocs;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.model.Category;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The catalog as a whole: enough rules, every category, and every rule documented. (Fixtures: RuleFixturesTest.) */
class RuleCatalogTest {
  private static final List<RuleInfo> RULES = RuleEngine.builtIn().rules();
  /** Each id's prefix names its category, so an id alone tells a reader where it belongs. */
  private static final Map<String, Category> PREFIXES = Map.ofEntries(
      Map.entry("REG", Category.REGION), Map.entry("HW", Category.HARDWARE), Map.entry("MS", Category.MODEL_SIZE),
      Map.entry("FT", Category.FINE_TUNING), Map.entry("PREC", Category.PRECISION),
      Map.entry("ES", Category.EARLY_STOPPING), Map.entry("CKPT", Category.CHECKPOINTING),
      Map.entry("HPO", Category.HYPERPARAMETER_SEARCH), Map.entry("UTIL", Category.UTILIZATION),
      Map.entry("INF", Category.INFERENCE), Map.entry("SCHED", Category.SCHEDULING));

  @Test
  void atLeastFortyRulesCoverEveryCategoryButPolicyAndParse() {
    assertThat(RULES).hasSizeGreaterThanOrEqualTo(40);
    Set<Category> covered = RULES.stream().map(RuleInfo::category).collect(Collectors.toCollection(
        () -> EnumSet.noneOf(Category.class)));
    Set<Category> expected = EnumSet.complementOf(EnumSet.of(Category.POLICY, Category.PARSE));
    assertThat(covered).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void idsAreUniqueStableAndNameTheirCategory() {
    assertThat(RULES.stream().map(RuleInfo::id)).doesNotHaveDuplicates();
    for (RuleInfo rule : RULES) {
      assertThat(rule.id()).as("id of '%s'", rule.name()).matches("CL-[A-Z]+-\\d{3}");
      String prefix = rule.id().split("-")[1];
      assertThat(PREFIXES).as("known prefix of %s", rule.id()).containsKey(prefix);
      assertThat(rule.category()).as("%s category", rule.id()).isEqualTo(PREFIXES.get(prefix));
    }
  }

  @Test
  void everyRuleHasAPageWithEverySectionInOrder() {
    List<String> problems = new ArrayList<>();
    for (RuleInfo rule : RULES) {
      var page = RuleDocs.markdown(rule.id());
      if (page.isEmpty()) {
        problems.add(rule.id() + ": no docs/" + rule.id() + ".md");
        continue;
      }
      String first = page.get().lines().findFirst().orElse("");
      if (!first.startsWith("# " + rule.id() + ": ") || first.length() < rule.id().length() + 8) {
        problems.add(rule.id() + ": first line must be '# " + rule.id() + ": <title>', found '" + first + "'");
      }
      Map<String, String> sections = RuleDocs.sections(page.get());
      if (!List.copyOf(sections.keySet()).equals(RuleDocs.SECTIONS)) {
        problems.add(rule.id() + ": sections " + sections.keySet() + ", expected " + RuleDocs.SECTIONS);
        continue;
      }
      sections.forEach((heading, text) -> {
        if (text.length() < 20) {
          problems.add(rule.id() + ": section '" + heading + "' is (nearly) empty");
        }
      });
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void titlesComeFromThePages() {
    assertThat(RuleDocs.title("CL-PREC-001")).hasValue("fp32 training on a GPU with bf16 tensor cores");
    assertThat(RuleDocs.title("cl-prec-001")).hasValue("fp32 training on a GPU with bf16 tensor cores");
    assertThat(RuleDocs.title("CL-NONE-999")).isEmpty();
    assertThat(RuleDocs.markdown("../../etc/passwd")).isEmpty();
  }
}
