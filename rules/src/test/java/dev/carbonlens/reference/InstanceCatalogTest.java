package dev.carbonlens.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InstanceCatalogTest {

  private static final String HEADER =
      "provider,instance_type,accelerator,accelerator_count,vcpus,memory_gb,aliases,source,year\n";

  private final ReferenceData data = ReferenceData.builtIn();
  private final Set<String> acceleratorIds = data.allAccelerators().stream().map(AcceleratorSpec::id)
      .collect(Collectors.toSet());
  private final InstanceCatalog catalog =
      InstanceCatalog.load(getClass().getClassLoader(), acceleratorIds::contains);

  // ------------------------------------------------------------------ table-wide checks

  @Test
  void atLeast120RowsCoveringAllThreeProviders() {
    assertThat(catalog.all()).hasSizeGreaterThanOrEqualTo(120);
    assertThat(catalog.all().stream().filter(i -> i.provider().equals("aws")).count()).isGreaterThanOrEqualTo(60);
    assertThat(catalog.all().stream().filter(i -> i.provider().equals("gcp")).count()).isGreaterThanOrEqualTo(20);
    assertThat(catalog.all().stream().filter(i -> i.provider().equals("azure")).count()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void everyRowIsSourcedAndPlausible() {
    for (InstanceSpec i : catalog.all()) {
      assertThat(i.source()).as(i.instanceType()).isNotBlank();
      assertThat(i.year()).as(i.instanceType()).isBetween(2014, 2030);
      assertThat(i.acceleratorCount()).as(i.instanceType()).isGreaterThan(0).isLessThanOrEqualTo(16);
      if (i.vcpus() != null) {
        assertThat(i.vcpus()).as(i.instanceType()).isBetween(2, 256);
      }
      if (i.memoryGb() != null) {
        assertThat(i.memoryGb()).as(i.instanceType()).isBetween(8.0, 4096.0);
      }
    }
  }

  @Test
  void everyAcceleratorIdExistsInTheAcceleratorTable() {
    for (InstanceSpec i : catalog.all()) {
      assertThat(acceleratorIds).as(i.instanceType()).contains(i.acceleratorId());
      assertThat(data.accelerator(i.acceleratorId())).as(i.instanceType()).isPresent();
    }
  }

  @Test
  void namesAreUniqueAfterNormalisation() {
    Set<String> seen = new HashSet<>();
    for (InstanceSpec i : catalog.all()) {
      assertThat(seen.add(InstanceCatalog.normalise(i.instanceType()))).as(i.instanceType()).isTrue();
    }
  }

  @Test
  void oneArgumentLoadChecksAgainstTheBundledAcceleratorTable() {
    InstanceCatalog viaReferenceData = InstanceCatalog.load(getClass().getClassLoader());
    assertThat(viaReferenceData.all()).isEqualTo(catalog.all());
  }

  @Test
  void acceleratorTableStillLoads() {
    ReferenceData fresh = ReferenceData.load(getClass().getClassLoader());
    assertThat(fresh.allAccelerators()).hasSameSizeAs(data.allAccelerators());
    AcceleratorSpec v520 = fresh.accelerator("Radeon-Pro-V520").orElseThrow();
    assertThat(v520.vendor()).isEqualTo("amd");
    assertThat(v520.memoryGb()).isEqualTo(8.0);
    assertThat(fresh.accelerator("AMD Radeon Pro V520")).containsSame(v520);
    // GKE label values resolve
    for (String label : List.of("nvidia-tesla-a100", "nvidia-a100-80gb", "nvidia-h100-80gb",
        "nvidia-h100-mega-80gb", "nvidia-l4", "nvidia-tesla-t4", "nvidia-tesla-v100", "nvidia-tesla-p100",
        "nvidia-tesla-k80", "nvidia-tesla-p4", "nvidia-h200-141gb", "nvidia-b200")) {
      assertThat(fresh.accelerator(label)).as(label).isPresent();
    }
  }

  // ------------------------------------------------------------------ spot checks

  @ParameterizedTest
  @CsvSource({
      "p2.xlarge, K80, 1",
      "p2.16xlarge, K80, 16",
      "p3.2xlarge, V100-SXM2-16GB, 1",
      "p3.8xlarge, V100-SXM2-16GB, 4",
      "p3.16xlarge, V100-SXM2-16GB, 8",
      "p3dn.24xlarge, V100-SXM2-32GB, 8",
      "p4d.24xlarge, A100-SXM4-40GB, 8",
      "p4de.24xlarge, A100-SXM4-80GB, 8",
      "p5.48xlarge, H100-SXM, 8",
      "p5e.48xlarge, H200, 8",
      "p5en.48xlarge, H200, 8",
      "g4dn.12xlarge, T4, 4",
      "g4dn.metal, T4, 8",
      "g5.xlarge, A10G, 1",
      "g5.48xlarge, A10G, 8",
      "g6.12xlarge, L4, 4",
      "g6e.48xlarge, L40S, 8",
      "trn1.32xlarge, Trainium, 16",
      "inf2.48xlarge, Inferentia2, 12",
      "a2-highgpu-8g, A100-SXM4-40GB, 8",
      "a2-megagpu-16g, A100-SXM4-40GB, 16",
      "a2-ultragpu-8g, A100-SXM4-80GB, 8",
      "a3-highgpu-8g, H100-SXM, 8",
      "a3-megagpu-8g, H100-SXM, 8",
      "a3-ultragpu-8g, H200, 8",
      "g2-standard-4, L4, 1",
      "g2-standard-96, L4, 8",
      "Standard_ND96asr_v4, A100-SXM4-40GB, 8",
      "Standard_ND96amsr_A100_v4, A100-SXM4-80GB, 8",
      "Standard_ND96isr_H100_v5, H100-SXM, 8",
      "Standard_ND96isr_MI300X_v5, MI300X, 8",
      "Standard_ND40rs_v2, V100-SXM2-32GB, 8",
      "Standard_NC24ads_A100_v4, A100-PCIE-80GB, 1",
      "Standard_NC80adis_H100_v5, H100-NVL, 2",
      "Standard_NC64as_T4_v3, T4, 4",
      "Standard_NV36ads_A10_v5, A10, 1",
      "Standard_NV72ads_A10_v5, A10, 2",
  })
  void spotChecks(String name, String accelerator, double count) {
    InstanceSpec i = catalog.find(name).orElseThrow(() -> new AssertionError(name));
    assertThat(i.acceleratorId()).as(name).isEqualTo(accelerator);
    assertThat(i.acceleratorCount()).as(name).isEqualTo(count);
  }

  @Test
  void hostFiguresOfSomeRows() {
    InstanceSpec p3 = catalog.find("p3.2xlarge").orElseThrow();
    assertThat(p3.provider()).isEqualTo("aws");
    assertThat(p3.vcpus()).isEqualTo(8);
    assertThat(p3.memoryGb()).isEqualTo(61.0);
    InstanceSpec a3 = catalog.find("a3-highgpu-8g").orElseThrow();
    assertThat(a3.provider()).isEqualTo("gcp");
    assertThat(a3.vcpus()).isEqualTo(208);
    InstanceSpec nd = catalog.find("Standard_ND96asr_v4").orElseThrow();
    assertThat(nd.provider()).isEqualTo("azure");
    assertThat(nd.instanceType()).isEqualTo("Standard_ND96asr_v4");
    assertThat(nd.memoryGb()).isEqualTo(900.0);
  }

  @Test
  void fractionalAzureA10SizesCarryDecimalCounts() {
    assertThat(catalog.find("NV6ads_A10_v5").orElseThrow().acceleratorCount()).isBetween(0.16, 0.17);
    assertThat(catalog.find("NV18ads_A10_v5").orElseThrow().acceleratorCount()).isEqualTo(0.5);
  }

  // ------------------------------------------------------------------ lookups

  @Test
  void sageMakerPrefixIsStripped() {
    assertThat(catalog.find("ml.p3.16xlarge")).containsSame(catalog.find("p3.16xlarge").orElseThrow());
    InstanceSpec g5 = catalog.find("ML.G5.2XLARGE").orElseThrow();
    assertThat(g5.instanceType()).isEqualTo("g5.2xlarge");
    assertThat(g5.acceleratorId()).isEqualTo("A10G");
  }

  @Test
  void azureNamesWithOrWithoutStandardPrefixAnyCase() {
    InstanceSpec nc = catalog.find("Standard_NC24s_v3").orElseThrow();
    assertThat(catalog.find("standard_nc24s_v3")).containsSame(nc);
    assertThat(catalog.find("NC24s_v3")).containsSame(nc);
    assertThat(catalog.find("  nc24s_V3 ")).containsSame(nc);
    assertThat(nc.acceleratorCount()).isEqualTo(4.0);
    assertThat(catalog.find("Standard_ND96asr_v4").orElseThrow().acceleratorCount()).isEqualTo(8.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "p3.4xlarge", "m5.large", "n1-standard-8", "a2-highgpu", "p3",
      "Standard_", "ml.", "p3.2xl", "nc24s", "Standard_D4s_v3"})
  void unknownSpellingsAreEmpty(String spelling) {
    assertThat(catalog.find(spelling)).isEmpty();
  }

  @Test
  void nullIsEmpty() {
    assertThat(catalog.find(null)).isEmpty();
  }

  @Test
  void aliasesAreFound() throws Exception {
    InstanceCatalog c = parse(HEADER
        + "aws,p3.2xlarge,V100,1,8,61,p3-2xl;my-box,src,2020\n");
    assertThat(c.find("MY-BOX")).containsSame(c.find("p3.2xlarge").orElseThrow());
    assertThat(c.find("ml.p3-2xl")).isPresent();
  }

  // ------------------------------------------------------------------ validation fails loudly

  private static InstanceCatalog parse(String csv) throws Exception {
    Predicate<String> known = Set.of("V100", "A100")::contains;
    return InstanceCatalog.parse(new StringReader(csv), known);
  }

  @Test
  void missingSourceFailsNamingFileAndLine() {
    assertThatThrownBy(() -> parse(HEADER + "aws,p3.2xlarge,V100,1,8,61,,,2020\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("instances.csv:2")
        .hasMessageContaining("source");
  }

  @Test
  void missingYearFails() {
    assertThatThrownBy(() -> parse(HEADER + "aws,p3.2xlarge,V100,1,8,61,,src,\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("instances.csv:2")
        .hasMessageContaining("year");
  }

  @Test
  void nonNumericFiguresFail() {
    assertThatThrownBy(() -> parse(HEADER + "aws,p3.2xlarge,V100,eight,8,61,,src,2020\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("instances.csv:2")
        .hasMessageContaining("accelerator_count");
    assertThatThrownBy(() -> parse(HEADER + "aws,p3.2xlarge,V100,1,8.5,61,,src,2020\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("vcpus");
    assertThatThrownBy(() -> parse(HEADER + "aws,p3.2xlarge,V100,0,8,61,,src,2020\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("accelerator_count");
  }

  @Test
  void unknownAcceleratorFails() {
    assertThatThrownBy(() -> parse(HEADER + "aws,p3.2xlarge,V100-SXM9,1,8,61,,src,2020\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("instances.csv:2")
        .hasMessageContaining("V100-SXM9");
  }

  @Test
  void unknownProviderFails() {
    assertThatThrownBy(() -> parse(HEADER + "ibm,p3.2xlarge,V100,1,8,61,,src,2020\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("provider");
  }

  @Test
  void duplicateNameOrAliasFails() {
    assertThatThrownBy(() -> parse(HEADER
        + "aws,p3.2xlarge,V100,1,8,61,,src,2020\n"
        + "aws,P3.2XLARGE,V100,1,8,61,,src,2020\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("instances.csv:3")
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> parse(HEADER
        + "azure,Standard_NC6s_v3,V100,1,6,112,,src,2024\n"
        + "azure,Standard_NC12s_v3,V100,2,12,224,NC6s_v3,src,2024\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("instances.csv:3");
  }

  @Test
  void wrongHeaderFails() {
    assertThatThrownBy(() -> parse("provider,instance,accelerator\naws,p3.2xlarge,V100\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected header");
  }
}
