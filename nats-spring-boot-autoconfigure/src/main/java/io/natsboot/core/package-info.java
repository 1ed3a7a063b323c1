/**
 * The core of natsboot: the connection's lifecycle, its exceptions and (later) the template and
 * message conversion.
 */
@NullMarked
package io.natsboot.core;

import org.jspecify.annotations.NullMarked;
