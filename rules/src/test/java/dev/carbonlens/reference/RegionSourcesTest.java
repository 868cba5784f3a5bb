package dev.carbonlens.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every row of {@code regions.csv} against the source file its {@code grid_source_ref} names, under
 * {@code shared/reference} (skipped where that folder is not above the working directory): the grid figure must
 * be the source's figure exactly (after the documented t/kWh -> g/kWh conversion for CCF files), the data year
 * the source's year, and the reference must fit the row (same GCP region, same country).
 */
class RegionSourcesTest {

  private static final ReferenceData DATA = ReferenceData.builtIn();
  private static SourceFiles sources;

  @BeforeAll
  static void findSources() {
    Optional<SourceFiles> found = SourceFiles.find();
    assumeTrue(found.isPresent(), "no shared/reference folder above the working directory: source check skipped");
    sources = found.get();
  }

  @Test
  void everyRegionMatchesItsCitedSource() {
    List<String> problems = new ArrayList<>();
    for (RegionSpec r : DATA.allRegions()) {
      String ref = r.gridSourceRef();
      SourceFiles.Figure f;
      try {
        f = sources.resolve(ref);
      } catch (AssertionError e) {
        problems.add(r.key() + ": " + e.getMessage());
        continue;
      }
      if (Double.compare(f.gramsPerKwh(), r.gridIntensity()) != 0) {
        problems.add(r.key() + ": grid_intensity " + r.gridIntensity() + " but " + ref + " gives " + f.gramsPerKwh());
      }
      if (f.year() != null && f.year() != r.gridYear()) {
        problems.add(r.key() + ": grid_year " + r.gridYear() + " but " + ref + " gives " + f.year());
      }
      String file = ref.substring(0, ref.indexOf('#'));
      String key = ref.substring(ref.indexOf('#') + 1);
      String named = file.replaceFirst("^(cc|ga|ccfcoef)_", "");
      if (!r.gridSource().contains(named)) {
        problems.add(r.key() + ": grid_source does not name " + named + ": " + r.gridSource());
      }
      problems.addAll(keyFitsRow(r, file, key));
    }
    assertThat(problems).isEmpty();
  }

  private static List<String> keyFitsRow(RegionSpec r, String file, String key) {
    List<String> problems = new ArrayList<>();
    if (file.startsWith("gcp_")) {
      if (!r.provider().equals("gcp") || !r.id().equals(key)) {
        problems.add(r.key() + ": " + file + " cites another region, " + key);
      }
    } else if (file.equals("cc_global_energy_mix.json")) {
      String iso3 = DATA.country(r.countryIso2()).map(CountrySpec::iso3).orElse("?");
      if (!iso3.equals(key)) {
        problems.add(r.key() + ": in " + r.countryIso2() + " (" + iso3 + ") but cites country " + key);
      }
      if (!r.gridSource().contains(key)) {
        problems.add(r.key() + ": grid_source does not name " + key);
      }
    } else {
      if (!key.equals(r.countryIso2()) && !key.startsWith(r.countryIso2() + "-")) {
        problems.add(r.key() + ": in " + r.countryIso2() + " but cites " + key);
      }
      if (!r.gridSource().contains(key)) {
        problems.add(r.key() + ": grid_source does not name " + key);
      }
    }
    return problems;
  }

  @Test
  void cloudCarbonFootprintFactorsAreConvertedExactlyFromTonnes() {
    // 0.000415755 t/kWh -> 415.755 g/kWh, no floating-point residue
    assertThat(sources.resolve("ccfcoef_grid-emissions-factors-aws.csv#us-east-1").gramsPerKwh()).isEqualTo(415.755);
    assertThat(sources.resolve("ccfcoef_grid-emissions-factors-aws.csv#us-east-1").year()).isNull();
  }

  @Test
  void referencesToMissingKeysFail() {
    for (String ref : List.of("gcp_2024.csv#mars-north1", "cc_global_energy_mix.json#XXX",
        "ga_CI_aggregated.csv#US-XX", "nosuch.csv#a", "gcp_2024.csv")) {
      try {
        sources.resolve(ref);
        throw new IllegalStateException(ref + " resolved");
      } catch (AssertionError expected) {
        assertThat(expected.getMessage()).contains(ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref);
      }
    }
  }

  // ------------------------------------------------------------------ marginal intensity (if-data, MIT)

  private static String provider(String ifDataProvider) {
    return switch (ifDataProvider) {
      case "Amazon Web Services" -> "aws";
      case "Google Cloud" -> "gcp";
      case "Microsoft Azure" -> "azure";
      default -> ifDataProvider.toLowerCase();
    };
  }

  private static List<Map<String, String>> ifDataMarginalRows() {
    return sources.csv("ifdata_region.csv", 0).stream()
        .filter(row -> !row.getOrDefault("grid-carbon-intensity-marginal", "").isBlank())
        .toList();
  }

  @Test
  void marginalFiguresAreIfDataFigures() {
    List<String> problems = new ArrayList<>();
    for (RegionSpec r : DATA.allRegions()) {
      if (!r.hasMarginalIntensity()) {
        assertThat(r.marginalSource()).as(r.key()).isNull();
        assertThat(r.marginalYear()).as(r.key()).isNull();
        continue;
      }
      assertThat(r.marginalSource()).as(r.key()).contains("if-data").contains("MIT");
      boolean match = ifDataMarginalRows().stream().anyMatch(row -> provider(row.get("cloud-provider"))
          .equals(r.provider()) && row.get("cloud-region").equals(r.id())
          && row.get("year").equals(String.valueOf(r.marginalYear()))
          && Double.parseDouble(row.get("grid-carbon-intensity-marginal")) == r.marginalIntensity());
      if (!match) {
        problems.add(r.key() + ": marginal " + r.marginalIntensity() + " (" + r.marginalYear()
            + ") is not in ifdata_region.csv");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyIfDataMarginalFigureForATabledRegionIsCarried() {
    // the latest year's figure of every region that if-data gives one for (none in the current file)
    List<Map<String, String>> rows = new ArrayList<>(ifDataMarginalRows());
    rows.sort(Comparator.comparing((Map<String, String> row) -> row.get("year")).reversed());
    List<String> seen = new ArrayList<>();
    for (Map<String, String> row : rows) {
      String p = provider(row.get("cloud-provider"));
      String id = row.get("cloud-region");
      if (seen.contains(p + ":" + id)) {
        continue;
      }
      seen.add(p + ":" + id);
      DATA.region(p, id).ifPresent(r -> {
        assertThat(r.marginalIntensity()).as(r.key())
            .isEqualTo(Double.parseDouble(row.get("grid-carbon-intensity-marginal")));
        assertThat(r.marginalYear()).as(r.key()).isEqualTo(Integer.parseInt(row.get("year")));
      });
    }
  }
}
