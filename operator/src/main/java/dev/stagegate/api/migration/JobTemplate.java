package dev.stagegate.api.migration;

import dev.stagegate.api.common.TemplateSchema;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** A pod template run as a Kubernetes Job the operator names, labels and owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobTemplate {
  @Required
  @SchemaFrom(type = TemplateSchema.class)
  @JsonPropertyDescription("Pod template, as in a Job. Every container gets STAGEGATE_MIGRATION, STAGEGATE_STAGE,"
      + " STAGEGATE_KEY_FROM, STAGEGATE_KEY_TO (exclusive) and STAGEGATE_RUN_ID. restartPolicy defaults to Never.")
  private PodTemplateSpec template;

  @Default("2")
  @Min(0)
  @Max(20)
  @JsonPropertyDescription("Pod retries before the Job, and so the step, fails.")
  private Integer backoffLimit;

  @Min(1)
  @JsonPropertyDescription("Seconds the Job may run before Kubernetes fails it.")
  private Long activeDeadlineSeconds;

  public PodTemplateSpec getTemplate() { return template; }
  public void setTemplate(PodTemplateSpec template) { this.template = template; }
  public Integer getBackoffLimit() { return backoffLimit; }
  public void setBackoffLimit(Integer backoffLimit) { this.backoffLimit = backoffLimit; }
  public Long getActiveDeadlineSeconds() { return activeDeadlineSeconds; }
  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) { this.activeDeadlineSeconds = activeDeadlineSeconds; }

  public int backoffLimitOrDefault() { return backoffLimit == null ? 2 : backoffLimit; }
}
