package dev.stagegate.common;

import dev.stagegate.api.common.NotifyTarget;
import dev.stagegate.api.common.SecretKeyRef;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the CRD schema checks about spec.notify, checked again by the planners' validators (the mock-server tier
 * has no schema): names, types and the Secret key a URL comes from. A Secret has no namespace field here, so a
 * target can only ever read a Secret of the resource's own namespace.
 */
public final class NotifyRules {
  private static final String NAME = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

  private NotifyRules() {}

  public static void check(List<NotifyTarget> targets, List<String> errors) {
    if (targets == null) {
      return;
    }
    if (targets.size() > 10) {
      errors.add("spec.notify: at most 10 targets, got " + targets.size());
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      NotifyTarget t = targets.get(i);
      String field = "spec.notify[" + i + "]";
      if (t == null) {
        errors.add(field + ": must not be null");
        continue;
      }
      if (t.getName() == null || !t.getName().matches(NAME)) {
        errors.add(field + ".name: must be a DNS label, got '" + t.getName() + "'");
      } else if (!names.add(t.getName())) {
        errors.add(field + ".name: '" + t.getName() + "' is used twice");
      }
      if (t.getType() == null) {
        errors.add(field + ".type: is required (webhook, slack or alertmanager)");
      }
      SecretKeyRef ref = t.getUrlFrom() == null ? null : t.getUrlFrom().getSecretKeyRef();
      if (ref == null) {
        errors.add(field + ".urlFrom.secretKeyRef: is required");
      } else {
        if (ref.getName() == null || ref.getName().isBlank()) {
          errors.add(field + ".urlFrom.secretKeyRef.name: is required");
        }
        if (ref.getKey() == null || ref.getKey().isBlank()) {
          errors.add(field + ".urlFrom.secretKeyRef.key: is required");
        }
      }
    }
  }
}
