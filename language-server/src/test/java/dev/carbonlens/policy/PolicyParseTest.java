package dev.carbonlens.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.carbonlens.document.DocumentParser;
import dev.carbonlens.document.ParseProblem;
import dev.carbonlens.engine.RuleEngine;
import dev.carbonlens.engine.RuleInfo;
import dev.carbonlens.model.Precision;
import dev.carbonlens.model.Severity;
import dev.carbonlens.model.SourceRange;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.AcceleratorSpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PolicyParseTest {
  static final ReferenceData REFERENCE = ReferenceData.builtIn();
  static final Set<String> BUILT_IN = RuleEngine.builtIn().rules().stream().map(RuleInfo::id).collect(Collectors.toSet());

  static Policies parse(String yaml) {
    var root = DocumentParser.parse(".carbonlens.yaml", yaml).rootMapping().orElseThrow();
    return Policies.parse(root.get("policies").orElseThrow(), REFERENCE, BUILT_IN);
  }

  private static String problems(Policies p) {
    return p.problems().stream().map(PolicyParseTest::line).collect(Collectors.joining("\n"));
  }

  private static String line(ParseProblem p) {
    return p.range() + " " + p.message();
  }

  @Test
  void readsEveryKindWithItsDefaults() {
    Policies p = parse("""
        policies:
          - id: ACME-GRID-001
            maxGridIntensity: 200
            severity: error
            message: "Train in a region under 200 gCO2e/kWh (green-AI policy §3)."
            appliesTo: [training, fine-tuning]
          - id: ACME-REG-001
            allowedRegions: [gcp:europe-west4, aws/eu-west-1, westeurope]
          - id: ACME-REG-002
            deniedRegions: us-east-1
          - id: ACME-HW-001
            deniedAccelerators: [K80, P100]
          - id: ACME-PREC-001
            requirePrecision: bf16
            onAccelerators: [A100]
            onArchitectures: [hopper]
          - id: ACME-ES-001
            requireEarlyStopping: true
            severity: info
          - id: ACME-SWEEP-001
            maxSweepSize: 50
          - id: ACME-DEV-001
            maxDevices: 64
          - id: ACME-KG-001
            maxKgCO2ePerRun: 500.5
        """);
    assertEquals("", problems(p));
    List<Policy> all = p.policies();
    assertEquals(List.of("ACME-GRID-001", "ACME-REG-001", "ACME-REG-002", "ACME-HW-001", "ACME-PREC-001",
        "ACME-ES-001", "ACME-SWEEP-001", "ACME-DEV-001", "ACME-KG-001"), all.stream().map(Policy::id).toList());

    Policy grid = all.get(0);
    assertEquals(new Policy.MaxGridIntensity(200), grid.limit());
    assertEquals(Severity.ERROR, grid.severity());
    assertEquals("Train in a region under 200 gCO2e/kWh (green-AI policy §3).", grid.message());
    assertEquals(EnumSet.of(Stage.TRAINING, Stage.FINE_TUNING), grid.stages());
    assertEquals(SourceRange.of(1, 4, 5, 38), grid.range());

    var allowed = (Policy.AllowedRegions) all.get(1).limit();
    assertEquals(new TreeSet<>(List.of("aws:eu-west-1", "azure:westeurope", "gcp:europe-west4")),
        allowed.regions().stream().map(RegionSpec::key).collect(Collectors.toCollection(TreeSet::new)));
    assertEquals(List.of("gcp:europe-west4", "aws/eu-west-1", "westeurope"), allowed.written());
    // A single name is a one-item list; a bare name resolves as the extractors resolve it (AWS first).
    assertEquals(Set.of("aws:us-east-1"),
        ((Policy.DeniedRegions) all.get(2).limit()).regions().stream().map(RegionSpec::key).collect(Collectors.toSet()));

    // "P100" names the family: both P100 variants in the reference table.
    assertEquals(new TreeSet<>(List.of("K80", "P100-PCIE-16GB", "P100-SXM2-16GB")),
        ((Policy.DeniedAccelerators) all.get(3).limit()).accelerators().stream().map(AcceleratorSpec::id)
            .collect(Collectors.toCollection(TreeSet::new)));

    var precision = (Policy.RequirePrecision) all.get(4).limit();
    assertEquals(Precision.BF16, precision.precision());
    assertEquals(new TreeSet<>(List.of("A100-PCIE-40GB", "A100-PCIE-80GB", "A100-SXM4-40GB", "A100-SXM4-80GB")),
        precision.onAccelerators().stream().map(AcceleratorSpec::id).collect(Collectors.toCollection(TreeSet::new)));
    assertEquals(Set.of("hopper"), precision.onArchitectures());
    assertEquals(List.of("A100", "hopper"), precision.written());
    // Precision and early stopping cover the training stages unless appliesTo says otherwise.
    assertEquals(EnumSet.of(Stage.TRAINING, Stage.FINE_TUNING, Stage.SWEEP), all.get(4).stages());

    assertEquals(new Policy.RequireEarlyStopping(), all.get(5).limit());
    assertEquals(Severity.INFO, all.get(5).severity());
    assertEquals(new Policy.MaxSweepSize(50), all.get(6).limit());
    assertEquals(new Policy.MaxDevices(64), all.get(7).limit());
    assertEquals(Severity.WARNING, all.get(7).severity());
    assertEquals(null, all.get(7).message());
    assertEquals(EnumSet.allOf(Stage.class), all.get(7).stages());
    assertEquals(new Policy.MaxRunKgCO2e(500.5), all.get(8).limit());
  }

  @Test
  void reportsEachMistakeAtItsKeyOrValueAndDropsThatPolicy() {
    Policies p = parse("""
        policies:
          - id: ACME-GRID-001
            maxGridIntensity: 200
            deniedAccelerators: [K80]
          - id: CL-REG-001
            maxDevices: 64
          - id: ACME-X
            maxGpus: 64
          - id: ACME-HW-001
            deniedAccelerators: [K80, Z9000]
          - id: ACME-REG-001
            allowedRegions: [gcp:mars-central1]
          - id: ACME-SEV
            maxDevices: 64
            severity: fatal
          - id: ACME-TYPE
            maxDevices: lots
          - id: ACME-HW-001
            maxSweepSize: 20
          - id: ACME-PREC
            requirePrecision: bf16
            onAccelerators: [V100]
          - id: ACME-STAGE
            maxDevices: 8
            appliesTo: [training, pretraining]
          - maxDevices: 8
          - id: ACME-EMPTY
            severity: info
          - just a string
          - id: ACME-OK
            maxDevices: 64
        """);
    assertEquals(String.join("\n",
        "3:4-3:22 A policy sets one threshold or list: `maxGridIntensity` and `deniedAccelerators` are both set"
            + " here; write them as two policies",
        "4:8-4:18 `CL-REG-001` is already taken (a built-in rule, a team rule or another policy); give the policy an id of its own",
        "7:4-7:11 Unknown policy key `maxGpus`; expected `id`, `severity`, `message`, `appliesTo` and one of:"
            + " maxGridIntensity, allowedRegions, deniedRegions, deniedAccelerators, requirePrecision,"
            + " requireEarlyStopping, maxSweepSize, maxDevices, maxKgCO2ePerRun",
        "6:4-6:6 Policy ACME-X sets no threshold or list; add one of: maxGridIntensity, allowedRegions,"
            + " deniedRegions, deniedAccelerators, requirePrecision, requireEarlyStopping, maxSweepSize, maxDevices,"
            + " maxKgCO2ePerRun",
        "9:30-9:35 Unknown accelerator `Z9000` (see `carbonlens rules` or the reference table for the names"
            + " CarbonLens knows)",
        "11:21-11:38 Unknown region `gcp:mars-central1`",
        "14:14-14:19 Unknown severity `fatal`; expected error, warning, info or hint",
        "16:16-16:20 `maxDevices` takes a whole number of at least 1: a number of accelerators, e.g. 64",
        "17:8-17:19 Policy id `ACME-HW-001` is already used on line 9",
        "21:21-21:25 V100-SXM2-16GB has no bf16 support, so `requirePrecision: bf16` cannot be met on it",
        "24:26-24:37 Unknown stage `pretraining`; expected training, fine-tuning, inference, sweep",
        "25:4-25:17 A policy needs an `id` (e.g. ACME-GRID-001): findings and ignore comments name it",
        "26:4-26:6 Policy ACME-EMPTY sets no threshold or list; add one of: maxGridIntensity, allowedRegions,"
            + " deniedRegions, deniedAccelerators, requirePrecision, requireEarlyStopping, maxSweepSize, maxDevices,"
            + " maxKgCO2ePerRun",
        "28:4-28:17 A policy must be a mapping with an `id` and one of: maxGridIntensity, allowedRegions,"
            + " deniedRegions, deniedAccelerators, requirePrecision, requireEarlyStopping, maxSweepSize, maxDevices,"
            + " maxKgCO2ePerRun"), problems(p));
    assertEquals(List.of("ACME-OK"), p.policies().stream().map(Policy::id).toList());
  }

  @Test
  void reportsShapeMistakes() {
    Policies p = parse("""
        policies:
          - id: ACME-REG-001
            deniedRegions: [moon-base1]
          - id: ACME-PREC-001
            requirePrecision: fp32
          - id: ACME-PREC-002
            requirePrecision: bf16
            onArchitectures: [ampere, vulcan]
          - id: ACME-DEV-001
            maxDevices: 0
          - id: ACME-ES-001
            requireEarlyStopping: false
          - id: ACME-HW-001
            deniedAccelerators: []
          - id: ACME-GRID-001
            maxGridIntensity: 200
            onAccelerators: [A100]
          - id: "ACME GRID"
            maxGridIntensity: 200
        """);
    assertEquals(String.join("\n",
        "2:20-2:30 Unknown region `moon-base1`",
        "4:22-4:26 `requirePrecision` takes fp16, bf16 or fp8, not `fp32`",
        "7:30-7:36 Unknown architecture `vulcan`; known: ada, ampere, blackwell, cdna2, cdna3, gaudi2, hopper,"
            + " kepler, maxwell, neuroncore-v2, pascal, rdna, tpu-v2, tpu-v3, tpu-v4, tpu-v5e, tpu-v5p, tpu-v6e,"
            + " turing, volta",
        "9:16-9:17 `maxDevices` takes a whole number of at least 1: a number of accelerators, e.g. 64",
        "11:26-11:31 `requireEarlyStopping: false` requires nothing; remove the policy",
        "13:24-13:26 `deniedAccelerators` takes a list of accelerator names, e.g. [K80, P100]",
        "16:4-16:18 `onAccelerators` only narrows `requirePrecision`; it has no meaning with `maxGridIntensity`",
        "17:8-17:19 Policy id `ACME GRID` may hold only letters, digits, '.', '_' and '-'"), problems(p));
    assertEquals(List.of(), p.policies());
  }

  @Test
  void aPoliciesKeyThatIsNotAListIsOneProblem() {
    Policies p = parse("policies:\n  maxDevices: 64\n");
    assertEquals("1:2-1:16 `policies` must be a list of policies, each a mapping with an `id`", problems(p));
    assertEquals(List.of(), p.policies());
  }

  @Test
  void anEmptyPoliciesKeyHasNoPoliciesAndNoProblems() {
    Policies p = parse("policies:\n");
    assertEquals(List.of(), p.problems());
    assertEquals(List.of(), p.policies());
  }
}
