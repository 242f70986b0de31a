package dev.stagegate.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  public static String of(PodTemplateSpec template) {
    JsonNode canonical = canonical(MAPPER.valueToTree(template));
    String text = canonical == null ? "{}" : canonical.toString();
    return sha256Hex(text).substring(0, LENGTH);
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
