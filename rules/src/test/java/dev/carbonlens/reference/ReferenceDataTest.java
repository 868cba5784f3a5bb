package dev.carbonlens.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceDataTest {

  private final ReferenceData data = ReferenceData.builtIn();

  // ------------------------------------------------------------------ every row sourced, counts, bounds

  @Test
  void builtInIsCached() {
    assertThat(ReferenceData.builtIn()).isSameAs(data);
  }

  @Test
  void counts() {
    assertThat(data.allAccelerators()).hasSizeGreaterThanOrEqualTo(30);
    assertThat(data.allCountries()).hasSizeGreaterThanOrEqualTo(150);
    assertThat(data.allRegions()).hasSizeGreaterThanOrEqualTo(80);
    assertThat(data.regions("aws")).hasSizeGreaterThanOrEqualTo(25);
    assertThat(data.regions("azure")).hasSizeGreaterThanOrEqualTo(30);
    assertThat(data.regions("gcp")).hasSize(44); // every region of gcp_2024.csv
  }

  @Test
  void everyAcceleratorHasSourcesYearsAndPlausibleFigures() {
    for (AcceleratorSpec a : data.allAccelerators()) {
      assertThat(a.specSource()).as(a.id()).isNotBlank();
      assertThat(a.embodiedSource()).as(a.id()).isNotBlank();
      assertThat(a.specYear()).as(a.id()).isBetween(2010, 2030);
      assertThat(a.releaseYear()).as(a.id()).isBetween(2010, 2030);
      assertThat(a.tdpWatts()).as(a.id()).isBetween(20.0, 1500.0);
      assertThat(a.memoryGb()).as(a.id()).isBetween(4.0, 512.0);
      assertThat(a.embodiedKgCO2e()).as(a.id()).isBetween(50.0, 500.0);
      if (a.idleWatts() != null) {
        assertThat(a.idleWatts()).as(a.id()).isPositive().isLessThan(a.tdpWatts());
      }
      for (Double f : new Double[] {a.fp32Tflops(), a.tf32Tflops(), a.fp16Tflops(), a.bf16Tflops(),
          a.fp8Tflops(), a.int8Tflops()}) {
        if (f != null) {
          assertThat(f).as(a.id()).isBetween(1.0, 10_000.0);
        }
      }
      // at least one compute figure per part
      assertThat(a.fp32Tflops() != null || a.bf16Tflops() != null || a.fp16Tflops() != null).as(a.id()).isTrue();
    }
  }

  @Test
  void everyRegionHasSourcesYearsAndPlausibleFigures() {
    Set<String> keys = new HashSet<>();
    for (RegionSpec r : data.allRegions()) {
      assertThat(keys.add(r.key())).as(r.key()).isTrue();
      assertThat(r.provider()).isIn("aws", "gcp", "azure", "coreweave", "lambda", "ovh", "scaleway");
      assertThat(r.gridSource()).as(r.key()).isNotBlank();
      assertThat(r.pueSource()).as(r.key()).isNotBlank();
      assertThat(r.displayName()).as(r.key()).isNotBlank();
      assertThat(r.gridYear()).as(r.key()).isBetween(2015, 2030);
      assertThat(r.pueYear()).as(r.key()).isBetween(2015, 2030);
      assertThat(r.gridIntensity()).as(r.key()).isBetween(0.0, 1200.0);
      assertThat(r.pue()).as(r.key()).isBetween(1.0, 2.0);
      assertThat(r.continent()).isIn(ReferenceData.CONTINENTS);
      assertThat(data.country(r.countryIso2())).as(r.key() + " country").isPresent();
      assertThat(r.gridSourceRef()).as(r.key()).matches("[A-Za-z0-9_.\\-]+#[A-Za-z0-9_.\\-]+");
      if (r.provider().equals("scaleway")) {
        // Scaleway publishes a PUE per data centre; the provider default is only for unknown regions
        assertThat(r.pueSource()).as(r.key()).contains("Scaleway");
      } else {
        assertThat(r.pue()).as(r.key()).isEqualTo(data.providerPue(r.provider()).value());
      }
      assertThat(r.marginalIntensity() == null).as(r.key()).isEqualTo(r.marginalSource() == null)
          .isEqualTo(r.marginalYear() == null);
    }
  }

  @Test
  void neocloudRegions() {
    assertThat(data.regions("coreweave")).hasSizeGreaterThanOrEqualTo(10);
    assertThat(data.regions("lambda")).hasSizeGreaterThanOrEqualTo(10);
    assertThat(data.regions("ovh")).hasSizeGreaterThanOrEqualTo(10);
    assertThat(data.regions("scaleway")).hasSize(3);

    RegionSpec gra = data.region("ovhcloud", "gra11").orElseThrow();
    assertThat(gra.key()).isEqualTo("ovh:GRA");
    assertThat(gra.countryIso2()).isEqualTo("FR");
    assertThat(gra.gridIntensity()).isCloseTo(56.039, within(1e-9)); // OWID FRA 2023
    assertThat(gra.gridSourceRef()).isEqualTo("cc_global_energy_mix.json#FRA");
    assertThat(gra.pue()).isEqualTo(1.28);
    RegionSpec bhs = data.region("ovh", "BHS5").orElseThrow();
    assertThat(bhs.gridIntensity()).isEqualTo(1.5); // Green Algorithms CA-QC
    assertThat(bhs.continent()).isEqualTo("north-america");

    RegionSpec par = data.region("scaleway", "fr-par-2").orElseThrow();
    assertThat(par.id()).isEqualTo("fr-par");
    assertThat(par.pue()).isEqualTo(1.15);
    assertThat(par.offersGpus()).isTrue();
    assertThat(data.region("scw", "nl-ams").orElseThrow().offersGpus()).isFalse();
    assertThat(data.region(null, "pl-waw-2")).map(RegionSpec::key).contains("scaleway:pl-waw");

    RegionSpec cw = data.region("coreweave", "us-east-04a").orElseThrow();
    assertThat(cw.id()).isEqualTo("US-EAST-04");
    assertThat(cw.gridSourceRef()).isEqualTo("ga_CI_aggregated.csv#US-VA");
    assertThat(cw.pue()).isEqualTo(1.56);
    assertThat(cw.pueSource()).contains("Uptime");

    RegionSpec lambdaUtah = data.region("lambda", "us-west-3").orElseThrow();
    assertThat(lambdaUtah.gridSourceRef()).isEqualTo("ga_CI_aggregated.csv#US-UT");
    assertThat(data.region("lambdalabs", "us-east-1")).map(RegionSpec::key).contains("lambda:us-east-1");
  }

  @Test
  void withoutAProviderHyperscalersWinOverNeocloudsWithTheSameRegionName() {
    assertThat(data.region(null, "us-east-1")).map(RegionSpec::key).contains("aws:us-east-1");
    assertThat(data.region(null, "us-west-2")).map(RegionSpec::key).contains("aws:us-west-2");
    assertThat(data.region(null, "us-midwest-1")).map(RegionSpec::key).contains("lambda:us-midwest-1");
    assertThat(data.region(null, "GRA")).map(RegionSpec::key).contains("ovh:GRA");
    // WAW1 is both an OVHcloud and a Scaleway name
    assertThat(data.region(null, "WAW1")).isEmpty();
  }

  @Test
  void gpuAvailability() {
    assertThat(data.region("gcp", "us-central1").orElseThrow().offersGpus()).isTrue();
    assertThat(data.region("gcp", "europe-west4").orElseThrow().offersGpus()).isTrue();
    assertThat(data.region("aws", "us-east-1").orElseThrow().offersGpus()).isNull(); // not established
    assertThat(data.regions("coreweave")).allSatisfy(r -> assertThat(r.offersGpus()).isTrue());
    assertThat(data.regions("lambda")).allSatisfy(r -> assertThat(r.offersGpus()).isTrue());
  }

  @Test
  void everyCountryHasSourceYearAndPlausibleFigure() {
    for (CountrySpec c : data.allCountries()) {
      assertThat(c.source()).as(c.iso2()).isNotBlank();
      assertThat(c.year()).as(c.iso2()).isBetween(2000, 2030);
      assertThat(c.name()).as(c.iso2()).isNotBlank();
      // OWID's highest value is Turkmenistan, 1306 g/kWh (2022); regions stay within 0..1200
      assertThat(c.gridIntensity()).as(c.iso2()).isBetween(0.0, 1400.0);
      assertThat(c.continent()).isIn(ReferenceData.CONTINENTS);
    }
  }

  // ------------------------------------------------------------------ spot values against the sources

  @Test
  void gcpSpotValuesFromRegionCarbonInfo2024() {
    RegionSpec fi = data.region("gcp", "europe-north1").orElseThrow();
    assertThat(fi.gridIntensity()).isEqualTo(39.32);
    assertThat(fi.gridYear()).isEqualTo(2024);
    assertThat(fi.countryIso2()).isEqualTo("FI");
    assertThat(fi.continent()).isEqualTo("europe");
    assertThat(fi.pue()).isEqualTo(1.1);
    assertThat(data.region("gcp", "asia-south1").orElseThrow().gridIntensity()).isEqualTo(678.76);
    assertThat(data.region("gcp", "europe-west9").orElseThrow().gridIntensity()).isEqualTo(16.30);
    assertThat(data.region("gcp", "us-central1").orElseThrow().gridIntensity()).isEqualTo(412.72);
  }

  @Test
  void awsAndAzureSpotValues() {
    RegionSpec use1 = data.region("aws", "us-east-1").orElseThrow();
    assertThat(use1.gridIntensity()).isEqualTo(308); // Green Algorithms US-VA
    assertThat(use1.gridSource()).contains("Green Algorithms").contains("US-VA");
    assertThat(use1.pue()).isEqualTo(1.135);
    RegionSpec eun1 = data.region("aws", "eu-north-1").orElseThrow();
    assertThat(eun1.gridIntensity()).isCloseTo(40.695, within(1e-9)); // OWID SWE 2023
    assertThat(eun1.gridSource()).contains("OWID").contains("SWE");
    assertThat(eun1.gridYear()).isEqualTo(2023);
    RegionSpec sweden = data.region("azure", "swedencentral").orElseThrow();
    assertThat(sweden.gridIntensity()).isCloseTo(40.695, within(1e-9));
    assertThat(sweden.pue()).isEqualTo(1.185);
    assertThat(data.region("azure", "westeurope").orElseThrow().countryIso2()).isEqualTo("NL");
    assertThat(data.region("azure", "northeurope").orElseThrow().countryIso2()).isEqualTo("IE");
    assertThat(data.region("aws", "ca-central-1").orElseThrow().gridIntensity()).isEqualTo(1.5); // CA-QC
  }

  @Test
  void countrySpotValues() {
    CountrySpec de = data.country("DE").orElseThrow();
    assertThat(de.iso3()).isEqualTo("DEU");
    assertThat(de.gridIntensity()).isCloseTo(380.95, within(1e-9));
    assertThat(de.year()).isEqualTo(2023);
    assertThat(de.continent()).isEqualTo("europe");
    assertThat(data.country("usa")).contains(data.country("US").orElseThrow());
    assertThat(data.country("IN").orElseThrow().gridIntensity()).isCloseTo(713.441, within(1e-9));
    assertThat(data.country("XX")).isEmpty();
    assertThat(data.country(null)).isEmpty();
  }

  @Test
  void acceleratorSpotValues() {
    AcceleratorSpec h100 = data.accelerator("H100-SXM").orElseThrow();
    assertThat(h100.tdpWatts()).isEqualTo(700);
    assertThat(h100.bf16Tflops()).isBetween(989.0, 989.5);
    assertThat(h100.fp8Tflops()).isBetween(1978.0, 1979.5);
    assertThat(h100.embodiedKgCO2e()).isEqualTo(164);
    assertThat(h100.embodiedSource()).contains("EcoLogits");

    AcceleratorSpec v100 = data.accelerator("V100-SXM2-16GB").orElseThrow();
    assertThat(v100.supportsBf16()).isFalse();
    assertThat(v100.bf16Tflops()).isNull();
    assertThat(v100.tf32Tflops()).isNull();
    assertThat(v100.fp16Tflops()).isEqualTo(125);
    assertThat(v100.tensorCores()).isTrue();
    assertThat(v100.idleWatts()).isEqualTo(35);

    AcceleratorSpec t4 = data.accelerator("T4").orElseThrow();
    assertThat(t4.bf16Tflops()).isNull();
    assertThat(t4.tf32Tflops()).isNull();
    assertThat(t4.tdpWatts()).isEqualTo(70);
    assertThat(t4.idleWatts()).isEqualTo(8);

    AcceleratorSpec a100 = data.accelerator("A100-SXM4-40GB").orElseThrow();
    assertThat(a100.tdpWatts()).isEqualTo(400);
    assertThat(a100.bf16Tflops()).isEqualTo(312);
    assertThat(a100.idleWatts()).isEqualTo(46);

    AcceleratorSpec k80 = data.accelerator("K80").orElseThrow();
    assertThat(k80.tdpWatts()).isEqualTo(150); // half of the 300 W board
    assertThat(k80.memoryGb()).isEqualTo(12);
    assertThat(k80.tensorCores()).isFalse();
    assertThat(k80.idleWatts()).isNull();
  }

  @Test
  void defaults() {
    assertThat(data.providerPue("aws").value()).isEqualTo(1.135);
    assertThat(data.providerPue("GCP").value()).isEqualTo(1.1);
    assertThat(data.providerPue("azure").value()).isEqualTo(1.185);
    assertThat(data.providerPue("coreweave")).isEqualTo(data.onPremPue());
    assertThat(data.providerPue("lambda")).isEqualTo(data.onPremPue());
    assertThat(data.providerPue("OVHcloud").value()).isEqualTo(1.28);
    assertThat(data.providerPue("ovh").source()).contains("OVHcloud");
    assertThat(data.providerPue("scaleway").value()).isEqualTo(1.4);
    assertThat(data.providerPue("scaleway").source()).contains("Scaleway");
    assertThat(data.providerPue(null)).isEqualTo(data.onPremPue());
    assertThat(data.onPremPue().value()).isEqualTo(1.56);
    assertThat(data.onPremPue().year()).isEqualTo(2024);
    assertThat(data.onPremPue().source()).contains("Uptime");
    assertThat(data.worldAverageIntensity().value()).isEqualTo(475);
    assertThat(data.worldAverageIntensity().source()).contains("IEA").contains("CI_aggregated.csv");
  }

  // ------------------------------------------------------------------ alias resolution

  @ParameterizedTest
  @CsvSource({
      "V100:8, V100-SXM2-16GB",
      "V100, V100-SXM2-16GB",
      "nvidia-tesla-v100, V100-SXM2-16GB",
      "NVIDIA_TESLA_V100, V100-SXM2-16GB",
      "Tesla V100-SXM2-16GB, V100-SXM2-16GB",
      "V100-32GB, V100-SXM2-32GB",
      "a100-80gb, A100-SXM4-80GB",
      "A100-80GB:8, A100-SXM4-80GB",
      "nvidia-a100-80gb, A100-SXM4-80GB",
      "NVIDIA A100-SXM4-80GB, A100-SXM4-80GB",
      "A100, A100-SXM4-40GB",
      "nvidia-tesla-a100, A100-SXM4-40GB",
      "H100, H100-SXM",
      "h100:8, H100-SXM",
      "NVIDIA H100 80GB HBM3, H100-SXM",
      "nvidia-h100-80gb, H100-SXM",
      "NVIDIA_H100_80GB, H100-SXM",
      "NVIDIA H100 PCIe, H100-PCIE",
      "nvidia-l4, L4",
      "NVIDIA_L4, L4",
      "nvidia-tesla-t4, T4",
      "Tesla T4, T4",
      "K80, K80",
      "P100, P100-PCIE-16GB",
      "A10G, A10G",
      "NVIDIA A10G, A10G",
      "L40S, L40S",
      "H200, H200",
      "MI300X, MI300X",
      "TPU v4, TPU-v4",
      "tpu_v5e, TPU-v5e",
      "Trainium, Trainium",
      "gaudi2, Gaudi2",
      "'  v100 : 4 ', V100-SXM2-16GB",
  })
  void resolvesAcceleratorSpellings(String spelling, String id) {
    assertThat(data.accelerator(spelling)).map(AcceleratorSpec::id).contains(id);
  }

  @Test
  void unknownAcceleratorIsEmpty() {
    assertThat(data.accelerator("Z900")).isEmpty();
    assertThat(data.accelerator("")).isEmpty();
    assertThat(data.accelerator("nvidia")).isEmpty();
    assertThat(data.accelerator(null)).isEmpty();
  }

  @Test
  void bareFamilyNamesMapToExactlyOneRow() {
    for (String family : List.of("A100", "V100", "H100", "A100-80GB")) {
      long rows = data.allAccelerators().stream()
          .filter(a -> a.id().equalsIgnoreCase(family) || a.aliases().stream().anyMatch(family::equalsIgnoreCase))
          .count();
      assertThat(rows).as(family).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------ regions and zones

  @Test
  void resolvesZonesToRegions() {
    assertThat(data.region("gcp", "us-central1-a")).map(RegionSpec::key).contains("gcp:us-central1");
    assertThat(data.region(null, "us-central1-a")).map(RegionSpec::key).contains("gcp:us-central1");
    assertThat(data.region("aws", "eu-west-1a")).map(RegionSpec::key).contains("aws:eu-west-1");
    assertThat(data.region(null, "eu-west-1a")).map(RegionSpec::key).contains("aws:eu-west-1");
    assertThat(data.region("gcp", "europe-west4-b")).map(RegionSpec::key).contains("gcp:europe-west4");
    assertThat(data.region("aws", "us-east-1-atl-1a")).isEmpty(); // local zones are not resolved
  }

  @Test
  void resolvesAzureDisplayNamesAndAwsLongNames() {
    assertThat(data.region("azure", "East US")).map(RegionSpec::key).contains("azure:eastus");
    assertThat(data.region("azure", "eastus")).map(RegionSpec::key).contains("azure:eastus");
    assertThat(data.region(null, "East US")).map(RegionSpec::key).contains("azure:eastus");
    assertThat(data.region("azure", "east us 2")).map(RegionSpec::key).contains("azure:eastus2");
    assertThat(data.region("azure", "EASTUS2")).map(RegionSpec::key).contains("azure:eastus2");
    assertThat(data.region("aws", "US East (N. Virginia)")).map(RegionSpec::key).contains("aws:us-east-1");
    assertThat(data.region("AWS", "US-EAST-1")).map(RegionSpec::key).contains("aws:us-east-1");
    assertThat(data.region("google", "europe-north1")).map(RegionSpec::key).contains("gcp:europe-north1");
    assertThat(data.region(null, "swedencentral")).map(RegionSpec::key).contains("azure:swedencentral");
  }

  @Test
  void ambiguousOrUnknownRegionsAreEmpty() {
    // "useast1" is aws us-east-1 and gcp us-east1 once separators are ignored
    assertThat(data.region(null, "useast1")).isEmpty();
    assertThat(data.region("aws", "useast1")).map(RegionSpec::key).contains("aws:us-east-1");
    assertThat(data.region("gcp", "useast1")).map(RegionSpec::key).contains("gcp:us-east1");
    assertThat(data.region("aws", "mars-north-1")).isEmpty();
    assertThat(data.region(null, "Narnia")).isEmpty();
    assertThat(data.region("gcp", "eastus")).isEmpty();
    assertThat(data.region("nosuchcloud", "us-east-1")).isEmpty();
    assertThat(data.region(null, null)).isEmpty();
    assertThat(data.region(null, "  ")).isEmpty();
  }

  @Test
  void regionsOfOneProviderAreInFileOrder() {
    assertThat(data.regions("gcp").get(0).id()).isEqualTo("africa-south1");
    assertThat(data.regions("aws").get(0).id()).isEqualTo("us-east-1");
    assertThat(data.regions("nosuchcloud")).isEmpty();
    assertThat(data.regions("ovh").get(0).id()).isEqualTo("GRA");
    assertThat(data.allRegions()).hasSize(
        data.regions("aws").size() + data.regions("gcp").size() + data.regions("azure").size()
            + data.regions("coreweave").size() + data.regions("lambda").size() + data.regions("ovh").size()
            + data.regions("scaleway").size());
  }

  // ------------------------------------------------------------------ loading fails loudly

  @TempDir
  Path tmp;

  private ClassLoader tablesWith(String file, UnaryOperator<String> edit) throws IOException {
    Path dir = tmp.resolve(ReferenceData.RESOURCE_DIR);
    Files.createDirectories(dir);
    for (String f : List.of(ReferenceData.ACCELERATORS_FILE, ReferenceData.REGIONS_FILE,
        ReferenceData.COUNTRIES_FILE)) {
      String text;
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(ReferenceData.RESOURCE_DIR + f)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Files.writeString(dir.resolve(f), f.equals(file) ? edit.apply(text) : text, StandardCharsets.UTF_8);
    }
    return new URLClassLoader(new URL[] {tmp.toUri().toURL()}, null);
  }

  @Test
  void loadsCopiesUnchanged() throws IOException {
    ReferenceData copy = ReferenceData.load(tablesWith("none", s -> s));
    assertThat(copy.allAccelerators()).isEqualTo(data.allAccelerators());
    assertThat(copy.allRegions()).isEqualTo(data.allRegions());
    assertThat(copy.allCountries()).isEqualTo(data.allCountries());
  }

  @Test
  void missingSourceFails() throws IOException {
    ClassLoader cl = tablesWith(ReferenceData.REGIONS_FILE,
        s -> s.replaceFirst("Google Cloud region-carbon-info yearly 2024 gcp_2024.csv \\(Apache-2.0\\)", ""));
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regions.csv:2").hasMessageContaining("grid_source");
  }

  @Test
  void missingYearFails() throws IOException {
    ClassLoader cl = tablesWith(ReferenceData.COUNTRIES_FILE, s -> s.replaceFirst(",2022\\n", ",\n"));
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("countries.csv:2").hasMessageContaining("year");
  }

  @Test
  void nonNumericFigureFails() throws IOException {
    ClassLoader cl = tablesWith(ReferenceData.ACCELERATORS_FILE, s -> s.replaceFirst(",kepler,2014,150,", ",kepler,2014,lots,"));
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accelerators.csv:2").hasMessageContaining("tdp_w");
  }

  @Test
  void duplicateIdFails() throws IOException {
    ClassLoader cl = tablesWith(ReferenceData.ACCELERATORS_FILE, s -> {
      String k80 = s.lines().filter(l -> l.startsWith("K80,")).findFirst().orElseThrow();
      return s + k80.replaceFirst("^K80,[^,]*,", "K80,,") + "\n";
    });
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accelerators.csv:").hasMessageContaining("'K80'").hasMessageContaining("line 2");
  }

  @Test
  void aliasNamingTwoRowsFails() throws IOException {
    // give the A100 80GB row the bare "V100" alias that already names V100-SXM2-16GB
    ClassLoader cl = tablesWith(ReferenceData.ACCELERATORS_FILE,
        s -> s.replaceFirst("A100-SXM4-80GB,A100-80GB;", "A100-SXM4-80GB,A100-80GB;v-100;"));
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accelerators.csv:").hasMessageContaining("v-100");
  }

  @Test
  void duplicateRegionAliasFails() throws IOException {
    ClassLoader cl = tablesWith(ReferenceData.REGIONS_FILE,
        s -> s.replaceFirst(",East US 2,,,,\n", ",East US,,,,\n"));
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regions.csv:").hasMessageContaining("East US");
  }

  @Test
  void badGridSourceRefFails() throws IOException {
    ClassLoader cl = tablesWith(ReferenceData.REGIONS_FILE,
        s -> s.replaceFirst("gcp_2024.csv#africa-south1", "gcp_2024.csv"));
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regions.csv:2").hasMessageContaining("grid_source_ref");
  }

  @Test
  void badGpusValueFails() throws IOException {
    ClassLoader cl = tablesWith(ReferenceData.REGIONS_FILE, s -> s.replaceFirst(",,,,yes\n", ",,,,maybe\n"));
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regions.csv:").hasMessageContaining("gpus");
  }

  @Test
  void marginalFigureNeedsSourceAndYear() throws IOException {
    ClassLoader cl = tablesWith(ReferenceData.REGIONS_FILE,
        s -> s.replaceFirst("(gcp,africa-south1,[^\n]*),,,,\n", "$1,500,,,\n"));
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regions.csv:2").hasMessageContaining("marginal_source");
    ClassLoader cl2 = tablesWith(ReferenceData.REGIONS_FILE,
        s -> s.replaceFirst("(gcp,africa-south1,[^\n]*),,,,\n", "$1,500,if-data region-metadata.csv (MIT),,\n"));
    assertThatThrownBy(() -> ReferenceData.load(cl2)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regions.csv:2").hasMessageContaining("marginal_year");
    ClassLoader cl3 = tablesWith(ReferenceData.REGIONS_FILE,
        s -> s.replaceFirst("(gcp,africa-south1,[^\n]*),,,,\n", "$1,,,2024,\n"));
    assertThatThrownBy(() -> ReferenceData.load(cl3)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regions.csv:2").hasMessageContaining("marginal_intensity");
    ClassLoader ok = tablesWith(ReferenceData.REGIONS_FILE,
        s -> s.replaceFirst("(gcp,africa-south1,[^\n]*),,,,\n", "$1,500.5,if-data region-metadata.csv (MIT),2024,\n"));
    RegionSpec r = ReferenceData.load(ok).region("gcp", "africa-south1").orElseThrow();
    assertThat(r.marginalIntensity()).isEqualTo(500.5);
    assertThat(r.marginalYear()).isEqualTo(2024);
    assertThat(r.marginalSource()).contains("if-data");
  }

  @Test
  void wrongColumnCountAndHeaderFail() throws IOException {
    ClassLoader cl = tablesWith(ReferenceData.COUNTRIES_FILE, s -> s + "ZZ,ZZZ,Nowhere\n");
    assertThatThrownBy(() -> ReferenceData.load(cl)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("countries.csv:").hasMessageContaining("columns");
    ClassLoader cl2 = tablesWith(ReferenceData.COUNTRIES_FILE, s -> s.replaceFirst("iso2,", "code,"));
    assertThatThrownBy(() -> ReferenceData.load(cl2)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("countries.csv:1").hasMessageContaining("header");
  }

  @Test
  void missingTableFails() {
    ClassLoader empty = new URLClassLoader(new URL[0], null);
    assertThatThrownBy(() -> ReferenceData.load(empty)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accelerators.csv");
  }
}
