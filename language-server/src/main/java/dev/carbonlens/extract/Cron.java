package dev.carbonlens.extract;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** How often a cron schedule fires (Kubernetes CronJobs, Azure ML schedules, ...). */
final class Cron {
  private Cron() {}

  /**
   * Runs per day of a five-field cron expression (minute hour day-of-month month day-of-week), averaged over
   * the year; null when it cannot be read.
   */
  static Double runsPerDay(String expression) {
    if (expression == null) {
      return null;
    }
    String macro = expression.trim().toLowerCase(Locale.ROOT);
    switch (macro) {
      case "@hourly":
        return 24.0;
      case "@daily", "@midnight":
        return 1.0;
      case "@weekly":
        return 1.0 / 7;
      case "@monthly":
        return 12 / 365.25;
      case "@yearly", "@annually":
        return 1 / 365.25;
      default:
        break;
    }
    String[] f = macro.split("\\s+");
    if (f.length == 6) { // seconds first (Quartz) – drop it
      f = java.util.Arrays.copyOfRange(f, 1, 6);
    }
    if (f.length != 5) {
      return null;
    }
    Integer minutes = count(f[0], 0, 59);
    Integer hours = count(f[1], 0, 23);
    Integer days = count(f[2], 1, 31);
    Integer months = count(f[3], 1, 12);
    Integer weekdays = count(f[4].replace('7', '0'), 0, 6);
    if (minutes == null || hours == null || days == null || months == null || weekdays == null) {
      return null;
    }
    boolean domAll = isAll(f[2]);
    boolean dowAll = isAll(f[4]);
    double dayShare;
    if (domAll && dowAll) {
      dayShare = 1.0;
    } else if (domAll) {
      dayShare = weekdays / 7.0;
    } else if (dowAll) {
      dayShare = days / (365.25 / 12.0);
    } else { // cron runs when either matches
      dayShare = Math.min(1.0, days / (365.25 / 12.0) + weekdays / 7.0);
    }
    return minutes * (double) hours * dayShare * (months / 12.0);
  }

  private static boolean isAll(String field) {
    return field.equals("*") || field.equals("?");
  }

  private static Integer count(String field, int min, int max) {
    Set<Integer> values = new java.util.HashSet<>();
    for (String part : field.toLowerCase(Locale.ROOT).split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        try {
          step = Integer.parseInt(part.substring(slash + 1));
        } catch (NumberFormatException e) {
          return null;
        }
        range = part.substring(0, slash);
        if (step < 1) {
          return null;
        }
      }
      int lo;
      int hi;
      if (range.equals("*") || range.equals("?")) {
        lo = min;
        hi = max;
      } else {
        int dash = range.indexOf('-');
        Integer a = cronValue(dash > 0 ? range.substring(0, dash) : range);
        Integer b = dash > 0 ? cronValue(range.substring(dash + 1)) : (slash >= 0 ? Integer.valueOf(max) : a);
        if (a == null || b == null) {
          return null;
        }
        lo = a;
        hi = b;
      }
      if (lo < min || hi > max || hi < lo) {
        return null;
      }
      for (int v = lo; v <= hi; v += step) {
        values.add(v);
      }
    }
    return values.isEmpty() ? null : values.size();
  }

  private static Integer cronValue(String s) {
    List<String> days = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    List<String> months = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    if (days.contains(s)) {
      return days.indexOf(s);
    }
    if (months.contains(s)) {
      return months.indexOf(s) + 1;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

}
