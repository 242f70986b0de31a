package dev.stagegate.api.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.Map;

/**
 * The schema published for pod templates. The full PodTemplateSpec schema would make the CRD
 * hundreds of kilobytes (too big for client-side apply); the API server validates the pod spec
 * anyway when the operator creates the Deployment. Labels stay typed so CEL can check the selector.
 */
public class TemplateSchema {
  public Metadata metadata;

  @PreserveUnknownFields
  public JsonNode spec;

  public static class Metadata {
    public Map<String, String> labels;
    public Map<String, String> annotations;
  }
}
