package dev.stagegate.release.plan;

/** What the operator sees of one revision's Deployment. */
public record DeploymentState(String revision, String name, int replicas, int readyReplicas) {}
