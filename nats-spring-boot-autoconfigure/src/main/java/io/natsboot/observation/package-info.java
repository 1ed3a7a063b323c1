/**
 * Micrometer observations of what natsboot does, and the W3C trace context they carry in
 * NATS headers: the documented observations ({@code ObservationDocumentation} enums),
 * their contexts, the conventions that name them and their keys (replaceable per kind by
 * a bean), and the carrier a sender's propagator writes headers into. The feature
 * packages start and stop the observations; this package depends on no other natsboot
 * package.
 */
@NullMarked
package io.natsboot.observation;

import org.jspecify.annotations.NullMarked;
