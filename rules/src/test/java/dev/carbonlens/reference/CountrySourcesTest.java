package dev.carbonlens.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every row of {@code countries.csv} against CodeCarbon's {@code global_energy_mix.json} (OWID), found as
 * {@code cc_global_energy_mix.json} under {@code shared/reference} (skipped where that folder is absent). The
 * key of a row in that file is its ISO 3166-1 alpha-3 code.
 */
class CountrySourcesTest {

  private static final ReferenceData DATA = ReferenceData.builtIn();
  private static final String FILE = "cc_global_energy_mix.json";
  private static SourceFiles sources;

  @BeforeAll
  static void findSources() {
    Optional<SourceFiles> found = SourceFiles.find();
    assumeTrue(found.isPresent(), "no shared/reference folder above the working directory: source check skipped");
    sources = found.get();
  }

  @Test
  void everyCountryMatchesItsSourceExactly() {
    List<String> problems = new ArrayList<>();
    for (CountrySpec c : DATA.allCountries()) {
      String ref = FILE + "#" + c.iso3();
      SourceFiles.Figure f;
      try {
        f = sources.resolve(ref);
      } catch (AssertionError e) {
        problems.add(c.iso2() + ": " + e.getMessage());
        continue;
      }
      if (Double.compare(f.gramsPerKwh(), c.gridIntensity()) != 0) {
        problems.add(c.iso2() + ": grid_intensity " + c.gridIntensity() + " but " + ref + " gives " + f.gramsPerKwh());
      }
      if (f.year() != c.year()) {
        problems.add(c.iso2() + ": year " + c.year() + " but " + ref + " gives " + f.year());
      }
      if (!c.source().contains("global_energy_mix.json")) {
        problems.add(c.iso2() + ": source does not name global_energy_mix.json");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyCountryOfTheSourceIsTabled() {
    JsonNode all = sources.json(FILE);
    List<String> missing = new ArrayList<>();
    all.fieldNames().forEachRemaining(iso3 -> {
      if (DATA.country(iso3).isEmpty()) {
        missing.add(iso3);
      }
    });
    assertThat(missing).isEmpty();
    assertThat(DATA.allCountries()).hasSize(all.size());
  }
}
