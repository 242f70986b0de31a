package dev.stagegate.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * Names a revision by its pod template.
 *
 * <p>The hash must not change when the operator or the Fabric8 model is upgraded, or every upgrade
 * would start a canary for every Release (a known Flagger complaint). So it hashes a canonical JSON
 * form — keys sorted, nulls, empty objects and empty arrays dropped — rather than whatever the
 * serializer of the day writes. A golden test pins it.
 */
public final class RevisionHash {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int LENGTH = 10;

  private RevisionHash() {}

  /**
   * The template-only hash: what every revision was named before the Release's name was hashed in. Still the
   * name of revisions that ran then, and the content hash the drift check compares live templates with.
   */
  public static String of(PodTemplateSpec template) {
    return sha256Hex(canonicalText(template)).substring(0, LENGTH);
  }

  /**
   * The revision of a Release's spec.template. The Release's name is hashed in, so two Releases with identical
   * templates never share a revision label: their pods would otherwise count in each other's {{revision}}
   * queries. A Release that already runs this template under the template-only hash (stable, canary or failed
   * revision in its status, from before the upgrade) keeps that name: renaming it would start a canary of the
   * very template that runs, or restart a canary in progress. Its next template gets the new kind of name.
   */
  public static String of(Release release) {
    String legacy = of(release.getSpec().getTemplate());
    ReleaseStatus status = release.getStatus();
    if (status != null && (legacy.equals(status.getStableRevision()) || legacy.equals(status.getCanaryRevision())
        || legacy.equals(status.getFailedRevision()))) {
      return legacy;
    }
    return named(release.getMetadata().getName(), release.getSpec().getTemplate());
  }

  /** The name-and-template hash. */
  public static String named(String releaseName, PodTemplateSpec template) {
    return sha256Hex(releaseName + "\u0000" + canonicalText(template)).substring(0, LENGTH);
  }

  /** Whether {@code revision} names {@code template} for this Release, under either kind of name. */
  public static boolean names(Release release, String revision, PodTemplateSpec template) {
    return template != null && (revision.equals(named(release.getMetadata().getName(), template))
        || revision.equals(of(template)));
  }

  private static String canonicalText(PodTemplateSpec template) {
    JsonNode canonical = canonical(MAPPER.valueToTree(template));
    return canonical == null ? "{}" : canonical.toString();
  }

  private static JsonNode canonical(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(String::compareTo);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        JsonNode value = canonical(node.get(name));
        if (value != null) {
          out.set(name, value);
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        JsonNode value = canonical(it.next());
        out.add(value == null ? JsonNodeFactory.instance.objectNode() : value);
      }
      return out.isEmpty() ? null : out;
    }
    return node;
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
