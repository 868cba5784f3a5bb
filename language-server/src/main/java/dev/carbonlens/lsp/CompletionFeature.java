package dev.carbonlens.lsp;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.LineIndex;
import dev.carbonlens.document.SyntaxKind;
import dev.carbonlens.lsp.CompletionCandidates.Candidate;
import dev.carbonlens.lsp.CompletionSlots.AcceleratorSlot;
import dev.carbonlens.lsp.CompletionSlots.InstanceSlot;
import dev.carbonlens.lsp.CompletionSlots.RegionSlot;
import dev.carbonlens.lsp.CompletionSlots.Slot;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.InstanceSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * Completion of the values CarbonLens prices, where the file's format reads them: regions (lowest grid
 * intensity first, the figure in the detail), accelerators and instance types (most energy-efficient
 * first), each spelt as that format writes it. Works on half-typed text: the cursor's value is read from
 * its line, then written back as a closed string so that the document parses and its format and the
 * setting's place in it can be found. Anywhere else (keys, comments, other settings) there is nothing.
 */
final class CompletionFeature {
  private CompletionFeature() {}

  /**
   * A blank (after `region:`) and an opening quote (JSON `"location": "`): where a value starts. Every other
   * position is answered from what is typed, without a popup the user did not ask for.
   */
  static final List<String> TRIGGER_CHARACTERS = List.of(" ", "\"");

  /** The values to offer at {@code at}; empty anywhere completion does not apply. Never throws. */
  static List<CompletionItem> complete(String fileName, String text, Position at, ReferenceData reference) {
    if (text == null || at == null || reference == null || isSourceCode(fileName)) {
      return List.of();
    }
    try {
      return items(fileName, text, at, reference);
    } catch (RuntimeException | StackOverflowError e) {
      return List.of(); // completion is a convenience: a surprise in the text must not fail the request
    }
  }

  /** Code and rule files are not read as YAML or JSON (as in Analyzer), so none of their text is a setting. */
  private static boolean isSourceCode(String fileName) {
    String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
    return name.endsWith(".py") || name.endsWith(".java") || name.endsWith(".drl");
  }

  private static List<CompletionItem> items(String fileName, String text, Position at, ReferenceData reference) {
    LineIndex lines = new LineIndex(text);
    int line = at.getLine();
    if (line < 0 || line >= lines.lineCount()) {
      return List.of();
    }
    int lineStart = lines.lineStart(line);
    String lineText = text.substring(lineStart, lines.lineEnd(line));
    boolean json = DocumentParser.syntaxOf(fileName, text) == SyntaxKind.JSON;
    Optional<CompletionToken> found = CompletionToken.at(lineText, at.getCharacter(), json);
    if (found.isEmpty() || !atValueOfCompletedKey(found.get(), json)) {
      return List.of();
    }
    CompletionToken token = found.get();
    String value = lineText.substring(token.start(), token.end());
    String written = closedString(value);
    String repaired = text.substring(0, lineStart + token.valueStart()) + written
        + text.substring(lineStart + token.valueEnd());
    Optional<Slot> slot = CompletionSlots.locate(fileName, repaired, line, token.valueStart(),
            lineStart + token.valueStart() + written.length())
        .flatMap(located -> CompletionSlots.slot(located, reference));
    if (slot.isEmpty()) {
      return List.of();
    }
    int editEnd = token.end();
    if (slot.get() instanceof AcceleratorSlot a && a.style() == CompletionCandidates.AcceleratorStyle.SKYPILOT) {
      int colon = value.indexOf(':');
      if (colon >= 0) {
        if (token.cursor() > token.start() + colon) {
          return List.of(); // in the count of `A100:8`
        }
        editEnd = token.start() + colon; // complete the name, keep `:8`
      }
    }
    // A bare JSON value gets its quotes; a quote the user opened is closed when the line does not close it.
    String before = json && token.quote() == 0 ? "\"" : "";
    String after = token.quote() == 0 ? before : token.closed() ? "" : String.valueOf(token.quote());
    Edit edit = new Edit(new Range(new Position(line, token.start()), new Position(line, editEnd)), before, after);
    return items(slot.get(), edit, reference);
  }

  /**
   * Whether the text before the value puts it after one of the keys completion knows (`region: `,
   * `"location": `), or makes it a list item (`- `, `[`, `,`; in JSON also an item on its own line): the
   * cheap test that spares a parse for every other keystroke.
   */
  private static boolean atValueOfCompletedKey(CompletionToken token, boolean json) {
    String lead = token.lead();
    String trimmed = lead.stripTrailing();
    if (trimmed.endsWith(":")) {
      if (!json && trimmed.length() == lead.length()) {
        return false; // YAML needs a blank after the colon
      }
      return key(trimmed.substring(0, trimmed.length() - 1)).map(CompletionSlots::isCompletedKey).orElse(false);
    }
    if (trimmed.endsWith("[") || trimmed.endsWith(",")) {
      return true;
    }
    if (trimmed.endsWith("-") && trimmed.length() < lead.length()) {
      return trimmed.length() == 1 || Character.isWhitespace(trimmed.charAt(trimmed.length() - 2));
    }
    return json && trimmed.isEmpty();
  }

  /** The key written just before a colon: `nvidia.com/gpu.product`, `"location"` without its quotes. */
  private static Optional<String> key(String beforeColon) {
    String s = beforeColon.stripTrailing();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    char last = s.charAt(s.length() - 1);
    if (last == '"' || last == '\'') {
      int open = s.lastIndexOf(last, s.length() - 2);
      return open < 0 ? Optional.empty() : Optional.of(s.substring(open + 1, s.length() - 1));
    }
    int start = s.length();
    while (start > 0 && !Character.isWhitespace(s.charAt(start - 1)) && "{[,".indexOf(s.charAt(start - 1)) < 0) {
      start--;
    }
    return Optional.of(s.substring(start));
  }

  /** The value as a closed double-quoted string, valid in YAML and JSON alike. */
  private static String closedString(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** What every item replaces (the value typed so far) and the quotes its text needs around it. */
  private record Edit(Range range, String before, String after) {
    TextEdit of(String spelling) {
      return new TextEdit(range, before + spelling + after);
    }
  }

  private static List<CompletionItem> items(Slot slot, Edit edit, ReferenceData reference) {
    List<Shown> shown = shown(slot, reference);
    List<CompletionItem> out = new ArrayList<>(shown.size());
    for (Shown s : shown) {
      out.add(item(s, out.size(), edit));
    }
    return out;
  }

  /** What an item shows: its value, the one-line detail and the documentation. */
  private record Shown(String label, String detail, String documentation) {}

  /** The items of each slot, worked out once per reference data (the tables do not change while it lives). */
  private record Cache(ReferenceData reference, Map<Slot, List<Shown>> bySlot) {}

  private static volatile Cache cache;

  private static List<Shown> shown(Slot slot, ReferenceData reference) {
    Cache c = cache;
    if (c == null || c.reference() != reference) {
      c = new Cache(reference, new ConcurrentHashMap<>());
      cache = c;
    }
    return c.bySlot().computeIfAbsent(slot, s -> List.copyOf(values(s, reference)));
  }

  private static List<Shown> values(Slot slot, ReferenceData reference) {
    List<Shown> out = new ArrayList<>();
    if (slot instanceof RegionSlot r) {
      for (RegionSpec region : CompletionCandidates.regions(reference, r.provider())) {
        out.add(new Shown(region.id(), CompletionCandidates.regionDetail(region),
            CompletionCandidates.regionDocumentation(region)));
      }
    } else if (slot instanceof AcceleratorSlot a) {
      for (Candidate<AcceleratorSpec> c : CompletionCandidates.accelerators(reference, a.style())) {
        out.add(new Shown(c.spelling(), CompletionCandidates.acceleratorDetail(c.spelling(), c.spec()),
            CompletionCandidates.acceleratorDocumentation(c.spec())));
      }
    } else if (slot instanceof InstanceSlot i) {
      for (Candidate<InstanceSpec> c : CompletionCandidates.instances(reference, i.provider(), i.sageMaker())) {
        AcceleratorSpec part = reference.accelerator(c.spec().acceleratorId()).orElseThrow();
        out.add(new Shown(c.spelling(), CompletionCandidates.instanceDetail(c.spec(), part),
            CompletionCandidates.instanceDocumentation(c.spec(), part)));
      }
    }
    return out;
  }

  private static CompletionItem item(Shown shown, int rank, Edit edit) {
    CompletionItem item = new CompletionItem(shown.label());
    item.setKind(CompletionItemKind.Value);
    item.setDetail(shown.detail());
    item.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, shown.documentation()));
    item.setSortText(String.format(Locale.ROOT, "%04d", rank));
    item.setFilterText(shown.label());
    item.setTextEdit(Either.forLeft(edit.of(shown.label())));
    return item;
  }
}
