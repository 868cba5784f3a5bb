package dev.carbonlens.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Finds the nearest `.carbonlens.yaml` above a file, remembering each folder's answer. */
public final class ConfigLocator {
  private final Map<Path, Optional<Path>> byFolder = new HashMap<>();

  /** The config in the file's folder or the closest folder above it, up to the filesystem root. */
  public Optional<Path> nearest(Path file) {
    Path folder = file.toAbsolutePath().normalize().getParent();
    return folder == null ? Optional.empty() : inFolder(folder);
  }

  private Optional<Path> inFolder(Path folder) {
    Optional<Path> known = byFolder.get(folder);
    if (known != null) {
      return known;
    }
    Path candidate = folder.resolve(ProjectConfig.FILE_NAME);
    Optional<Path> found = Files.isRegularFile(candidate) ? Optional.of(candidate)
        : folder.getParent() == null ? Optional.empty() : inFolder(folder.getParent());
    byFolder.put(folder, found);
    return found;
  }
}
