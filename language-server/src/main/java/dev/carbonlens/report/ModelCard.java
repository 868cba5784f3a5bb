package dev.carbonlens.report;

import dev.carbonlens.analysis.RunEstimate;
import dev.carbonlens.cli.Version;
import dev.carbonlens.estimate.Assumption;
import dev.carbonlens.estimate.Figures;
import dev.carbonlens.estimate.Footprint;
import dev.carbonlens.model.Run;
import dev.carbonlens.model.Stage;
import dev.carbonlens.reference.CountrySpec;
import dev.carbonlens.reference.ReferenceData;
import dev.carbonlens.reference.RegionSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * `carbonlens report --model-card`: the Hugging Face model card's `co2_eq_emissions` metadata
 * (https://huggingface.co/docs/hub/model-cards-co2) for one training run, as README front matter, then a
 * methodology paragraph for the card or a paper. Every figure is the estimator's.
 */
public final class ModelCard {
  /** A default location shows in the grid source as `... for aws:us-east-1 (default location)`. */
  private static final Pattern DEFAULT_REGION = Pattern.compile(" for ([a-z0-9-]+):(\\S+) \\(default location\\)");
  /** ... or, for a country, as `France (default location): source`. */
  private static final Pattern DEFAULT_COUNTRY = Pattern.compile("^(.+?) \\(default location\\):");

  private final RunEstimate estimate;
  private final ReferenceData reference;

  private ModelCard(RunEstimate estimate, ReferenceData reference) {
    this.estimate = estimate;
    this.reference = reference;
  }

  /** Whether a run trains one model: a model card has nothing to say about serving or a whole sweep. */
  static boolean describesTraining(Stage stage) {
    return stage == Stage.TRAINING || stage == Stage.FINE_TUNING;
  }

  /** The front matter block (between `---` lines) and the methodology Markdown. */
  public static String render(RunEstimate estimate, ReferenceData reference) {
    ModelCard card = new ModelCard(estimate, reference);
    return "---\n" + card.metadataYaml() + "---\n\n" + card.methodology();
  }

  /** HF's `training_type` values. */
  static String trainingType(Stage stage) {
    return switch (stage) {
      case TRAINING -> "pre-training";
      case FINE_TUNING -> "fine-tuning";
      default -> throw new IllegalArgumentException("not a training stage: " + stage.label());
    };
  }

  /** HF's unit is grams: six significant digits, whole grams from a tonne up, written without an exponent. */
  static Number grams(double kgCO2e) {
    double grams = kgCO2e * 1000;
    if (Math.abs(grams) >= 1e6) {
      return Math.round(grams);
    }
    if (Math.abs(grams) < 1) {
      // keeps the YAML a plain decimal (Java would write 1.0E-4, which YAML 1.1 readers take as a string)
      return Math.round(grams * 1000) / 1000.0;
    }
    double rounded = Figures.round(grams);
    return rounded == Math.rint(rounded) ? (Number) Math.round(rounded) : (Number) rounded;
  }

  String metadataYaml() {
    Footprint fp = estimate.footprint();
    Map<String, Object> emissions = new LinkedHashMap<>();
    emissions.put("emissions", grams(fp.totalKgCO2e()));
    emissions.put("source", new Quoted("CarbonLens " + Version.VERSION + " estimate before training (operational "
        + Figures.format(fp.operationalKgCO2e()) + " kg + embodied " + Figures.format(fp.embodiedKgCO2e())
        + " kg CO2e; range " + Figures.format(fp.lowKgCO2e()) + "-" + Figures.format(fp.highKgCO2e())
        + " kg CO2e; not measured)"));
    emissions.put("training_type", new Quoted(trainingType(estimate.run().stage())));
    emissions.put("geographical_location", new Quoted(location()));
    emissions.put("hardware_used", new Quoted(fp.devices() + " x " + fp.accelerator()));
    return yaml().dump(Map.of("co2_eq_emissions", emissions));
  }

  /** Block style, our strings double-quoted as HF's own example writes them; keys stay plain. */
  private static Yaml yaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setSplitLines(false);
    options.setAllowUnicode(true);
    return new Yaml(new QuotingRepresenter(options), options);
  }

  /** A string value written double-quoted. */
  private record Quoted(String text) {}

  private static final class QuotingRepresenter extends Representer {
    QuotingRepresenter(DumperOptions options) {
      super(options);
      representers.put(Quoted.class, data -> representScalar(Tag.STR, ((Quoted) data).text(),
          DumperOptions.ScalarStyle.DOUBLE_QUOTED));
    }
  }

  /** The region as written, with provider, name and country; or what the estimate assumed instead. */
  String location() {
    Run run = estimate.run();
    if (run.region() != null) {
      return run.region().written() + " (" + describe(run.region().spec()) + ")";
    }
    String source = assumption("grid intensity").map(Assumption::source).orElse("");
    Matcher region = DEFAULT_REGION.matcher(source);
    if (region.find()) {
      Optional<RegionSpec> spec = reference.region(region.group(1), region.group(2));
      if (spec.isPresent()) {
        return "not stated in the config; estimated for the default location " + describe(spec.get());
      }
    }
    Matcher country = DEFAULT_COUNTRY.matcher(source);
    if (country.find()) {
      return "not stated in the config; estimated for the default location " + country.group(1);
    }
    return "not stated in the config; estimated with the world-average grid intensity";
  }

  private String describe(RegionSpec spec) {
    StringBuilder s = new StringBuilder(spec.provider()).append(' ').append(spec.id());
    if (spec.displayName() != null && !spec.displayName().isBlank() && !spec.displayName().equals(spec.id())) {
      s.append(", ").append(spec.displayName());
    }
    reference.country(spec.countryIso2()).map(CountrySpec::name).ifPresent(name -> s.append(", ").append(name));
    return s.toString();
  }

  private Optional<Assumption> assumption(String what) {
    return estimate.footprint().assumptions().stream().filter(a -> a.what().equals(what)).findFirst();
  }

  private String source(String what) {
    return assumption(what).map(Assumption::source).orElse("CarbonLens default");
  }

  String methodology() {
    Run run = estimate.run();
    Footprint fp = estimate.footprint();
    StringBuilder md = new StringBuilder("## Environmental impact\n\n");
    md.append("The carbon emissions of this ").append(trainingType(run.stage()))
        .append(" run were estimated with CarbonLens ").append(Version.VERSION)
        .append(" from its configuration (`").append(run.file()).append("`, line ")
        .append(run.range().startLine() + 1).append(", read as a ").append(run.format())
        .append(" config) before training started; they are a pre-run estimate, not a measurement. ");
    md.append("The run was taken to last ").append(Figures.format(fp.hours())).append(" hours (")
        .append(hoursBasis()).append(") on ").append(fp.devices()).append(" × ").append(fp.accelerator())
        .append(", each drawing ").append(Figures.format(fp.powerKwPerDevice() * 1000))
        .append(" W with its share of the host (").append(source("power")).append("). ");
    md.append("With a data-centre PUE of ").append(Figures.format(fp.pue())).append(" (").append(source("PUE"))
        .append(") this comes to ").append(Figures.format(fp.energyKWh())).append(" kWh. ");
    md.append("At a grid carbon intensity of ").append(Figures.format(fp.gridIntensity())).append(" gCO2e/kWh (")
        .append(source("grid intensity")).append("), the operational emissions are ")
        .append(Figures.format(fp.operationalKgCO2e())).append(" kgCO2e; the accelerators' embodied (manufacturing)"
            + " emissions, ").append(assumption("embodied").map(Assumption::value).orElse("per device"))
        .append(" amortised over the run's hours (").append(source("embodied")).append("), add ")
        .append(Figures.format(fp.embodiedKgCO2e())).append(" kgCO2e, for a total of ")
        .append(Figures.format(fp.totalKgCO2e())).append(" kgCO2e (")
        .append(Figures.format(fp.totalKgCO2e() * 1000)).append(" g in the metadata above). ");
    md.append("Under the estimator's low and high assumptions (").append(source("range"))
        .append(") the total lies between ").append(Figures.format(fp.lowKgCO2e())).append(" and ")
        .append(Figures.format(fp.highKgCO2e())).append(" kgCO2e; the range is indicative. ");
    md.append("Energy is counted for the ").append(assumption("boundary").map(Assumption::value)
        .orElse("accelerators and their share of the host")).append(" (")
        .append(source("boundary")).append(").\n\n");
    md.append("### Assumptions and data sources\n\n");
    for (Assumption a : fp.assumptions()) {
      md.append("- ").append(a.what()).append(": ").append(a.value());
      if (a.source() != null && !a.source().isBlank()) {
        md.append(" (").append(a.source()).append(')');
      }
      md.append('\n');
    }
    return md.toString();
  }

  private String hoursBasis() {
    String stated = source("hours");
    return switch (estimate.footprint().hoursBasis()) {
      case STATED -> "stated in the config";
      case COMPUTED -> "derived from the training compute, "
          + assumption("training compute").map(Assumption::value).orElse("6 × parameters × tokens")
          + ", over the devices' effective throughput of "
          + assumption("throughput").map(Assumption::value).orElse("their peak × MFU");
      case DEFAULT -> stated;
    };
  }
}
