/** The parts of a cluster that tests and the demo play: a kubelet, a job runner, a metrics app, Prometheus. */
package dev.stagegate.sandbox;
