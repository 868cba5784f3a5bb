#!/usr/bin/env bash
# Records the classes `check` and `lsp` load (a warm-up over the samples) into an AppCDS archive for one
# JVM, which takes about a third off every later start. Run at package time by Maven and, when the
# archive is missing or older than the jar, by the launcher. One archive per JVM binary: an archive only
# loads into the JVM that wrote it.
#
#   cds-archive.sh JAVA TARGET_DIR SAMPLES_DIR     prints the archive's path, or nothing if none could be made
set -uo pipefail
java="$1"
target="$2"
samples="$3"
jar="$target/carbonlens.jar"
java_path="$(command -v "$java" || true)"
[ -n "$java_path" ] && [ -f "$jar" ] || exit 0
java_id="$( { readlink -f "$java_path" 2>/dev/null || echo "$java_path"; } | cksum | cut -d' ' -f1)"
archive="$target/carbonlens-$java_id.jsa"
if [ ! -f "$archive" ] || [ "$jar" -nt "$archive" ]; then
  rm -f "$target"/carbonlens-*.jsa
  # The same GC as the launcher: an archive is refused by a JVM started with another collector.
  "$java" -XX:+UseSerialGC -Xlog:disable -Xlog:all=off -XX:ArchiveClassesAtExit="$archive" \
      -jar "$jar" warm-up "$samples" >/dev/null 2>&1 || rm -f "$archive"
fi
[ -f "$archive" ] && echo "$archive"
exit 0
