package dev.carbonlens.document;

/**
 * UTF-8 as CarbonLens counts it everywhere: the size limit on files, the bytes tree-sitter reads and the maps from
 * its byte offsets back to characters. A surrogate pair is 4 bytes, and a lone surrogate (a half-typed or corrupt
 * file) is U+FFFD, 3 bytes. The JDK's encoder writes a lone surrogate as one byte ({@code ?}), which would shift
 * every position after it.
 */
public final class Utf8 {
  private Utf8() {}

  /** The bytes of the character at {@code i} (the whole pair for a high surrogate followed by a low one). */
  public static int length(String s, int i) {
    char c = s.charAt(i);
    if (c < 0x80) {
      return 1;
    }
    if (c < 0x800) {
      return 2;
    }
    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
      return 4;
    }
    return 3;
  }

  public static long length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      int n = length(s, i);
      bytes += n;
      if (n == 4) {
        i++;
      }
    }
    return bytes;
  }

  public static byte[] encode(String s) {
    byte[] out = new byte[Math.toIntExact(length(s))];
    int b = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int n = length(s, i);
      int cp;
      if (n == 4) {
        cp = Character.toCodePoint(c, s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        cp = 0xFFFD;
      } else {
        cp = c;
      }
      switch (n) {
        case 1 -> out[b++] = (byte) cp;
        case 2 -> {
          out[b++] = (byte) (0xC0 | (cp >> 6));
          out[b++] = (byte) (0x80 | (cp & 0x3F));
        }
        case 3 -> {
          out[b++] = (byte) (0xE0 | (cp >> 12));
          out[b++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          out[b++] = (byte) (0x80 | (cp & 0x3F));
        }
        default -> {
          out[b++] = (byte) (0xF0 | (cp >> 18));
          out[b++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          out[b++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          out[b++] = (byte) (0x80 | (cp & 0x3F));
        }
      }
    }
    return out;
  }
}
