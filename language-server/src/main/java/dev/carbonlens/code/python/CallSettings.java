package dev.carbonlens.code.python;

import dev.carbonlens.extract.Setting;
import dev.carbonlens.extract.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keyword arguments of one Python call as {@link Settings}: `TrainingArguments(bf16=True,
 * num_train_epochs=EPOCHS)` reads like `bf16: true` in a YAML file. Values are followed to module
 * constants and argparse defaults; the ranges stay where the argument is written in the call.
 */
final class CallSettings implements Settings {
  private final Map<String, Setting> byName = new LinkedHashMap<>();

  CallSettings(PyFile file, PyFile.Call call) {
    for (PyFile.Arg arg : file.args(call)) {
      if (arg.name() != null) {
        byName.putIfAbsent(arg.name(), setting(file, arg));
      }
    }
  }

  static Setting setting(PyFile file, PyFile.Arg arg) {
    PyFile.Value v = file.resolve(arg.value());
    String text = switch (v.kind()) {
      case "none" -> "null";
      default -> v.text();
    };
    return new Setting(arg.name(), text, v.quoted(), file.range(arg.nameNode()), file.range(arg.value()));
  }

  @Override
  public Optional<Setting> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  @Override
  public Set<String> names() {
    return byName.keySet();
  }
}
