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
  private final Settings byName;

  CallSettings(PyFile file, PyFile.Call call) {
    Map<String, Setting> named = new LinkedHashMap<>();
    for (PyFile.Arg arg : file.args(call)) {
      if (arg.name() != null) {
        named.putIfAbsent(arg.name(), setting(file, arg));
      }
    }
    this.byName = Settings.of(named);
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
    return byName.get(name);
  }

  @Override
  public boolean has(String name) {
    return byName.has(name);
  }

  @Override
  public Set<String> names() {
    return byName.names();
  }
}
